"""kexue-sym: machine-checked derivations from Scientific Spaces (kexue.fm) and their closed forms.

Public interface::

    kexue_sym.verify("hadamard")          -> Report (one Verdict per step)
    kexue_sym.check.equal(lhs, rhs)       -> Verdict   (PROVED / CHECKED / REFUTED / UNDECIDED)
    kexue_sym.check.le(lhs, rhs)          -> Verdict
    kexue_sym.hadamard.ratio(A)           -> torch closed forms, one topic module per article
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from . import check
from .derivation import Calc, Derivation, Report, Step
from .verdict import Status, Verdict

__all__ = ["verify", "check", "Derivation", "Calc", "Step", "Report", "Status", "Verdict"]
__version__ = "0.1.0"

# The design card keeps cli.py at the project root.  A wheel installs it as kexue_sym/cli.py
# (setup.py); in a source checkout (editable install, tests) it sits beside this package, and
# setuptools' editable finder cannot map a single module, so let this package's path reach it.
_ROOT = Path(__file__).resolve().parent.parent
if (not (Path(__file__).parent / "cli.py").exists() and (_ROOT / "cli.py").is_file()
        and (_ROOT / "pyproject.toml").is_file() and (_ROOT / "derivations").is_dir()):
    __path__.append(str(_ROOT))  # noqa: F821 - __path__ is the package's search path


def verify(name: str, *, timeout: float | None = None,
           progress: Callable | None = None, cache: Any = None) -> Report:
    """Build the derivation ``name`` and check every step; returns its :class:`Report`.

    ``cache``: a :class:`kexue_sym.cache.VerdictCache` (``VerdictCache()`` is the CLI's, in
    the user cache directory) to reuse the verdicts of unchanged steps; none by default.
    Raises :class:`kexue_sym.registry.UnknownDerivation` (with close names) for a typo.
    """
    from .registry import get

    return get(name).build().run(timeout=timeout, progress=progress, cache=cache)
