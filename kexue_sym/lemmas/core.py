"""The :class:`Lemma`: a textbook fact a derivation may cite, with checks of its own instances."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

from ..verdict import Verdict, conjunction


@dataclass(frozen=True)
class Lemma:
    """A textbook lemma.

    ``instance(**bindings)`` returns the conclusion as ``(lhs, relation, rhs)`` and
    ``hypotheses(**bindings)`` the claims it needs, each ``(lhs, relation, rhs)``.
    ``self_check()`` machine-checks the lemma on small instances (``checked_on`` names them).
    ``title`` is the short phrase a step citing it shows ("det is multiplicative"), and
    ``statement`` the lemma in full (shown once, in the LaTeX's list of lemmas).
    """

    name: str
    title: str
    statement: str
    source: str
    instance: Callable[..., tuple[Any, str, Any]]
    self_check: Callable[[], list[Verdict]]
    checked_on: str
    hypotheses: Callable[..., list[tuple[Any, str, Any]]] = field(default=lambda **_: [])

    def verified_instances(self) -> Verdict:
        """The conjunction of the lemma's own instance checks (cached per process)."""
        return _self_check(self)


@functools.lru_cache(maxsize=None)
def _self_check(lemma: Lemma) -> Verdict:
    return conjunction(lemma.self_check(), f"lemma {lemma.name} on {lemma.checked_on}")
