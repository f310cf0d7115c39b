"""Verdicts: the one honest answer each step of a derivation gets, with its evidence.

| status    | evidence                                                            |
|-----------|---------------------------------------------------------------------|
| PROVED    | exact: a normal form reduced to 0, an exact certificate, a lemma     |
|           | instance matched exactly with every hypothesis PROVED                |
| CHECKED   | numeric only: how many points, at what precision, worst difference   |
| REFUTED   | a counterexample (exact point), re-checked exactly or at higher      |
|           | precision                                                           |
| UNDECIDED | timeout, sympy could not decide, or the numerics were inconclusive   |
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any, Iterable


class Status(enum.Enum):
    PROVED = "PROVED"
    CHECKED = "CHECKED"
    REFUTED = "REFUTED"
    UNDECIDED = "UNDECIDED"

    @property
    def ok(self) -> bool:
        """True for PROVED and CHECKED: the claim stands (exactly or numerically)."""
        return self in (Status.PROVED, Status.CHECKED)


@dataclass(frozen=True, repr=False)
class Verdict:
    """One claim's verdict.  ``checker`` names what fired; ``detail`` is the evidence in words.

    ``points``/``digits`` describe numeric evidence; ``witness`` maps symbol names to the exact
    values of a counterexample (REFUTED) and ``witness_value`` the claim's gap there.
    """

    status: Status
    checker: str
    detail: str = ""
    seconds: float = 0.0
    points: int | None = None
    digits: int | None = None
    witness: dict[str, str] | None = None
    witness_value: str | None = None
    assumptions: str = ""
    parts: tuple["Verdict", ...] = field(default=(), repr=False)
    #: a stage of the check reached its time limit (a longer one might decide more)
    timed_out: bool = False
    #: the verdict came from the verdict cache (kexue_sym.cache), not from checking now
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.status.ok

    def with_seconds(self, seconds: float) -> "Verdict":
        return replace(self, seconds=seconds)

    def evidence(self) -> dict[str, Any]:
        """The evidence as plain JSON-ready data (the ``evidence`` field of ``--json``)."""
        out: dict[str, Any] = {"checker": self.checker, "detail": self.detail}
        if self.points is not None:
            out["points"] = self.points
        if self.digits is not None:
            out["digits"] = self.digits
        if self.witness is not None:
            out["witness"] = self.witness
            out["witness_value"] = self.witness_value
        if self.assumptions:
            out["assumptions"] = self.assumptions
        if self.parts:
            out["parts"] = [p.evidence() | {"verdict": p.status.name} for p in self.parts]
        if self.timed_out:
            out["timed_out"] = True
        if self.cached:
            out["cached"] = True
        return out

    def summary(self) -> str:
        """One line: checker and the key evidence."""
        text = f"{self.checker}"
        if self.detail:
            text += f": {self.detail}"
        if self.witness is not None:
            point = ", ".join(f"{k}={v}" for k, v in self.witness.items())
            text += f" [counterexample {point or '(constant)'}; gap = {self.witness_value}]"
        if self.cached:
            text += " (cached)"
        return text

    def __str__(self) -> str:
        return f"{self.status.name} ({self.summary()})"

    def __repr__(self) -> str:
        from .display import verdict_repr
        return verdict_repr(self)

    def _repr_html_(self) -> str:
        from .display import verdict_html
        return verdict_html(self)

    def _repr_latex_(self) -> str:
        from .display import verdict_latex
        return verdict_latex(self)


def conjunction(verdicts: Iterable[Verdict], checker: str, detail: str = "") -> Verdict:
    """The verdict of "all of these claims": as weak as its weakest part.

    Any REFUTED part refutes the whole; otherwise any UNDECIDED part leaves it undecided; it is
    PROVED only when every part is PROVED.
    """
    parts = tuple(verdicts)
    statuses = {p.status for p in parts}
    for status in (Status.REFUTED, Status.UNDECIDED, Status.CHECKED, Status.PROVED):
        if status in statuses:
            break
    else:
        status = Status.PROVED  # vacuous conjunction
    witness = next((p for p in parts if p.status is Status.REFUTED), None)
    return Verdict(
        status=status,
        checker=checker,
        detail=detail,
        seconds=sum(p.seconds for p in parts),
        points=sum(p.points or 0 for p in parts) or None,
        digits=max((p.digits or 0 for p in parts), default=0) or None,
        witness=witness.witness if witness else None,
        witness_value=witness.witness_value if witness else None,
        parts=parts,
        timed_out=any(p.timed_out for p in parts),
    )
