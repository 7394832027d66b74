"""Operations of a normalised document: one `Operation` per (path, method).

Each operation is built on its own: anything that stops it from being served becomes an "error"
Problem naming its pointer and the operation is skipped; the others are unaffected. Callbacks and
3.1 webhooks are requests the API makes, not ones it answers, so they give no operations.
"""

from __future__ import annotations

from typing import Any

from twins.errors import Problem, SpecError
from twins.spec import refs
from twins.spec.content import request_body, responses
from twins.spec.model import HTTP_METHODS, PRODUCES, Operation, SecurityScheme
from twins.spec.parameters import operation_parameters, template_variables
from twins.spec.security import requirements


def build_operations(
    document: dict[str, Any], schemes: dict[str, SecurityScheme], problems: list[Problem]
) -> list[Operation]:
    paths = document.get("paths")
    if paths is None:
        return []
    if not isinstance(paths, dict):
        problems.append(Problem("/paths", "paths must be an object", "error"))
        return []
    default_security = requirements(document.get("security", []), schemes, "/security", problems)
    operations: list[Operation] = []
    for path, item in paths.items():
        if not str(path).startswith("x-"):
            operations.extend(
                _path_operations(document, path, item, default_security, schemes, problems)
            )
    _report_repeated_ids(operations, problems)
    return operations


def _path_operations(
    document: dict[str, Any],
    path: str,
    item: Any,
    default_security: tuple[dict[str, tuple[str, ...]], ...],
    schemes: dict[str, SecurityScheme],
    problems: list[Problem],
) -> list[Operation]:
    at = f"/paths/{refs.escape(path)}"
    try:
        item = _path_item(document, item, path, at)
    except SpecError as error:
        problems.append(Problem(error.pointer, error.message, "error"))
        return []
    shared = _declared(item.get("parameters"), f"{at}/parameters")
    context = _Context(document, path, shared, default_security, schemes, problems)
    built = []
    for method in HTTP_METHODS:
        if method not in item:
            continue
        pointer = f"{at}/{method}"
        try:
            built.append(context.operation(method, item[method], pointer))
        except SpecError as error:
            problems.append(Problem(error.pointer, error.message, "error"))
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            # A shape nobody foresaw must cost this operation only, never the whole spec.
            problems.append(Problem(pointer, f"unusable operation: {error!r}", "error"))
    return built


def _path_item(document: dict[str, Any], item: Any, path: str, at: str) -> dict[str, Any]:
    if isinstance(item, dict) and "$ref" in item:
        target, _ = refs.deref(document, item, at=at)
        # 3.1 lets a path item `$ref` carry siblings (summary, description).
        item = (
            {**target, **{k: v for k, v in item.items() if k != "$ref"}}
            if isinstance(target, dict)
            else target
        )
    if not isinstance(item, dict):
        raise SpecError(at, "a path item must be an object")
    if not path.startswith("/"):
        raise SpecError(at, f"path {path!r} does not start with '/'")
    variables = template_variables(path)
    if len(set(variables)) != len(variables):
        raise SpecError(at, f"path {path!r} names a parameter twice")
    return item


def _declared(raw: Any, at: str) -> list[tuple[Any, str]]:
    return [(p, f"{at}/{i}") for i, p in enumerate(raw)] if isinstance(raw, list) else []


class _Context:
    def __init__(
        self,
        document: dict[str, Any],
        path: str,
        shared: list[tuple[Any, str]],
        default_security: tuple[dict[str, tuple[str, ...]], ...],
        schemes: dict[str, SecurityScheme],
        problems: list[Problem],
    ) -> None:
        self.document = document
        self.path = path
        self.shared = shared
        self.default_security = default_security
        self.schemes = schemes
        self.problems = problems

    def operation(self, method: str, raw: Any, at: str) -> Operation:
        if not isinstance(raw, dict):
            raise SpecError(at, "an operation must be an object")
        declared = self.shared + _declared(raw.get("parameters"), f"{at}/parameters")
        body = raw.get("requestBody")
        security = self.default_security
        if "security" in raw:
            security = requirements(raw["security"], self.schemes, f"{at}/security", self.problems)
        operation_id = raw.get("operationId")
        summary = raw.get("summary")
        tags = raw.get("tags")
        produces = raw.get(PRODUCES)
        return Operation(
            method=method.upper(),
            path=self.path,
            operation_id=operation_id if isinstance(operation_id, str) else None,
            summary=summary if isinstance(summary, str) else "",
            parameters=operation_parameters(self.document, self.path, declared, at, self.problems),
            request_body=None
            if body is None
            else request_body(self.document, body, f"{at}/requestBody", self.problems),
            responses=responses(
                self.document, raw.get("responses"), f"{at}/responses", self.problems
            ),
            security=security,
            pointer=at,
            deprecated=raw.get("deprecated") is True,
            tags=_strings(tags),
            produces=_strings(produces),
        )


def _strings(raw: Any) -> tuple[str, ...]:
    return tuple(item for item in raw if isinstance(item, str)) if isinstance(raw, list) else ()


def _report_repeated_ids(operations: list[Operation], problems: list[Problem]) -> None:
    first: dict[str, Operation] = {}
    for operation in operations:
        if operation.operation_id is None:
            continue
        earlier = first.setdefault(operation.operation_id, operation)
        if earlier is not operation:
            message = f"operationId {operation.operation_id!r} repeats {earlier.label}"
            problems.append(Problem(operation.pointer, message))
