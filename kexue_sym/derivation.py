"""Derivations as calc chains of checked steps, and the report of running them.

A :class:`Derivation` is a list of :class:`Step` s grouped in sections.  A step is one claim
(``lhs = rhs``, ``lhs <= rhs``, ``lhs >= rhs``) with a justification (``by``: a reason in words,
checked directly, or a :mod:`~kexue_sym.justify` object that cites lemmas or earlier steps).
Chains read like the article, or a Lean ``calc`` block::

    @derivation("hadamard", title=..., source=...)   # kexue_sym.registry: metadata, once
    def build(d):
        d.section("n = 2")
        (d.calc(detA**2)
           .eq(bound - dot**2, by="Lagrange identity")
           .le(bound, by="a square is non-negative", certificate=[dot**2]))
        qr = d.step(A, "=", U * R, by=ByLemmas((QR, dict(A=A, U=U, R=R))), name="QR")
        d.calc(det(A)**2).eq(det(U*R)**2, by=ByPremise(qr, rewrite={A: U*R}))

Running a derivation gives a :class:`Report`: every step with exactly one
:class:`~kexue_sym.verdict.Verdict`.  A premise's verdict is part of the citing step's
evidence.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

import sympy as sp

from .check import as_expr
from .justify import ByChecker, CheckerFn, Direct, Justification
from .verdict import Status, Verdict

if TYPE_CHECKING:
    from .cache import VerdictCache

#: A checker function: called with its step, the time limit (seconds or None) and the verdicts
#: so far.  Wrap one in :class:`~kexue_sym.justify.ByChecker` (or pass it as ``using=``).
Checker = CheckerFn

_RELATIONS = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}


@dataclass(eq=False)
class Step:
    """One claim ``lhs relation rhs`` with its :class:`~kexue_sym.justify.Justification`.

    ``display`` optionally gives ``(lhs, rhs)`` in a reader's form (e.g. ``det(A)**2`` for the
    expanded polynomial the checker works on); the report and the LaTeX show it, the checker
    checks ``lhs``/``rhs``.  ``scope`` states the claim's extent when it is narrower than it
    reads (e.g. "exact instances n = 2..4").  ``expect`` declares the verdict the step should
    get when that is not PROVED/CHECKED: ``expect=Status.REFUTED`` for a false claim the article
    makes (an erratum, a too-strong variant); the step then passes only if it is REFUTED.
    ``name`` is an optional label (``"QR"``) later steps and the LaTeX refer to; ``number`` is
    its place in the derivation (1, 2, ...).
    """

    lhs: Any
    relation: str
    rhs: Any
    justification: Justification
    section: str = ""
    display: tuple[Any, Any] | None = None
    scope: str = ""
    chain: int = 0
    expect: Status | None = None
    name: str = ""
    number: int = 0

    @property
    def by(self) -> str:
        """The justification as the reader sees it."""
        return self.justification.text()

    @property
    def premises(self) -> tuple["Step", ...]:
        """The earlier steps this one relies on."""
        return tuple(self.justification.premises)

    @property
    def checker(self) -> Checker:
        return self.justification.check

    def ref(self) -> str:
        """How other steps cite this one: its name, else its number."""
        return self.name or f"({self.number})"

    def as_expected(self, verdict: Verdict, strict: bool = False) -> bool:
        """The verdict this step needs: its declared one, else PROVED (or CHECKED unless
        ``strict``)."""
        if self.expect is not None:
            return verdict.status is self.expect
        return verdict.status is Status.PROVED or (not strict and verdict.status is Status.CHECKED)

    def shown(self) -> tuple[Any, Any]:
        return self.display if self.display is not None else (self.lhs, self.rhs)

    def claim(self) -> str:
        """The claim as sympy-parsable text (display form), with its scope."""
        left, right = self.shown()
        text = f"{_text(left)} {self.relation} {_text(right)}"
        return f"{text}  [{self.scope}]" if self.scope else text


def _text(e: Any) -> str:
    if isinstance(e, str):
        return e
    if isinstance(e, sp.MatrixBase):  # one line, still parsable: Matrix([[...], [...]])
        return f"Matrix({sp.sstr(e.tolist())})"
    return sp.sstr(e)


def justification(by: str | Justification, using: Checker | None, options: dict) -> Justification:
    """``by=`` text (the claim checked directly, with ``options``), or a justification object;
    ``using=`` a checker function of your own, described by the text ``by``."""
    if isinstance(using, Justification):
        raise TypeError("pass a justification as by=, not using= (its text comes from what it "
                        "checks)")
    if isinstance(by, Justification):
        if using is not None or options:
            raise TypeError("by= is a justification: give no using= or checker options with it "
                            f"({', '.join(options) or 'using'})")
        return by
    if not isinstance(by, str) or not by.strip():
        raise TypeError(f"by= must be a reason (text) or a Justification, not {by!r}")
    if using is not None:
        if options:
            raise TypeError(f"checker options {', '.join(options)} go to the default check; "
                            "a using= checker takes none")
        return ByChecker(by, using)
    return Direct(by, dict(options))


class Calc:
    """A chain ``start = e1 (by ...) <= e2 (by ...)``; each link becomes a :class:`Step`.

    Every link takes ``by=`` (a reason, or a :class:`~kexue_sym.justify.Justification`),
    ``display=`` (the new right side in a reader's form), ``scope=``, ``name=``, ``expect=``
    and, with a text reason, the default check's options (``certificate=``, ...).
    """

    def __init__(self, derivation: "Derivation", start: Any, display: Any = None):
        self._d = derivation
        self._chain = derivation.new_chain()
        self._last = start
        self._last_display = display if display is not None else start
        self.links: list[Step] = []

    def _link(self, relation: str, expr: Any, by: str | Justification, display: Any,
              options: dict) -> "Calc":
        shown = display if display is not None else expr
        self.links.append(self._d.step(self._last, relation, expr, by=by,
                                       display=(self._last_display, shown), chain=self._chain,
                                       **options))
        self._last, self._last_display = expr, shown
        return self

    def eq(self, expr: Any, *, by: str | Justification, display: Any = None,
           **options: Any) -> "Calc":
        """Link ``previous = expr``."""
        return self._link("=", expr, by, display, options)

    def le(self, expr: Any, *, by: str | Justification, display: Any = None,
           **options: Any) -> "Calc":
        """Link ``previous <= expr`` (e.g. ``certificate=[...]`` for the default check)."""
        return self._link("<=", expr, by, display, options)

    def ge(self, expr: Any, *, by: str | Justification, display: Any = None,
           **options: Any) -> "Calc":
        """Link ``previous >= expr``."""
        return self._link(">=", expr, by, display, options)

    def lt(self, expr: Any, *, by: str | Justification, display: Any = None,
           **options: Any) -> "Calc":
        """Link ``previous < expr`` (a text reason is decided from the assumptions alone)."""
        return self._link("<", expr, by, display, options)

    def gt(self, expr: Any, *, by: str | Justification, display: Any = None,
           **options: Any) -> "Calc":
        """Link ``previous > expr``."""
        return self._link(">", expr, by, display, options)

    @property
    def last(self) -> Step:
        """The chain's latest link (to cite it as a premise)."""
        return self.links[-1]


class Derivation:
    """A named, sourced list of checked steps.  Build it, then :meth:`run` it."""

    def __init__(self, name: str, *, title: str, source: str, summary: str = ""):
        self.name, self.title, self.source, self.summary = name, title, source, summary
        self.steps: list[Step] = []
        self._section = ""
        self._chains = 0

    def new_chain(self) -> int:
        """A fresh chain id: steps sharing one render as one aligned block."""
        self._chains += 1
        return self._chains

    def section(self, title: str) -> "Derivation":
        """Start a new section; following steps belong to it (a block in the LaTeX)."""
        self._section = title
        return self

    def calc(self, start: Any, *, display: Any = None) -> Calc:
        """Begin a chain at ``start`` (shown as ``display`` when given)."""
        return Calc(self, start, display)

    def step(self, lhs: Any, relation: str, rhs: Any, *, by: str | Justification,
             using: Checker | None = None, display: tuple[Any, Any] | None = None,
             scope: str = "", chain: int | None = None, expect: Status | str | None = None,
             name: str = "", **options: Any) -> Step:
        """Add one claim, justified ``by`` a reason (text: the claim is checked directly, with
        ``options`` such as ``certificate=``) or a :class:`~kexue_sym.justify.Justification`;
        ``using`` a checker function of your own that the text ``by`` describes.  ``expect``
        (a :class:`Status` or its name) declares the verdict it must get instead of
        PROVED/CHECKED; ``name`` labels it for citation (see :class:`Step`).  Premises must be
        earlier steps of this derivation."""
        if isinstance(expect, str):
            if expect not in Status.__members__:
                raise ValueError(f"expect={expect!r}: use one of {', '.join(Status.__members__)}")
            expect = Status[expect]
        if relation not in _RELATIONS:
            raise ValueError(f"unknown relation {relation!r}; use one of {sorted(_RELATIONS)}")
        if name and any(s.name == name for s in self.steps):
            raise ValueError(f"two steps are named {name!r}")
        why = justification(by, using, options)
        for p in why.premises:
            if not any(p is s for s in self.steps):
                raise ValueError(f"premise '{p.claim()}' is not an earlier step of "
                                 f"'{self.name}'")
        lhs, rhs = (as_expr(e) if isinstance(e, (int, float)) else e for e in (lhs, rhs))
        step = Step(lhs, relation, rhs, why, section=self._section, display=display,
                    scope=scope, chain=self.new_chain() if chain is None else chain,
                    expect=expect, name=name, number=len(self.steps) + 1)
        self.steps.append(step)
        return step

    def run(self, *, timeout: float | None = None,
            progress: Callable[[int, Step, Verdict], None] | None = None,
            starting: Callable[[int, Step], None] | None = None,
            cache: "VerdictCache | None" = None) -> "Report":
        """Check every step in order; ``starting(index, step)`` before and
        ``progress(index, step, verdict)`` after each.  With a
        :class:`~kexue_sym.cache.VerdictCache`, a step whose content (claim, justification,
        premises, engine) was checked before takes its stored verdict, marked ``cached``."""
        from .cache import step_key

        start = time.perf_counter()
        verdicts: dict[Step, Verdict] = {}
        results = []
        keys: list[str | None] = [None] * len(self.steps)
        if cache is not None:
            cache.timeout = timeout
            # every key before any check runs: a checker may fill caches of the objects a
            # later step's checker holds (a Metric's curvature), which would change its key
            memo: dict = {}
            keys = [step_key(step, memo) for step in self.steps]
        for index, (step, key) in enumerate(zip(self.steps, keys), 1):
            if starting is not None:
                starting(index, step)
            t0 = time.perf_counter()
            verdict = cache.get(key) if key is not None else None
            if verdict is None:
                try:
                    verdict = step.checker(step, timeout, verdicts)
                except Exception as exc:  # noqa: BLE001 - a crashing checker decides nothing
                    verdict = Verdict(Status.UNDECIDED, "checker error",
                                      f"{type(exc).__name__}: {exc}")
                if key is not None:
                    cache.put(key, verdict.with_seconds(time.perf_counter() - t0))
            verdict = verdict.with_seconds(time.perf_counter() - t0)
            verdicts[step] = verdict
            results.append(StepResult(index, step, verdict))
            if progress is not None:
                progress(index, step, verdict)
        return Report(self, results, time.perf_counter() - start)


@dataclass(repr=False)
class StepResult:
    index: int
    step: Step
    verdict: Verdict

    def __repr__(self) -> str:
        from .display import step_result_repr
        return step_result_repr(self)

    def __str__(self) -> str:
        from .display import step_lines
        return "\n".join(step_lines(self.index, self.index, self.step, self.verdict))

    def _repr_html_(self) -> str:
        from .display import step_result_html
        return step_result_html(self)

    def _repr_latex_(self) -> str:
        from .display import step_latex
        return step_latex(self)

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "section": self.step.section, "claim": self.step.claim(),
                "name": self.step.name or None, "by": self.step.by,
                "premises": [p.number for p in self.step.premises], "verdict": self.verdict.status.name,
                "expect": self.step.expect.name if self.step.expect else None,
                "as_expected": self.step.as_expected(self.verdict),
                "evidence": self.verdict.evidence(), "seconds": round(self.verdict.seconds, 4)}


@dataclass(repr=False)
class Report:
    """The verdicts of one run of a derivation.  ``repr`` is one line, ``str`` the terminal
    report (``kexue_sym.display.report_text(report, full=True)`` shows every character), and
    Jupyter renders a table (``_repr_html_``)."""

    derivation: Derivation
    results: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0

    def __repr__(self) -> str:
        from .display import report_repr
        return report_repr(self)

    def __str__(self) -> str:
        from .display import report_text
        return report_text(self)

    def _repr_html_(self) -> str:
        from .display import report_html
        return report_html(self)

    def _repr_latex_(self) -> str:
        from .display import report_latex
        return report_latex(self)

    @property
    def name(self) -> str:
        return self.derivation.name

    def ok(self, strict: bool = False) -> bool:
        """Every step as expected: PROVED or CHECKED (only PROVED when ``strict``), or the
        verdict it declares (``expect=``, e.g. an expected refutation)."""
        return all(r.step.as_expected(r.verdict, strict) for r in self.results)

    def counts(self) -> dict[str, int]:
        out = {s.name: 0 for s in Status}
        for r in self.results:
            out[r.verdict.status.name] += 1
        return out

    def failures(self, strict: bool = False) -> Iterable[StepResult]:
        """The steps that did not get the verdict they need."""
        return (r for r in self.results if not r.step.as_expected(r.verdict, strict))

    def expected(self) -> int:
        """How many steps got a declared verdict other than PROVED (expected refutations)."""
        return sum(1 for r in self.results if r.step.expect is not None
                   and r.step.expect is not Status.PROVED and r.step.as_expected(r.verdict))

    def to_json(self, strict: bool = False) -> dict[str, Any]:
        d = self.derivation
        return {"name": d.name, "title": d.title, "source": d.source, "ok": self.ok(strict),
                "seconds": round(self.seconds, 4), "counts": self.counts(),
                "steps": [r.to_json() for r in self.results]}
