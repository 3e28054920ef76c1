"""The OpenAPI document tells the truth about errors: every error status as problem+json.

Errors are mapped once in ``create_app`` to RFC 9457 ``application/problem+json``
bodies; FastAPI's generated document knows none of that (it lists a 422 as its
own ``HTTPValidationError`` in ``application/json``). :func:`document_problems`
rewrites the generated document once, from what each route is made of:

- parameters or a body → 422 (invalid input; also refusals by the rules in force);
- a body → 400 (not JSON at all) and 413 (over ``GARITA_MAX_BODY_BYTES``);
- a path parameter → 404 (that object does not exist, or is not the caller's);
- the caller's token → 401 with ``WWW-Authenticate`` (and 403 for a session that is
  not full yet); a role check → 403;
- what a route declares itself with :func:`errors` (409, 429 with ``Retry-After``, 503…);
- a 201 carries ``Location`` (required).

Every error response then points at one ``Problem`` schema in
``application/problem+json``. Schemathesis holds the app to it
(``tests/contract/test_schemathesis.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

PROBLEM = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

DESCRIPTIONS = {
    400: "The body could not be read (not JSON, or not the form this route takes).",
    401: "Not signed in, or the token is invalid or expired.",
    403: "Signed in, but this role may not do this.",
    404: "No such object, or not the caller's (the same answer for both: ids are no oracle).",
    409: "Conflicts with what is stored (already done, or done differently).",
    413: "The request body is larger than GARITA_MAX_BODY_BYTES.",
    422: "Invalid input, or refused by the rules in force; `detail` says what to fix.",
    429: "Too many requests; retry after `Retry-After` seconds.",
    503: "Not available now; retry shortly.",
}

HEADERS = {
    401: {"WWW-Authenticate": {"description": "The authentication scheme: Bearer.",
                               "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "Seconds to wait before trying again.",
                          "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details, in the caller's language (Accept-Language).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "Always about:blank."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong and what to fix."},
        "errors": {"type": "array", "description": "Invalid input: one entry per field.",
                   "items": {"type": "object", "required": ["field", "message"],
                             "properties": {"field": {"type": "string"},
                                            "message": {"type": "string"}}}},
    },
    "additionalProperties": True,
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route's own error statuses (their body is filled in by
    :func:`document_problems`): ``@router.post(..., responses=errors(409, 429))``."""
    return {s: {"description": DESCRIPTIONS.get(s, "Error.")} for s in statuses}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dep in dependant.dependencies:
        if dep.call is not None:
            yield dep.call
        yield from _calls(dep)


def _statuses(route: APIRoute, who: Mapping[Callable[..., Any], set[int]]) -> set[int]:
    """The error statuses a route can answer, from its parameters and dependencies."""
    found: set[int] = set()
    dependant = route.dependant
    params = (dependant.path_params or dependant.query_params or dependant.header_params
              or dependant.cookie_params or dependant.body_params)
    if params or route.body_field is not None:
        found.add(422)
    if route.body_field is not None:
        found |= {400, 413}  # a body that is not JSON (or the form) at all; too large
    if route.dependant.path_params:
        found.add(404)
    for call in _calls(dependant):
        if call in who:
            found |= who[call]
        elif getattr(call, "__qualname__", "").startswith("require.<locals>"):
            found |= {401, 403}
    return found


def document_problems(app: FastAPI, who: Mapping[Callable[..., Any], set[int]]) -> None:
    """Make ``app.openapi()`` document every error status of every route as problem+json.

    ``who`` maps each dependency that reads the caller's token to the statuses it answers:
    ``deps.principal`` 401 and 403 (a staff session still enrolling in two-factor),
    ``deps.any_session`` 401."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for context in iter_route_contexts(app.routes):  # included routers, flattened
            route = context.original_route
            if not (isinstance(route, APIRoute) and route.include_in_schema):
                continue
            for method in route.methods or ():
                operation = schema["paths"].get(context.path_format, {}).get(method.lower())
                if operation is not None:
                    _rewrite(operation, _statuses(route, who))
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        for unused in ("HTTPValidationError", "ValidationError"):
            schema["components"]["schemas"].pop(unused, None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _rewrite(operation: dict[str, Any], statuses: set[int]) -> None:
    responses = operation.setdefault("responses", {})
    for status in statuses:
        responses.setdefault(str(status), {"description": DESCRIPTIONS.get(status, "Error.")})
    for code, response in responses.items():
        if code[0] in "45":
            status = int(code)
            if response.get("description") in (None, "", "Validation Error"):
                response["description"] = DESCRIPTIONS.get(status, "Error.")
            response["content"] = {PROBLEM: {"schema": PROBLEM_REF}}
            if status in HEADERS:
                response["headers"] = HEADERS[status]
    if "201" in responses and responses["201"].get("headers") != {}:  # {}: declared without
        # RFC 9110: where the new resource can be read
        responses["201"].setdefault("headers", {})["Location"] = {
            "description": "Where the created resource (or the nearest view of it) is read.",
            "required": True, "schema": {"type": "string"}}
    operation["responses"] = dict(sorted(responses.items()))
