"""Reading untrusted YAML data field by field, so every error names the file and the JSON
pointer of the bad field (`scenarios/checkout.yaml: /steps/2/method: must be one of ...`)."""

from __future__ import annotations

from typing import Any


class ScenarioError(ValueError):
    """A scenario (or app descriptor) that cannot be loaded, with where and why."""

    def __init__(self, source: str, pointer: str, reason: str) -> None:
        super().__init__(f"{source}: {pointer or '/'}: {reason}")
        self.source = source
        self.pointer = pointer
        self.reason = reason


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class Node:
    """A value inside a loaded document, with its pointer for error messages."""

    def __init__(self, source: str, pointer: str, value: Any) -> None:
        self.source = source
        self.pointer = pointer
        self.value = value

    def fail(self, reason: str) -> ScenarioError:
        return ScenarioError(self.source, self.pointer, reason)

    def child(self, key: str | int, value: Any) -> Node:
        return Node(self.source, f"{self.pointer}/{escape(str(key))}", value)

    def mapping(self, allowed: set[str] | None = None) -> dict[str, Node]:
        if not isinstance(self.value, dict):
            raise self.fail(f"must be a mapping, not {type(self.value).__name__}")
        nodes: dict[str, Node] = {}
        for key, value in self.value.items():
            if not isinstance(key, str):
                raise self.fail(f"keys must be strings, not {key!r}")
            if allowed is not None and key not in allowed:
                raise self.child(key, value).fail(
                    f"unknown field; expected one of {sorted(allowed)}"
                )
            nodes[key] = self.child(key, value)
        return nodes

    def items(self, limit: int) -> list[Node]:
        if not isinstance(self.value, list):
            raise self.fail(f"must be a list, not {type(self.value).__name__}")
        if len(self.value) > limit:
            raise self.fail(f"has {len(self.value)} items; at most {limit}")
        return [self.child(index, value) for index, value in enumerate(self.value)]

    def text(self, limit: int = 1000) -> str:
        if not isinstance(self.value, str) or not self.value:
            raise self.fail("must be a non-empty string")
        if len(self.value) > limit:
            raise self.fail(f"is {len(self.value)} characters; at most {limit}")
        return self.value

    def integer(self, low: int | None = None, high: int | None = None) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail("must be an integer")
        if (low is not None and self.value < low) or (high is not None and self.value > high):
            raise self.fail(f"must be between {low} and {high}")
        return self.value

    def number(self, low: float, high: float) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail("must be a number")
        if not low <= self.value <= high:
            raise self.fail(f"must be between {low} and {high}")
        return float(self.value)

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("must be true or false")
        return self.value

    def strings(self, limit: int) -> dict[str, str]:
        self._sized(limit)
        return {key: node.scalar_text() for key, node in self.mapping().items()}

    def scalar_text(self) -> str:
        """A string, number or boolean, as the text a header or form field carries."""
        if isinstance(self.value, bool):
            return str(self.value).lower()
        if isinstance(self.value, int | float | str):
            return str(self.value)
        raise self.fail("must be a string")

    def _sized(self, limit: int) -> dict[Any, Any]:
        if not isinstance(self.value, dict):
            raise self.fail(f"must be a mapping, not {type(self.value).__name__}")
        if len(self.value) > limit:
            raise self.fail(f"has {len(self.value)} entries; at most {limit}")
        return self.value

    def pointer_text(self) -> str:
        text = self.text(500)
        if not text.startswith("/"):
            raise self.fail("must be a JSON pointer starting with '/'")
        return text


def required(fields: dict[str, Node], parent: Node, name: str) -> Node:
    if name not in fields:
        raise parent.fail(f"missing required field {name!r}")
    return fields[name]


def optional_items(fields: dict[str, Node], name: str, limit: int) -> list[Node]:
    return fields[name].items(limit) if name in fields else []
