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
import inspect
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
    """A registered derivation: its metadata (stated once, in the decorator), its builder and
    an optional numeric cross-check."""

    name: str
    title: str
    source: str
    module: str
    builder: Callable[..., Any]
    summary: str = ""
    crosscheck_ref: str | Callable[..., Any] | None = None

    def build(self) -> Derivation:
        """A fresh :class:`Derivation` carrying this entry's metadata, filled by the builder."""
        d = Derivation(self.name, title=self.title, source=self.source, summary=self.summary)
        if _takes_derivation(self.builder):
            out = self.builder(d)
            if out is not None and out is not d:
                raise TypeError(f"derivation '{self.name}': build(d) fills d; it returned "
                                f"another {type(out).__name__}")
            return d
        # the first API: build() -> Derivation, with the metadata stated a second time
        d = self.builder()
        if not isinstance(d, Derivation):
            raise TypeError(f"derivation '{self.name}': build() returned {type(d).__name__}, "
                            "not a Derivation (write def build(d): and fill d)")
        drift = [f"{k} {getattr(d, k)!r} vs {getattr(self, k)!r}" for k in ("name", "title", "source")
                 if getattr(d, k) != getattr(self, k)]
        if drift:
            raise ValueError(f"derivation '{self.name}': the decorator and the Derivation disagree "
                             f"({'; '.join(drift)}); state it once: def build(d):")
        return d

    @property
    def crosscheck(self) -> Callable[..., Any] | None:
        """The cross-check function (``"module:function"`` is imported on first use, so
        ``kexue-sym list`` never imports torch)."""
        ref = self.crosscheck_ref
        if ref is None or callable(ref):
            return ref
        module, _, fn = ref.partition(":")
        return getattr(importlib.import_module(module), fn)


def _takes_derivation(build: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(build).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


_REGISTRY: dict[str, Entry] = {}
_discovered = False


def derivation(name: str, *, title: str, source: str, summary: str = "",
               crosscheck: str | Callable[..., Any] | None = None) -> Callable:
    """Decorator registering ``build(d)`` under ``name``::

        @derivation("am_gm", title="AM-GM for two numbers", source="https://...",
                    crosscheck="my_package.checks:am_gm")
        def build(d):
            d.calc(a * b).le(...)

    The registry makes the :class:`Derivation` ``d`` from this metadata (stated here only)
    and passes it to ``build``.  ``crosscheck`` is a function or ``"module:function"``,
    imported only when the cross-check runs.  A name belongs to one builder: a second builder
    of the same name (another module, or another function of the same module) raises
    :class:`DuplicateDerivation`; re-importing the same module re-registers its own builder.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"derivation name {name!r} must be letters, digits, '_', '-' or '.'")
    for key, value in (("title", title), ("source", source)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"derivation '{name}': {key}= must be non-empty text")
    if isinstance(crosscheck, str) and not re.match(r"^[\w.]+:\w+$", crosscheck):
        raise ValueError(f"derivation '{name}': crosscheck={crosscheck!r} is not 'module:function'")

    def register(build: Callable[..., Any]) -> Callable[..., Any]:
        entry = Entry(name, title, source, build.__module__, build, summary, crosscheck)
        old = _REGISTRY.get(name)
        if old is not None and (old.module, old.builder.__qualname__) != (
                entry.module, build.__qualname__):
            where = (old.module if old.module != entry.module
                     else f"{old.module} ({old.builder.__qualname__} and {build.__qualname__})")
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
