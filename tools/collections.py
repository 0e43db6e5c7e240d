"""Postman and Insomnia collections generated from the OpenAPI spec (docs/collections/).

Pure functions over the spec dict, so the committed files can be regenerated
(`iso55001 collections`) and checked for drift (tests/api/test_collections.py). The output is
deterministic: ids are UUIDv5 of method + path, JSON keys are sorted, nothing is timestamped.

A full run of the Postman collection on a fresh database is meant to pass, so its order and
variables follow the data the requests need:

- a POST answering with the record that a `.../{x_id}` GET serves is a *create*: its test
  script stores the new `id` in the collection variable `x_id`, and it comes first in its folder;
- legacy and `/v1` requests keep separate ids (`assessment_id`, `v1_assessment_id`), so each
  half of a run creates, changes and deletes records of its own;
- a second way to create the same record (`complete` after a multipart upload) stores its id
  in a variable of its own (`complete_attachment_id`), so each record the run creates is
  deleted at the end;
- the pre-signed upload runs as a client would: `presign_upload` stores `upload_url` and
  `object_key`, a PUT sends the sample file to that URL (the object store, not the API), and
  `complete` records it by its key;
- DELETE requests go to a last folder, in reverse creation order (evidence before its
  assessment, nonconformities before their audit), so nothing a later request needs is gone;
- a job is started by one export asked to run as a job (`?async=true`, 202), which stores
  the job's id in `job_id`; the job routes then read, download and cancel it (by the time
  the cancel comes the small job has finished, so 409 `Job is Succeeded` is a pass too).

Upload requests send the sample file `evidence.txt`, written next to the collection; newman
finds it when run from that folder (or with `--working-dir docs/collections`).

Insomnia cannot capture ids without plugins, so its export keeps the spec's order and takes ids
from environment variables the user fills in.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from api.base import V1_PREFIX
from core.config import BUILT_IN_ORG

Spec = dict[str, Any]
Json = dict[str, Any]

DEFAULT_OUTPUT = Path("docs/collections")
POSTMAN_COLLECTION = "postman_collection.json"
POSTMAN_ENVIRONMENT = "postman_environment.json"
INSOMNIA_EXPORT = "insomnia_export.json"
POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
BASE_URL = "http://127.0.0.1:8000"
DEFAULT_ORG = BUILT_IN_ORG
# The file upload requests send, shipped next to the collection; newman reads it from its
# --working-dir (the current directory unless told).
SAMPLE_UPLOAD = "evidence.txt"
SAMPLE_UPLOAD_TYPE = "text/plain"
SAMPLE_UPLOAD_TEXT = "Board minutes, 2027-01-31: the SAMP (version 3) is approved.\n"
SAMPLE_UPLOAD_SIZE = len(SAMPLE_UPLOAD_TEXT.encode("utf-8"))
CLEANUP_FOLDER = "Clean-up (DELETE)"
HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options")
# Namespace of the UUIDv5 ids: any fixed value works; changing it changes every id.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:iso55001:api-collections")

# Fields a clean-up run resets (with a PATCH of the same record) before its DELETE can succeed.
# The evidence PATCH example puts the attachment under a retention hold, and held evidence is
# never deletable (409), so the run releases the hold first.
RELEASE_BEFORE_DELETE: dict[str, Json] = {
    "/attachments/{attachment_id}": {"retention_hold": False},
}

# The request that starts the run's job, what makes it one, and what it answers with.
JOB_STARTER = "/export/audits.xlsx"
JOB_STARTER_QUERY = {"async": "true"}
JOB_VARIABLE = "job_id"
# Answers a run accepts besides the documented successes, by resource path.
ALSO_PASSING: dict[str, tuple[int, ...]] = {"/jobs/{job_id}/cancel": (409,)}

# The pre-signed upload: what `presign_upload` answers with that the next steps need.
PRESIGN_UPLOAD = "/attachments/presign_upload"
PRESIGN_ANSWERS = ("upload_url", "object_key")
# Request bodies that describe the sample file instead of the spec's example file, so that the
# PUT of its bytes matches what was signed and `complete` finds the size it is told.
SAMPLE_BODIES: dict[str, Json] = {
    PRESIGN_UPLOAD: {
        "assessment_id": 0,
        "filename": SAMPLE_UPLOAD,
        "content_type": SAMPLE_UPLOAD_TYPE,
        "size": SAMPLE_UPLOAD_SIZE,
    },
    "/attachments/complete": {
        "assessment_id": 0,
        "object_key": "",
        "filename": SAMPLE_UPLOAD,
        "content_type": SAMPLE_UPLOAD_TYPE,
        "size": SAMPLE_UPLOAD_SIZE,
    },
}


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # OpenAPI template, `/assessments/{assessment_id}`
    spec: Json  # the operation object
    path_parameters: tuple[Json, ...]  # parameters declared on the path item

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_v1(self) -> bool:
        return self.path == V1_PREFIX or self.path.startswith(V1_PREFIX + "/")

    @property
    def resource_path(self) -> str:
        """The path without its /v1 prefix: legacy and /v1 routes share one resource."""
        return self.path[len(V1_PREFIX) :] if self.is_v1 else self.path

    @property
    def tag(self) -> str:
        tags = self.spec.get("tags") or ["Other"]
        return str(tags[0])

    @property
    def name(self) -> str:
        summary = str(self.spec.get("summary") or self.key)
        return f"{summary} (v1)" if self.is_v1 else summary

    @property
    def parameters(self) -> list[Json]:
        """Path-item parameters overridden by the operation's own, in declaration order."""
        merged: dict[tuple[str, str], Json] = {}
        for parameter in (*self.path_parameters, *self.spec.get("parameters", [])):
            merged[(parameter["in"], parameter["name"])] = parameter
        return list(merged.values())

    def parameters_in(self, location: str) -> list[Json]:
        return [p for p in self.parameters if p["in"] == location]

    @property
    def success_codes(self) -> list[int]:
        if self.resource_path == JOB_STARTER:
            return [202]  # started as a job (JOB_STARTER_QUERY)
        documented = {int(c) for c in self.spec.get("responses", {}) if str(c).startswith("2")}
        return sorted(documented | set(ALSO_PASSING.get(self.resource_path, ())))


def operations(spec: Spec) -> list[Operation]:
    """Every operation of the spec, in the spec's path order."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                found.append(
                    Operation(method.upper(), path, item[method], tuple(item.get("parameters", [])))
                )
    return found


def tag_names(spec: Spec) -> list[str]:
    """Tags in the spec's declared order, then any only operations name."""
    names = [str(tag["name"]) for tag in spec.get("tags", [])]
    for operation in operations(spec):
        if operation.tag not in names:
            names.append(operation.tag)
    return names


def _deref(spec: Spec, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _json_schema_ref(response: Any) -> str | None:
    content = response.get("content", {}) if isinstance(response, dict) else {}
    schema = content.get("application/json", {}).get("schema", {})
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return str(ref) if ref else None


def _last_path_parameter(path: str) -> str | None:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last[1:-1] if last.startswith("{") and last.endswith("}") else None


def captures(spec: Spec) -> dict[str, str]:
    """Create operation key -> the path parameter whose value it creates.

    A POST creates what `.../{x_id}` serves when it answers with the schema that route's GET
    answers with, and that schema has an `id`.
    """
    served: dict[str, str] = {}
    for operation in operations(spec):
        parameter = _last_path_parameter(operation.path)
        ref = _json_schema_ref(operation.spec.get("responses", {}).get("200"))
        if operation.method == "GET" and parameter and ref:
            served.setdefault(ref, parameter)
    created: dict[str, str] = {}
    for operation in operations(spec):
        if operation.method != "POST":
            continue
        for code in operation.success_codes:
            if str(code) not in operation.spec["responses"]:
                continue
            ref = _json_schema_ref(operation.spec["responses"][str(code)])
            schema = _deref(spec, {"$ref": ref}) if ref else {}
            acts_on_one = "{" + served.get(str(ref), "") + "}" in operation.path
            if ref in served and "id" in schema.get("properties", {}) and not acts_on_one:
                created[operation.key] = served[ref]
                break
    return created


class _Variables:
    """Which collection variable each path parameter or body value maps to, per operation."""

    def __init__(self, spec: Spec) -> None:
        self.created = captures(spec)
        self.captured = set(self.created.values())
        self.examples = _example_values(spec)
        # Values a run creates; legacy and /v1 requests keep separate ones.
        self.run_made = self.captured | set(PRESIGN_ANSWERS)
        self.creators: dict[str, Operation] = {}  # variable -> the request that sets it
        self.sets: dict[str, dict[str, str]] = {}  # operation key -> {variable: response field}
        for operation in operations(spec):
            if operation.key in self.created:
                value = self.created[operation.key]
                if self.name(value, operation) in self.creators:
                    # Another way to create the same record: a variable of its own, so the
                    # clean-up deletes this record too (`complete_attachment_id`).
                    value = f"{operation.path.rsplit('/', 1)[-1]}_{value}"
                    self.run_made.add(value)
                variable = self.name(value, operation)
                self.creators[variable] = operation
                self.sets[operation.key] = {variable: "id"}
            elif operation.resource_path == JOB_STARTER and operation.method == "GET":
                self.run_made.add(JOB_VARIABLE)
                variable = self.name(JOB_VARIABLE, operation)
                self.creators[variable] = operation
                self.sets[operation.key] = {variable: "id"}
            elif operation.resource_path == PRESIGN_UPLOAD and operation.method == "POST":
                answers = {self.name(field, operation): field for field in PRESIGN_ANSWERS}
                self.creators.update(dict.fromkeys(answers, operation))
                self.sets[operation.key] = answers

    def name(self, value: str, operation: Operation) -> str:
        return f"v1_{value}" if value in self.run_made and operation.is_v1 else value

    def body_variables(self, operation: Operation) -> dict[str, str]:
        """Top-level body field -> the variable holding the value the run created."""
        return {name: self.name(name, operation) for name in (*self.captured, *PRESIGN_ANSWERS)}

    def deletable(self, delete: Operation) -> list[str]:
        """The variables holding the records a DELETE removes, in creation order."""
        parameter = _last_path_parameter(delete.path)
        return [
            variable
            for variable, creator in self.creators.items()
            if self.created.get(creator.key) == parameter and creator.is_v1 == delete.is_v1
        ]

    def default(self, variable: str) -> str:
        # Values the run creates start empty: a guessed id could hit someone's real record.
        if variable in self.creators:
            return ""
        return self.examples.get(variable, "")

    def description(self, variable: str) -> str:
        if variable in self.creators:
            return f"Set by `{self.creators[variable].key}`"
        if variable in self.examples:
            return "From the spec's request examples (it exists on a fresh install)"
        return "Fill in"


def _example_values(spec: Spec) -> dict[str, str]:
    """Top-level scalar values of every request example, by field name (first one wins).

    They give path variables such as `clause_id` a value that exists (the seeded catalogue).
    """
    values: dict[str, str] = {}
    for operation in operations(spec):
        example = _request_example(operation)
        if isinstance(example, dict):
            for key, value in example.items():
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    values.setdefault(str(key), str(value))
    return values


def _request_example(operation: Operation) -> Any:
    content = operation.spec.get("requestBody", {}).get("content", {})
    media = content.get("application/json")
    if not media:
        return None
    if "example" in media:
        return media["example"]
    examples = media.get("examples") or {}
    for name in sorted(examples):
        if "value" in examples[name]:
            return examples[name]["value"]
    return None


def _postman_var(name: str) -> str:
    return "{{" + name + "}}"


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, " ".join(parts)))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return "" if value is None else str(value)


def _parameter_value(spec: Spec, parameter: Json) -> str:
    schema = _deref(spec, parameter.get("schema", {}))
    for source in (parameter, schema):
        if "example" in source:
            return _text(source["example"])
    return _text(schema.get("default"))


def _parameter_description(spec: Spec, parameter: Json) -> str:
    schema = _deref(spec, parameter.get("schema", {}))
    parts = [str(parameter.get("description", "")).strip()]
    if schema.get("enum"):
        parts.append("One of: " + ", ".join(_text(v) for v in schema["enum"]))
    return " ".join(p for p in parts if p)


def _json_body(example: Any, ids: dict[str, str], variable: Callable[[str], str]) -> str:
    """The example as indented JSON, with top-level ids the run creates as variables.

    `variable` writes a variable in the tool's syntax (`{{x}}` or `{{ _.x }}`). Numbers stay
    unquoted (`"assessment_id": {{assessment_id}}`): the tool substitutes before sending.
    """
    if not isinstance(example, dict):
        return json.dumps(example, indent=2)
    body = dict(example)
    swaps: dict[str, str] = {}
    for key, name in ids.items():
        if key in body and not isinstance(body[key], bool | dict | list):
            marker = f"@@{name}@@"
            quoted = isinstance(body[key], str)
            reference = variable(name)
            swaps[json.dumps(marker)] = json.dumps(reference) if quoted else reference
            body[key] = marker
    text = json.dumps(body, indent=2)
    for marker, replacement in swaps.items():
        text = text.replace(marker, replacement)
    return text


@dataclass(frozen=True)
class _FormField:
    name: str
    is_file: bool
    required: bool
    description: str
    value: str


def _form_fields(spec: Spec, operation: Operation) -> list[_FormField] | None:
    """The fields of a form upload, or None for an operation that takes no form.

    flask-smorest documents `location="files"` arguments as `formData` parameters and
    `location="form"` ones as a form request body; both go into one multipart request.
    """
    content = operation.spec.get("requestBody", {}).get("content", {})
    form_media = next(
        (
            content[m]
            for m in ("multipart/form-data", "application/x-www-form-urlencoded")
            if m in content
        ),
        None,
    )
    form_parameters = operation.parameters_in("formData")
    if form_media is None and not form_parameters:
        return None
    fields: list[_FormField] = []
    for parameter in form_parameters:
        schema = _deref(spec, parameter.get("schema", {}))
        is_file = schema.get("format") == "binary" or schema.get("type") == "file"
        fields.append(
            _FormField(
                str(parameter["name"]),
                is_file,
                bool(parameter.get("required")),
                _parameter_description(spec, parameter),
                "" if is_file else _parameter_value(spec, parameter),
            )
        )
    schema = _deref(spec, (form_media or {}).get("schema", {}))
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        prop = _deref(spec, prop)
        fields.append(
            _FormField(
                str(name),
                prop.get("format") == "binary",
                name in required,
                str(prop.get("description", "")),
                _text(prop.get("example", "")),
            )
        )
    return fields


# --- Postman ---------------------------------------------------------------------------------


def _status_test(label: str, codes: list[int], sets: dict[str, str]) -> list[str]:
    """Assert the status is one of `codes`; on success store `{variable: response field}`."""
    listed = ", ".join(str(c) for c in codes)
    said = " or ".join(str(c) for c in codes)
    lines = [
        f'pm.test("{label} answers {said}", function () {{',
        f"    pm.expect(pm.response.code).to.be.oneOf([{listed}]);",
        "});",
    ]
    if sets:
        lines.append(f"if ([{listed}].includes(pm.response.code)) {{")
        lines += [
            f'    pm.collectionVariables.set("{variable}", pm.response.json().{field});'
            for variable, field in sets.items()
        ]
        lines.append("}")
    return lines


def _test_event(item_name: str, key: str, script: list[str]) -> list[Json]:
    return [
        {
            "listen": "test",
            "script": {
                "id": _stable_id("postman-test", item_name, key),
                "type": "text/javascript",
                "exec": script,
            },
        }
    ]


def _postman_body(
    spec: Spec, operation: Operation, variables: _Variables, example: Any
) -> Json | None:
    fields = _form_fields(spec, operation)
    if fields is not None:
        formdata: list[Json] = []
        for field in fields:
            entry: Json = {"key": field.name, "description": field.description}
            if field.is_file:
                entry.update(type="file", src=SAMPLE_UPLOAD)
            else:
                entry.update(type="text", value=field.value)
            if not field.required:
                entry["disabled"] = True
            formdata.append(entry)
        return {"mode": "formdata", "formdata": formdata}
    if "requestBody" not in operation.spec:
        return None
    raw = _json_body(
        {} if example is None else example, variables.body_variables(operation), _postman_var
    )
    return {"mode": "raw", "raw": raw, "options": {"raw": {"language": "json"}}}


def _postman_request(
    spec: Spec,
    operation: Operation,
    variables: _Variables,
    *,
    name: str | None = None,
    example: Any = None,
    path_values: dict[str, str] | None = None,
) -> Json:
    """The request of `operation`; `path_values` names the variable of a path parameter when
    it is not the usual one (deleting the record a second way of creating made)."""
    segments = [s for s in operation.path.split("/") if s]
    path = [f":{s[1:-1]}" if s.startswith("{") and s.endswith("}") else s for s in segments]
    query = []
    chosen = JOB_STARTER_QUERY if operation.resource_path == JOB_STARTER else {}
    for parameter in operation.parameters_in("query"):
        entry: Json = {
            "key": parameter["name"],
            "value": chosen.get(parameter["name"]) or _parameter_value(spec, parameter),
            "description": _parameter_description(spec, parameter),
        }
        if not parameter.get("required") and parameter["name"] not in chosen:
            entry["disabled"] = True
        query.append(entry)
    enabled = [f"{q['key']}={q['value']}" for q in query if not q.get("disabled")]
    raw = "{{baseUrl}}/" + "/".join(path) + ("?" + "&".join(enabled) if enabled else "")
    url: Json = {"raw": raw, "host": ["{{baseUrl}}"], "path": path}
    if query:
        url["query"] = query
    path_variables = [
        {
            "key": p["name"],
            "value": _postman_var(
                (path_values or {}).get(p["name"]) or variables.name(p["name"], operation)
            ),
            "description": _parameter_description(spec, p),
        }
        for p in operation.parameters_in("path")
    ]
    if path_variables:
        url["variable"] = path_variables
    headers: list[Json] = [
        {"key": "X-Org-ID", "value": "{{orgId}}", "description": "Tenant (dev mode)"}
    ]
    for parameter in operation.parameters_in("header"):
        headers.append(
            {
                "key": parameter["name"],
                "value": _parameter_value(spec, parameter),
                "description": _parameter_description(spec, parameter),
                "disabled": not parameter.get("required"),
            }
        )
    if example is None:
        example = SAMPLE_BODIES.get(operation.resource_path) or _request_example(operation)
    body = _postman_body(spec, operation, variables, example)
    if body is not None and body["mode"] == "raw":
        headers.append({"key": "Content-Type", "value": "application/json"})
    request: Json = {
        "method": operation.method,
        "header": headers,
        "url": url,
        "description": str(operation.spec.get("description", "")),
    }
    if body is not None:
        request["body"] = body
    item_name = name or operation.name
    script = _status_test(
        operation.key, operation.success_codes, variables.sets.get(operation.key, {})
    )
    return {
        "id": _stable_id("postman", item_name, operation.key),
        "name": item_name,
        "request": request,
        "response": [],
        "event": _test_event(item_name, operation.key, script),
    }


def _presigned_put(presign: Operation, variables: _Variables) -> Json:
    """The client's PUT of the sample file to the URL `presign_upload` answered with."""
    upload_url = variables.name("upload_url", presign)
    name = f"Upload {SAMPLE_UPLOAD} to the pre-signed URL" + (" (v1)" if presign.is_v1 else "")
    key = f"PUT {_postman_var(upload_url)}"
    return {
        "id": _stable_id("postman", name, key),
        "name": name,
        "request": {
            "method": "PUT",
            "header": [{"key": "Content-Type", "value": SAMPLE_UPLOAD_TYPE}],
            "url": _postman_var(upload_url),  # the whole URL: its query carries the signature
            "body": {"mode": "file", "file": {"src": SAMPLE_UPLOAD}},
            # The URL carries its own signature; S3 refuses a request with a second credential.
            "auth": {"type": "noauth"},
            "description": (
                "Not an API request: the bytes go straight to the object store, with the "
                "Content-Type that was signed. `complete` then records them."
            ),
        },
        "response": [],
        "event": _test_event(name, key, _status_test(name, [200], {})),
    }


def _folder_items(spec: Spec, ops: list[Operation], variables: _Variables) -> list[Json]:
    items = []
    for op in ops:
        items.append(_postman_request(spec, op, variables))
        if op.resource_path == PRESIGN_UPLOAD and op.method == "POST":
            items.append(_presigned_put(op, variables))
    return items


def _creates_first(ops: list[Operation], variables: _Variables) -> list[Operation]:
    """The request that first sets each id goes first (later ones need the id); the rest keep
    the spec's order, so a second way to create (`complete` after `presign_upload`) stays put.
    """
    primary = {
        creator.key
        for variable, creator in variables.creators.items()
        if variable.removeprefix("v1_") in variables.captured
    }
    return sorted(ops, key=lambda op: op.key not in primary)


def _cleanup_items(spec: Spec, variables: _Variables, order: list[str]) -> list[Json]:
    """A DELETE of every record the run created, the most recently created first."""
    all_operations = operations(spec)
    by_key = {op.key: op for op in all_operations}
    deletions = [
        (order.index(variables.creators[variable].key), op, variable)
        for op in all_operations
        if op.method == "DELETE"
        for variable in variables.deletable(op)
        if variables.creators[variable].key in order
    ]
    items: list[Json] = []
    for _, op, variable in sorted(deletions, key=lambda d: d[0], reverse=True):
        parameter = _last_path_parameter(op.path) or ""
        path_values = {parameter: variable}
        which = "" if variable == variables.name(parameter, op) else f" ({variable})"
        release = RELEASE_BEFORE_DELETE.get(op.resource_path)
        patch = by_key.get(f"PATCH {op.path}")
        if release is not None and patch is not None:
            items.append(
                _postman_request(
                    spec,
                    patch,
                    variables,
                    name=f"{op.tag}: release before delete ({patch.name}){which}",
                    example=release,
                    path_values=path_values,
                )
            )
        items.append(
            _postman_request(
                spec, op, variables, name=f"{op.tag}: {op.name}{which}", path_values=path_values
            )
        )
    return items


def postman_collection(spec: Spec) -> Json:
    """A Postman v2.1 collection: a folder per tag, then the clean-up folder of DELETEs."""
    variables = _Variables(spec)
    all_operations = operations(spec)
    descriptions = {str(t["name"]): str(t.get("description", "")) for t in spec.get("tags", [])}
    folders: list[Json] = []
    order: list[str] = []  # operation keys in run order, for the clean-up order
    for tag in tag_names(spec):
        ops = [op for op in all_operations if op.tag == tag and op.method != "DELETE"]
        if not ops:
            continue
        ops = _creates_first(ops, variables)
        order += [op.key for op in ops]
        folders.append(
            {
                "name": tag,
                "description": descriptions.get(tag, ""),
                "item": _folder_items(spec, ops, variables),
            }
        )
    cleanup = _cleanup_items(spec, variables, order)
    if cleanup:
        folders.append(
            {
                "name": CLEANUP_FOLDER,
                "description": (
                    "Every DELETE route, last so that a run of the whole collection deletes "
                    "only what it created, after every request that needs it; records created "
                    "last go first (evidence before its assessment, nonconformities before "
                    "their audit)."
                ),
                "item": cleanup,
            }
        )
    used = {
        variables.name(p["name"], op) for op in all_operations for p in op.parameters_in("path")
    }
    info = spec.get("info", {})
    return {
        "info": {
            "_postman_id": _stable_id("postman-collection", str(info.get("title", ""))),
            "name": str(info.get("title", "API")),
            "description": _collection_description(spec),
            "schema": POSTMAN_SCHEMA,
        },
        "auth": {
            "type": "bearer",
            "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}],
        },
        "variable": [
            {
                "key": name,
                "value": variables.default(name),
                "type": "string",
                "description": variables.description(name),
            }
            for name in sorted(used | set(variables.creators))
        ],
        "item": folders,
    }


def _collection_description(spec: Spec) -> str:
    info = spec.get("info", {})
    return "\n\n".join(
        part
        for part in (
            str(info.get("description", "")),
            f"Generated from the OpenAPI spec (version {info.get('version', '?')}) by "
            "`iso55001 collections`; do not edit by hand. Set `baseUrl`, `token` (empty when "
            "no auth is configured) and `orgId` in the environment. Creating requests store "
            "the new record's id in a collection variable that later requests use; `/v1` "
            "requests keep their own ids (`v1_...`). Upload requests send the file "
            f"`{SAMPLE_UPLOAD}` shipped next to this collection: run newman from its folder "
            "(or pass `--working-dir`); in Postman, set the working directory to it. The "
            "pre-signed requests (`presign_upload`, the PUT of the bytes, `complete`, "
            "`download_url`) need a server with an object store (S3) configured; without "
            "one they answer 409.",
        )
        if part
    )


def postman_environment(spec: Spec) -> Json:
    title = str(spec.get("info", {}).get("title", "API"))
    return {
        "id": _stable_id("postman-environment", title),
        "name": f"{title} (local)",
        "values": [
            {"key": "baseUrl", "value": BASE_URL, "type": "default", "enabled": True},
            {"key": "token", "value": "", "type": "secret", "enabled": True},
            {"key": "orgId", "value": DEFAULT_ORG, "type": "default", "enabled": True},
        ],
        "_postman_variable_scope": "environment",
    }


# --- Insomnia --------------------------------------------------------------------------------


def _insomnia_var(name: str) -> str:
    return "{{ _." + name + " }}"


def _insomnia_request(
    spec: Spec, operation: Operation, captured: set[str], parent: str, position: int
) -> Json:
    url = "{{ _.baseUrl }}" + "".join(
        "/" + (_insomnia_var(s[1:-1]) if s.startswith("{") and s.endswith("}") else s)
        for s in operation.path.split("/")
        if s
    )
    parameters = [
        {
            "name": p["name"],
            "value": _parameter_value(spec, p),
            "description": _parameter_description(spec, p),
            "disabled": not p.get("required"),
        }
        for p in operation.parameters_in("query")
    ]
    headers: list[Json] = [{"name": "X-Org-ID", "value": _insomnia_var("orgId")}]
    headers += [
        {"name": p["name"], "value": _parameter_value(spec, p), "disabled": not p.get("required")}
        for p in operation.parameters_in("header")
    ]
    body: Json = {}
    fields = _form_fields(spec, operation)
    if fields is not None:
        body = {
            "mimeType": "multipart/form-data",
            "params": [
                {"name": f.name, "type": "file", "fileName": "", "disabled": not f.required}
                if f.is_file
                else {"name": f.name, "value": f.value, "disabled": not f.required}
                for f in fields
            ],
        }
        headers.append({"name": "Content-Type", "value": "multipart/form-data"})
    elif "requestBody" in operation.spec:
        example = _request_example(operation)
        ids = {p: p for p in captured}
        body = {
            "mimeType": "application/json",
            "text": _json_body({} if example is None else example, ids, _insomnia_var),
        }
        headers.append({"name": "Content-Type", "value": "application/json"})
    return {
        "_id": "req_" + uuid.UUID(_stable_id("insomnia", operation.key)).hex,
        "_type": "request",
        "parentId": parent,
        "name": operation.name,
        "description": str(operation.spec.get("description", "")),
        "method": operation.method,
        "url": url,
        "parameters": parameters,
        "headers": headers,
        "body": body,
        "authentication": {"type": "bearer", "token": _insomnia_var("token"), "disabled": False},
        "metaSortKey": position,
    }


def insomnia_export(spec: Spec) -> Json:
    """An Insomnia v4 export: workspace, base environment, a request group per tag."""
    variables = _Variables(spec)
    info = spec.get("info", {})
    title = str(info.get("title", "API"))
    workspace = "wrk_" + uuid.UUID(_stable_id("insomnia-workspace", title)).hex
    path_names = sorted({p["name"] for op in operations(spec) for p in op.parameters_in("path")})
    resources: list[Json] = [
        {
            "_id": workspace,
            "_type": "workspace",
            "parentId": None,
            "name": title,
            "description": str(info.get("description", "")),
            "scope": "collection",
        },
        {
            "_id": "env_" + uuid.UUID(_stable_id("insomnia-environment", title)).hex,
            "_type": "environment",
            "parentId": workspace,
            "name": "Base Environment",
            "data": {
                "baseUrl": BASE_URL,
                "token": "",
                "orgId": DEFAULT_ORG,
                **{name: variables.default(name) for name in path_names},
            },
            "metaSortKey": 0,
        },
    ]
    descriptions = {str(t["name"]): str(t.get("description", "")) for t in spec.get("tags", [])}
    for group_position, tag in enumerate(tag_names(spec)):
        ops = [op for op in operations(spec) if op.tag == tag]
        if not ops:
            continue
        group = "fld_" + uuid.UUID(_stable_id("insomnia-group", tag)).hex
        resources.append(
            {
                "_id": group,
                "_type": "request_group",
                "parentId": workspace,
                "name": tag,
                "description": descriptions.get(tag, ""),
                "environment": {},
                "metaSortKey": group_position,
            }
        )
        resources += [
            _insomnia_request(spec, op, variables.captured, group, position)
            for position, op in enumerate(ops)
        ]
    return {
        "_type": "export",
        "__export_format": 4,
        "__export_source": "iso55001.collections",
        "resources": resources,
    }


# --- files and CLI ---------------------------------------------------------------------------


def dumps(document: Json) -> str:
    """The committed form: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_collections(spec: Spec) -> dict[str, str]:
    """File name -> file text for every generated file, the sample upload included."""
    return {
        POSTMAN_COLLECTION: dumps(postman_collection(spec)),
        POSTMAN_ENVIRONMENT: dumps(postman_environment(spec)),
        INSOMNIA_EXPORT: dumps(insomnia_export(spec)),
        SAMPLE_UPLOAD: SAMPLE_UPLOAD_TEXT,
    }


def write_collections(spec: Spec, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_collections(spec).items():
        target = folder / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def current_spec() -> Spec:
    """The current app's OpenAPI dict, looked up as flask-smorest's own `openapi` CLI does."""
    api = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec: Spec = api.spec.to_dict()
    return spec


@click.command("collections")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Folder for the Postman and Insomnia files.",
)
@with_appcontext
def collections_command(output: Path) -> None:
    """Regenerate the Postman and Insomnia collections from the OpenAPI spec."""
    for path in write_collections(current_spec(), output):
        click.echo(f"Wrote {path}")


def iter_postman_requests(collection: Json) -> Iterator[Json]:
    """Every request item of a Postman collection, folders flattened, in run order."""
    for entry in collection.get("item", []):
        if "request" in entry:
            yield entry
        else:
            yield from iter_postman_requests(entry)
