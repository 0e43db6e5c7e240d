"""One declaration per record type: what the service checks, the API accepts, the
dashboard's forms show and the exports write are all derived from it.

`registers()` finds every `Register` declared in this package's modules, so a new
register is added by adding its module (and its migration and page), nothing else.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from core.specs.record import Register


@cache
def registers() -> tuple[Register, ...]:
    """Every declared register, in API group order (then by group name)."""
    found: dict[str, Register] = {}
    for module_info in pkgutil.iter_modules(__path__, prefix=f"{__name__}."):
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if isinstance(value, Register):
                found[value.spec.entity] = value
    return tuple(sorted(found.values(), key=lambda register: (register.order, register.group)))


def register_of(entity: str) -> Register:
    """The register declared for `entity` ("management_review")."""
    for register in registers():
        if register.spec.entity == entity:
            return register
    raise KeyError(entity)
