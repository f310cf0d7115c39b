"""Discovery of the derivations: one registry filled by a decorator.

Every module of :mod:`kexue_sym.derivations` (the project's ``derivations/`` folder) registers
its derivation with :func:`derivation`; :func:`get` finds one by name and suggests close names
for typos.  Users' own derivation files load with :func:`load_file`.
"""
from __future__ import annotations

import difflib
import hashlib
import importlib
import importlib.util
import pkgutil
import re
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
    """Two builders registered the same name."""


class UserFileError(ValueError):
    """A user's derivation file could not be loaded (the message says why, in one line)."""


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


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
    """Decorator registering ``build() -> Derivation`` under ``name``.

    A name belongs to one builder: a second builder of the same name (another module, or
    another function of the same module) raises :class:`DuplicateDerivation`; re-importing
    the same module re-registers its own builder.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"derivation name {name!r} must be letters, digits, '_', '-' or '.'")

    def register(build: Callable[[], Derivation]) -> Callable[[], Derivation]:
        entry = Entry(name, title, source, build.__module__, build, crosscheck)
        old = _REGISTRY.get(name)
        if old is not None and (old.module, old.build.__qualname__) != (
                entry.module, build.__qualname__):
            where = (old.module if old.module != entry.module
                     else f"{old.module} ({old.build.__qualname__} and {build.__qualname__})")
            raise DuplicateDerivation(
                f"derivation '{name}' is registered twice: in {where}"
                + (f" and {entry.module}" if old.module != entry.module else ""))
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


def _module_name(path: Path) -> str:
    """One module name per file (two files with one stem stay apart)."""
    digest = hashlib.sha1(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"kexue_sym_user_{re.sub(r'[^A-Za-z0-9_]', '_', path.stem)}_{digest}"


def load_file(path: str | Path) -> list[Entry]:
    """Import a user's derivation file (their own Python code) and return what it registered.

    The built-in derivations are registered first, so a file cannot take one of their names;
    loading the same file twice imports it once.  Anything that goes wrong while the file runs
    (an exception, ``sys.exit()``, a duplicate name) is a :class:`UserFileError` and leaves the
    registry as it was.
    """
    discover()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such derivation file: {path}")
    path = path.resolve()
    module_name = _module_name(path)
    if module_name in sys.modules:
        return [e for _, e in sorted(_REGISTRY.items()) if e.module == module_name]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UserFileError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    before = dict(_REGISTRY)
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - the user's code: report, never pass it on
        sys.modules.pop(module_name, None)
        _REGISTRY.clear()
        _REGISTRY.update(before)
        if isinstance(exc, KeyboardInterrupt):
            raise
        if isinstance(exc, SystemExit):
            raise UserFileError(f"{path} called sys.exit({exc.code!r}) while loading; nothing "
                                "was verified") from None
        if isinstance(exc, DuplicateDerivation):
            raise UserFileError(str(exc)) from None
        text = str(exc).splitlines()[0] if str(exc) else ""
        raise UserFileError(f"{path} raised {type(exc).__name__}{': ' + text if text else ''} "
                            "while loading") from None
    return [e for _, e in sorted(_REGISTRY.items()) if e.module == module_name]
