"""One twin: a loaded spec with its router, resource model and compiled helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twins.behaviour.schema_tools import SchemaTools
from twins.catalog import Pack, pack_for
from twins.request import RequestValidator
from twins.routing import Router
from twins.spec import load_spec
from twins.spec.model import Operation, Spec
from twins.spec.resources import ResourceModel, infer_resources
from twins.spec.servers import server_origins


@dataclass(eq=False)
class Twin:
    name: str
    spec: Spec
    router: Router
    model: ResourceModel
    tools: SchemaTools
    pack: Pack
    origins: tuple[str, ...]  # the vendor's own origins: links to them point at the twin
    _validators: dict[str, RequestValidator] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"Twin({self.name!r}, {len(self.spec.operations)} operations)"

    @classmethod
    def from_spec(cls, name: str, spec: Spec) -> Twin:
        pack = pack_for(name, spec)
        router = Router(spec.operations)
        for method, path, operation in pack.aliases():
            router.add_alias(method, path, operation)
        return cls(
            name,
            spec,
            router,
            infer_resources(spec),
            SchemaTools(spec),
            pack,
            server_origins(spec.document),
        )

    @classmethod
    def load(cls, name: str, source: str | Path | dict[str, Any]) -> Twin:
        return cls.from_spec(name, load_spec(source, name=name))

    def validator(self, operation: Operation) -> RequestValidator:
        """The request validator of an operation, compiled on its first request."""
        found = self._validators.get(operation.label)
        if found is None:
            found = RequestValidator.for_operation(operation, self.spec.document)
            self._validators[operation.label] = found
        return found

    def summary(self, base_url: str) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.spec.title,
            "version": self.spec.version,
            "source": self.spec.source,
            "openapi": self.spec.source_version,
            "operations": len(self.spec.operations),
            "resources": [r.name for r in self.model.resources],
            "base_url": f"{base_url}/{self.name}{self.spec.base_path}",
            "problems": len(self.spec.problems),
            "pack": self.pack.name,
        }
