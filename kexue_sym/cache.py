"""A cache of verdicts, keyed by content, in one SQLite file.

A step's key is a SHA-256 over everything its verdict can depend on:

* the claim: ``srepr`` of both sides (symbols carry their assumptions) and the relation;
* its justification, structurally: the justification's type, the reason text, the checker
  options (``certificate=``, ...), cited lemmas (their statements and hypotheses), the
  substitutions, a custom checker's compiled code together with the source file that defines
  it, and the keys of its premises, so editing a step re-checks it and every step that cites
  it, nothing else;
* the engine: the source of every module of ``kexue_sym`` (any change to a checker voids the
  whole cache), the versions of sympy, mpmath and Python, and :data:`SCHEMA`.

A PROVED or REFUTED verdict is a certificate (an exact proof, a re-checked counterexample) and
is reused under any time limit.  A CHECKED verdict may depend on the time the checker had (a
symbolic stage that ran out leaves the numeric one), so the time limit is part of its key, and
one that reached any time limit (a stage "stopped after" its budget) is not stored.  UNDECIDED
is never stored: it may come from a time or memory limit, or a crash, that another run does
not meet.  A step whose key cannot be computed (a
custom checker closing over an object with no stable content) is simply checked every time.

The file lives in ``$XDG_CACHE_HOME/kexue-sym/verdicts.sqlite3`` (``~/.cache`` without it).
SQLite in WAL mode with a busy timeout lets parallel runs (``--jobs``) read and write it at
once; a file that is not a kexue-sym cache, or is damaged, is ignored with a one-line warning
and the run goes on uncached.
"""
from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import inspect
import json
import marshal
import os
import re
import sqlite3
import sys
import time
import types
from pathlib import Path
from typing import Any, Callable

import sympy as sp

from .verdict import Status, Verdict

__all__ = ["VerdictCache", "step_key", "default_path", "engine_fingerprint", "SCHEMA"]

#: the layout of the stored rows; bump to void every cache written before
SCHEMA = 1
#: SQLite's application_id of a kexue-sym cache ("kxsy"): any other file is foreign
APPLICATION_ID = 0x6B787379
#: a time limit reached somewhere in the evidence (CheckTimeout's own text, the integrand check)
_TIME_LIMITED = re.compile(r"stopped after|ran past")


#: packages whose functions are fingerprinted by name: their versions are in the engine's
_VERSIONED = {"sympy", "mpmath", "builtins", "math", "operator", "functools", "itertools"}


class Uncacheable(Exception):
    """The step's verdict depends on something without a stable fingerprint."""


def default_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kexue-sym" / "verdicts.sqlite3"


@functools.lru_cache(maxsize=None)
def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        raise Uncacheable(f"cannot read {path}") from None


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """The source of every kexue_sym module, the versions of sympy, mpmath and Python."""
    import mpmath

    h = hashlib.sha256(f"schema {SCHEMA}; sympy {sp.__version__}; mpmath {mpmath.__version__}; "
                       f"python {sys.version}".encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


# --- fingerprints ------------------------------------------------------------------------------

def _code(code: types.CodeType) -> str:
    return hashlib.sha256(marshal.dumps(code)).hexdigest()


def _function(fn: Callable, memo: dict, seen: set) -> str:
    """A function: its compiled code, defaults and closure values, and, outside kexue_sym (whose
    source is in the engine fingerprint), the whole source file that defines it, for the helpers
    and globals the code uses."""
    if isinstance(fn, functools.partial):
        return (f"partial({_fp(fn.func, memo, seen)}, {_fp(fn.args, memo, seen)}, "
                f"{_fp(fn.keywords, memo, seen)})")
    if isinstance(fn, types.MethodType):
        return f"method({_fp(fn.__self__, memo, seen)}, {_function(fn.__func__, memo, seen)})"
    if not isinstance(fn, types.FunctionType):  # builtins, sympy's functions, classes
        module = getattr(fn, "__module__", None)
        name = getattr(fn, "__qualname__", None)
        if not module or not name:
            raise Uncacheable(f"callable {fn!r}")
        return f"ref({module}.{name})"
    parts = [f"code {_code(fn.__code__)}", f"defaults {_fp(fn.__defaults__, memo, seen)}",
             f"kwdefaults {_fp(fn.__kwdefaults__, memo, seen)}"]
    if fn.__closure__:
        try:
            cells = tuple(c.cell_contents for c in fn.__closure__)
        except ValueError:  # an empty cell: the function is still being defined
            raise Uncacheable(f"closure of {fn.__qualname__}") from None
        parts.append(f"closure {_fp(cells, memo, seen)}")
    module = fn.__module__ or ""
    if module.split(".")[0] in _VERSIONED:  # their versions are in the engine fingerprint
        return f"ref({module}.{fn.__qualname__})"
    if not module.startswith("kexue_sym"):
        try:
            source = inspect.getsourcefile(fn)
        except TypeError:
            source = None
        if not source or not os.path.exists(source):
            raise Uncacheable(f"no source file for {fn.__qualname__}")
        parts.append(f"file {_file_digest(source)}")
    return "fn(" + "; ".join(parts) + ")"


def _fp(value: Any, memo: dict, seen: set) -> str:
    """Canonical text for ``value`` (sympy objects through srepr, which names every symbol's
    assumptions); raises :class:`Uncacheable` for anything without stable content."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, sp.MatrixBase):  # entry by entry: has() does not look inside
        return f"matrix{value.shape}[" + ", ".join(_fp(v, memo, seen) for v in value) + "]"
    if isinstance(value, sp.Basic):
        return "sympy:" + sp.srepr(_without_dummies(value))
    if isinstance(value, enum.Enum):
        return f"enum:{type(value).__qualname__}.{value.name}"
    from .derivation import Step

    if isinstance(value, Step):
        return "step:" + _step_key(value, memo, seen)
    if id(value) in seen:
        raise Uncacheable("a cycle among the justification's objects")
    seen = seen | {id(value)}
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[" + ", ".join(_fp(v, memo, seen) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "set{" + ", ".join(sorted(_fp(v, memo, seen) for v in value)) + "}"
    if isinstance(value, dict):
        items = sorted((_fp(k, memo, seen), _fp(v, memo, seen)) for k, v in value.items())
        return "dict{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, type):
        return f"type:{value.__module__}.{value.__qualname__}"
    if isinstance(value, (types.FunctionType, types.MethodType, functools.partial,
                          types.BuiltinFunctionType)):
        return _function(value, memo, seen)
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            return f"ndarray:{value.dtype}:{value.shape}:{hashlib.sha256(value.tobytes()).hexdigest()}"
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return f"{kind}({_fp(fields, memo, seen)})"
    if hasattr(value, "__dict__"):
        return f"{kind}({_fp(vars(value), memo, seen)})"
    if hasattr(value, "__slots__"):
        slots = {s: getattr(value, s, None) for s in value.__slots__}
        return f"{kind}({_fp(slots, memo, seen)})"
    raise Uncacheable(f"{kind} has no stable content")


def _rename_bound(e: sp.Basic, depth: int) -> tuple[sp.Basic, bool]:
    """Alpha-renaming: the Dummy variables a Subs or Lambda binds become ``_b{depth}_{i}``, the
    depth of the binder keeping an inner binder's names apart from an outer one's.  Returns
    the expression and whether it held a Dummy (one pass: ``has`` does not see bound ones)."""
    if isinstance(e, sp.Dummy):
        return e, True
    if not e.args:
        return e, False
    if isinstance(e, (sp.Subs, sp.Lambda)):
        variables = e.variables
        names = {v: sp.Symbol(f"_b{depth}_{i}", **v.assumptions0)
                 for i, v in enumerate(variables) if isinstance(v, sp.Dummy)}
        body, inner = _rename_bound(e.expr.xreplace(names), depth + 1)
        if not names and not inner and isinstance(e, sp.Lambda):
            return e, False
        bound = tuple(names.get(v, v) for v in variables)
        if isinstance(e, sp.Lambda):
            return sp.Lambda(bound, body), True
        point = [_rename_bound(p, depth) for p in e.point]
        return sp.Subs(body, bound, tuple(p for p, _ in point)), True
    parts = [_rename_bound(a, depth) for a in e.args]
    if not any(had for _, had in parts):
        return e, False
    args = [a for a, _ in parts]
    if isinstance(e, sp.Derivative):  # evaluated again it would make Subs with new Dummies
        return sp.Derivative(*args, evaluate=False), True
    return e.func(*args), True


def _without_dummies(e: sp.Basic) -> sp.Basic:
    """Dummy symbols renamed to stable plain symbols: a Dummy's index, and with it the order
    of the terms it is in, changes from run to run.  Bound ones (Subs, Lambda) are renamed by
    position; a free one takes its name, and two free Dummies of one name and assumptions
    cannot be told apart that way (:class:`Uncacheable`)."""
    try:
        e, had = _rename_bound(e, 0)
    except Exception as exc:  # noqa: BLE001 - a class that does not rebuild from its args
        raise Uncacheable(f"cannot rename the dummy symbols ({type(exc).__name__})") from None
    if not had:
        return e
    dummies = e.atoms(sp.Dummy)
    names = {(d.name, tuple(sorted(d.assumptions0.items()))) for d in dummies}
    if len(names) != len(dummies):
        raise Uncacheable("two free dummy symbols of one name")
    return e.xreplace({d: sp.Symbol(f"_dummy_{d.name}", **d.assumptions0) for d in dummies})


def _step_key(step: Any, memo: dict, seen: set) -> str:
    found = memo.get(id(step))
    if found is not None:
        if isinstance(found, Uncacheable):
            raise found
        return found[1]
    try:
        text = "\n".join([engine_fingerprint(), _fp(step.lhs, memo, seen), step.relation,
                          _fp(step.rhs, memo, seen), _fp(step.justification, memo, seen)])
    except Uncacheable as exc:
        memo[id(step)] = exc
        raise
    except RecursionError:
        memo[id(step)] = exc = Uncacheable("a claim too deep to fingerprint")
        raise exc from None
    key = hashlib.sha256(text.encode()).hexdigest()
    memo[id(step)] = (step, key)  # the step is kept so that its id is not reused
    return key


def step_key(step: Any, memo: dict | None = None) -> str | None:
    """The step's content key (hex), or None when it has none (:class:`Uncacheable`).  Pass
    one ``memo`` for all the steps of a derivation: premises are fingerprinted once."""
    try:
        return _step_key(step, {} if memo is None else memo, set())
    except Uncacheable:
        return None


# --- verdicts as JSON --------------------------------------------------------------------------

def _to_json(v: Verdict) -> dict:
    out = {f.name: getattr(v, f.name) for f in dataclasses.fields(v)
           if f.name not in ("parts", "status", "cached")}
    out["status"] = v.status.name
    out["parts"] = [_to_json(p) for p in v.parts]
    return out


def _from_json(d: dict) -> Verdict:
    d = dict(d)
    d["status"] = Status[d["status"]]
    d["parts"] = tuple(_from_json(p) for p in d.get("parts", ()))
    return Verdict(**d)


def time_limited(v: Verdict) -> bool:
    """True if any part of the evidence reached a time limit."""
    return (v.timed_out or bool(_TIME_LIMITED.search(v.detail))
            or any(time_limited(p) for p in v.parts))


# --- the store -----------------------------------------------------------------------------------

def _warn(message: str) -> None:
    print(f"kexue-sym: warning: {message}", file=sys.stderr)


class VerdictCache:
    """Verdicts by step key in one SQLite file (module docstring).  ``get`` and ``put`` never
    raise: a cache that cannot be used is switched off with one warning."""

    def __init__(self, path: str | Path | None = None, *, timeout: float | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.timeout = timeout  # the run's time limit: part of a CHECKED/UNDECIDED verdict's key
        self.hits = self.misses = self.stored = 0
        self._db: sqlite3.Connection | None = None
        self._off = False

    # a connection is opened lazily, per process (a forked worker opens its own)
    def _connect(self) -> sqlite3.Connection | None:
        if self._off:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 60000")
            if fresh:
                db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                db.execute(f"PRAGMA user_version = {SCHEMA}")
            app = db.execute("PRAGMA application_id").fetchone()[0]
            if app != APPLICATION_ID:
                db.close()
                return self._disable(f"{self.path} is not a kexue-sym cache; ignoring it "
                                     "(kexue-sym cache clear replaces it)")
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, "
                       "verdict TEXT NOT NULL, created REAL NOT NULL)")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                db.execute("DELETE FROM verdicts")
                db.execute(f"PRAGMA user_version = {SCHEMA}")
        except sqlite3.Error as exc:
            return self._disable(f"the verdict cache {self.path} is unusable ({exc}); "
                                 "running without it (kexue-sym cache clear replaces it)")
        except OSError as exc:
            return self._disable(f"the verdict cache {self.path} cannot be opened "
                                 f"({exc.strerror or exc}); running without it")
        self._db, self._pid = db, os.getpid()
        return db

    def _disable(self, message: str) -> None:
        if not self._off:
            _warn(message)
        self._off = True
        self._db = None
        return None

    def _row_key(self, key: str) -> list[str]:
        """The stored keys to look for: the final one (PROVED/REFUTED), then the one for this
        time limit (CHECKED)."""
        return [f"{key}:final", f"{key}:t={self.timeout!r}"]

    def get(self, key: str | None) -> Verdict | None:
        if key is None:
            return None
        db = self._connect()
        if db is None:
            return None
        try:
            for row_key in self._row_key(key):
                row = db.execute("SELECT verdict FROM verdicts WHERE key = ?",
                                 (row_key,)).fetchone()
                if row is not None:
                    verdict = _from_json(json.loads(row[0]))
                    self.hits += 1
                    return dataclasses.replace(verdict, cached=True)
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:
            self._disable(f"the verdict cache {self.path} is damaged ({exc}); running without "
                          "it (kexue-sym cache clear replaces it)")
            return None
        self.misses += 1
        return None

    def put(self, key: str | None, verdict: Verdict) -> bool:
        """Store ``verdict`` (PROVED, REFUTED, or CHECKED without a time limit reached);
        True if stored."""
        if (key is None or verdict.cached or verdict.status is Status.UNDECIDED
                or time_limited(verdict)):
            return False
        db = self._connect()
        if db is None:
            return False
        final = verdict.status in (Status.PROVED, Status.REFUTED)
        row_key = f"{key}:final" if final else f"{key}:t={self.timeout!r}"
        try:
            db.execute("INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)",
                       (row_key, json.dumps(_to_json(verdict)), time.time()))
        except sqlite3.Error as exc:
            self._disable(f"the verdict cache {self.path} cannot be written ({exc}); running "
                          "without it")
            return False
        self.stored += 1
        return True

    def info(self) -> dict[str, Any]:
        """Where the cache is, how many verdicts it holds and its size on disk."""
        out: dict[str, Any] = {"path": str(self.path), "entries": 0, "bytes": 0}
        if not self.path.exists():
            return out
        out["bytes"] = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))
        db = self._connect()
        if db is not None:
            out["entries"] = db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
        out["usable"] = db is not None
        return out

    def clear(self) -> int:
        """Delete the cache file (also a foreign or damaged one); returns the entries removed."""
        entries = 0
        if self._db is not None:
            try:
                entries = self._db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
            except sqlite3.Error:
                pass
            self._db.close()
            self._db = None
        elif self.path.exists():
            try:
                with sqlite3.connect(self.path) as db:
                    if db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
                        entries = db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0]
            except sqlite3.Error:
                pass
        for p in self.path.parent.glob(self.path.name + "*"):  # the file, its -wal and -shm
            p.unlink()
        self._off = False
        return entries

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
