// Accessibility repairs for markup Dash's own components render, which their props do
// not reach: applied to the page as it changes (throttled to one pass per frame).
(function () {
  "use strict";
  var RULES = [
    // The dropdown's hidden focus helper must not take keyboard focus while hidden.
    [".dash-dropdown-focus-target[aria-hidden='true']", function (el) {
      el.setAttribute("tabindex", "-1");
    }],
    // The date range's wrapper is a plain box: popup state belongs to its inputs.
    [".dash-datepicker-input-wrapper[aria-haspopup]", function (el) {
      el.removeAttribute("aria-haspopup");
      el.removeAttribute("aria-expanded");
      el.removeAttribute("aria-disabled");
      el.removeAttribute("aria-labelledby");
    }],
    [".dash-datepicker-clear[aria-label]:not([role])", function (el) {
      el.setAttribute("role", "button");
    }],
    // Tables: the row radio buttons and the paging buttons get names.
    ["input[type='radio'][name^='row-select']:not([aria-label])", function (el) {
      el.setAttribute("aria-label", "Select this row");
    }],
    [".previous-next-container button:not([aria-label])", function (el) {
      var name = (el.className.match(/(first|previous|next|last)-page/) || [])[1];
      el.setAttribute("aria-label", (name || "other") + " page");
    }],
    // Drop-downs inside table cells (react-select): a chosen value is plain text, and the
    // search box is named after the column.
    [".dash-spreadsheet [role='option']", function (el) {
      if (!el.closest("[role='listbox']")) {
        el.removeAttribute("role");
        el.removeAttribute("aria-selected");
      }
    }],
    [".dash-spreadsheet .Select-input input:not([aria-label])", function (el) {
      var cell = el.closest("td");
      var column = cell && cell.getAttribute("data-dash-column");
      el.setAttribute("aria-label", "Choose " + (column || "a value").replace(/_/g, " "));
    }]
  ];
  var pending = false;
  function repair() {
    pending = false;
    RULES.forEach(function (rule) {
      document.querySelectorAll(rule[0]).forEach(rule[1]);
    });
  }
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(repair);
    }
  }
  new MutationObserver(schedule).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["aria-haspopup", "role", "aria-hidden"]
  });
  schedule();
})();
