"""Discovery of the derivations: one registry filled by a decorator.

Every module of :mod:`kexue_sym.derivations` (the project's ``derivations/`` folder) registers
its derivation with :func:`derivation`; :func:`get` finds one by name and suggests close names
for typos.  Users' own derivation files load with :func:`load_file`.
"""
from __future__ import annotations

import difflib
import importlib
import importlib.util
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .derivation import Derivation


class UnknownDerivation(KeyError):
    """No derivation of that name; ``suggestions`` holds the close ones."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name, self.suggestions = name, suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown derivation '{name}'{hint} ('kexue-sym list' shows all)")

    def __str__(self) -> str:
        return self.args[0]


class DuplicateDerivation(ValueError):
    """Two modules registered the same name."""


@dataclass(frozen=True)
class Entry:
    """A registered derivation: metadata, its builder, and an optional numeric cross-check."""

    name: str
    title: str
    source: str
    module: str
    build: Callable[[], Derivation]
    crosscheck: Callable[..., Any] | None = None


_REGISTRY: dict[str, Entry] = {}
_discovered = False


def derivation(name: str, *, title: str, source: str,
               crosscheck: Callable[..., Any] | None = None) -> Callable:
    """Decorator registering ``build() -> Derivation`` under ``name``."""
    def register(build: Callable[[], Derivation]) -> Callable[[], Derivation]:
        entry = Entry(name, title, source, build.__module__, build, crosscheck)
        old = _REGISTRY.get(name)
        if old is not None and old.module != entry.module:
            raise DuplicateDerivation(
                f"derivation '{name}' is registered twice: in {old.module} and {entry.module}")
        _REGISTRY[name] = entry
        return build
    return register


def discover() -> None:
    """Import every module of :mod:`kexue_sym.derivations` (once)."""
    global _discovered
    if _discovered:
        return
    package = importlib.import_module("kexue_sym.derivations")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"kexue_sym.derivations.{info.name}")
    _discovered = True


def names() -> list[str]:
    discover()
    return sorted(_REGISTRY)


def entries() -> list[Entry]:
    discover()
    return [_REGISTRY[n] for n in sorted(_REGISTRY)]


def get(name: str) -> Entry:
    """The entry called ``name``; :class:`UnknownDerivation` with close matches otherwise."""
    discover()
    try:
        return _REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(_REGISTRY), n=3, cutoff=0.5)
        raise UnknownDerivation(name, close) from None


def load_file(path: str | Path) -> list[Entry]:
    """Import a user's derivation file (their own Python code) and return what it registered."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such derivation file: {path}")
    module_name = f"kexue_sym_user_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return [e for _, e in sorted(_REGISTRY.items()) if e.module == module_name]
