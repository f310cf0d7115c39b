"""Justifications: why a step holds, as small objects that say it and check it.

A step's ``by=`` is either plain text (the claim is then checked directly: simplification,
certificates, numerics) or one of these objects.  Each has

* ``text()``: what the reader sees beside the step.  It is built from what is checked (the
  lemmas cited, the premises used), so the words and the check cannot drift apart;
* ``premises``: the earlier steps it relies on (the report, JSON and LaTeX refer to them);
* ``check(step, timeout, done)``: the verdict, given the verdicts of the steps checked so far.

==========================  =================================================================
``Direct(text, **opts)``    the claim itself by :func:`kexue_sym.check.equal` / ``le`` / ``ge``
``ByLemmas(uses, ...)``     rewriting with / matching instances of named lemmas
``ByPremise(*steps, ...)``  substituting what earlier equations say
``BySlack(*steps)``         inequality premises used through their slack
``UnderIntegral()``         integrands equal up to a constant factor
``ByLinearity()``           linearity of the integral
``ByChecker(text, fn)``     a checker function of your own ``fn(step, timeout, done)``
==========================  =================================================================

A justification that fails says nothing about the step itself: the step is then REFUTED only
by a re-checked counterexample to it (:func:`conclude`), else UNDECIDED.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

import sympy as sp

from . import check
from .check import as_expr, exact_doit
from .timeout import CheckTimeout, call_with_timeout
from .verdict import Status, Verdict, conjunction

if TYPE_CHECKING:  # pragma: no cover
    from .derivation import Step
    from .lemmas import Lemma

#: a checker function: the step, the time limit (seconds or None), the verdicts so far
CheckerFn = Callable[["Step", "float | None", "dict[Step, Verdict]"], Verdict]


class Justification:
    """Base class: a reason a step holds (``text``), what it rests on (``premises``) and the
    machine check of it (``check``)."""

    premises: tuple["Step", ...] = ()

    def text(self) -> str:
        raise NotImplementedError

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        raise NotImplementedError

    def __call__(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        return self.check(step, timeout, done)

    def premise_verdicts(self, done: dict["Step", Verdict]) -> list[Verdict]:
        """Each premise's verdict as a part of the evidence (premises come first: checked)."""
        out = []
        for p in self.premises:
            if p not in done:
                raise ValueError(f"premise '{p.claim()}' is cited before it is checked")
            out.append(Verdict(done[p].status, f"premise {p.ref()}: {_short(p.claim())}",
                               done[p].summary()))
        return out

    def _refs(self) -> str:
        return ", ".join(p.ref() for p in self.premises)


def _with_refs(text: str, refs: str) -> str:
    return f"{text} [from {refs}]" if refs else text


@dataclass
class Direct(Justification):
    """The claim checked by itself: :func:`check.equal` / :func:`check.le` / :func:`check.ge`
    with ``options`` (``certificate=``, ``numeric=``, ``domain=`` ...).  ``text`` names the
    textbook reason for the reader (e.g. "Lagrange's identity"); the check does not rely on it."""

    reason: str
    options: dict = field(default_factory=dict)

    def text(self) -> str:
        return self.reason

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        if step.relation in ("<", ">"):
            return _check_claim(step.lhs, step.relation, step.rhs, timeout)
        fn = {"=": check.equal, "<=": check.le, ">=": check.ge}[step.relation]
        return fn(step.lhs, step.rhs, timeout=timeout, **self.options)


@dataclass
class ByChecker(Justification):
    """A checker function of your own, ``fn(step, timeout, done) -> Verdict``, with the text
    that says what it checks.  Prefer the objects above: their text is derived from the check."""

    reason: str
    fn: CheckerFn
    premises: tuple = ()

    def text(self) -> str:
        return _with_refs(self.reason, self._refs())

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        self.premise_verdicts(done)  # raises if a premise comes later
        return self.fn(step, timeout, done)


def _check_claim(lhs: Any, relation: str, rhs: Any, timeout: float | None) -> Verdict:
    if relation in (">", "<"):  # strict: only the assumption system is consulted (no numerics)
        gap = as_expr(lhs) - as_expr(rhs) if relation == ">" else as_expr(rhs) - as_expr(lhs)
        if gap.is_positive is True:
            return Verdict(Status.PROVED, "sign from assumptions", "strictly positive")
        return Verdict(Status.UNDECIDED, "sign from assumptions",
                       "the assumptions do not make it strictly positive")
    if relation == "=":
        return check.equal(lhs, rhs, timeout=timeout)
    if relation == "<=":
        return check.le(lhs, rhs, timeout=timeout)
    return check.ge(lhs, rhs, timeout=timeout)


def same(a: Any, b: Any) -> bool:
    """Exact equality of two scalar expressions: structurally, or after expansion."""
    a, b = as_expr(a), as_expr(b)
    # integrals, sums, products and limits are never evaluated here: sympy's evaluation is not
    # evidence (check.exact_doit keeps them), and it is unbounded work outside the time limits
    return a == b or sp.expand(a - b) == 0 or sp.expand(exact_doit(a) - exact_doit(b)) == 0


def _matches(rel: str, lhs: Any, rhs: Any, lemma_rel: str, left: Any, right: Any) -> bool:
    """The step ``lhs rel rhs`` is the lemma's ``left lemma_rel right`` (possibly mirrored)."""
    mirror = {"<=": ">=", ">=": "<=", "=": "=", "<": ">", ">": "<"}
    if rel == lemma_rel:
        return same(left, lhs) and same(right, rhs)
    return rel == mirror[lemma_rel] and same(left, rhs) and same(right, lhs)


def _rewrite(expr: Any, rules: dict[Any, Any], limit: int = 10) -> Any:
    """Apply the rewrite rules until nothing changes (a rule's output may feed another)."""
    for _ in range(limit):
        new = expr.xreplace(rules)
        if new == expr:
            return new
        expr = new
    return expr


def _short(e: Any, limit: int = 120) -> str:
    text = e if isinstance(e, str) else sp.sstr(e)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def conclude(step: "Step", parts: list[Verdict], checker: str, detail: str,
             timeout: float | None) -> Verdict:
    """The verdict of a step justified by ``parts`` (lemma instances, hypotheses, premises).

    PROVED (or CHECKED) when every part is.  Otherwise the justification failed, which says
    nothing about the step itself: the step is REFUTED only by a re-checked counterexample to
    it (searched for here), else UNDECIDED, even when a cited part is itself refuted.
    """
    verdict = conjunction(parts, checker, detail)
    if verdict.status in (Status.PROVED, Status.CHECKED):
        return verdict
    found = check.counterexample(step.lhs, step.rhs, relation=step.relation, timeout=timeout)
    if found.status is Status.REFUTED:
        return found
    if verdict.status is Status.REFUTED:
        bad = next(p for p in parts if p.status is Status.REFUTED)
        return Verdict(Status.UNDECIDED, checker,
                       f"{detail}; the justification fails: {bad.checker} is refuted "
                       f"({_short(bad.summary(), 200)}); no counterexample to the step itself",
                       parts=verdict.parts)
    return verdict


class ByLemmas(Justification):
    """The step follows from instances of named lemmas: ``ByLemmas((DET_MUL, dict(X=U, Y=R)),
    ..., premises=[...], note="...")``.

    Equation lemmas ``L = R`` are applied as rewrites ``L -> R`` to both sides of the step
    (congruence); the step holds when the rewritten sides agree exactly.  An inequality lemma
    must match the step itself (same relation, both sides exactly).  Every hypothesis of every
    instance is checked; ``premises`` are earlier steps whose verdicts the step relies on.
    The text is ``note`` (or the lemmas' titles) and the lemmas' names, always.
    """

    def __init__(self, *uses: tuple["Lemma", dict], premises: Sequence["Step"] = (),
                 note: str = ""):
        if not uses:
            raise ValueError("ByLemmas needs at least one (lemma, bindings) pair")
        self.uses, self.premises, self.note = tuple(uses), tuple(premises), note

    def lemmas(self) -> list["Lemma"]:
        """Each cited lemma once, in order."""
        return list(dict.fromkeys(lemma for lemma, _ in self.uses))

    def text(self) -> str:
        cited = self.lemmas()
        words = self.note or "; ".join(lemma.title for lemma in cited)
        return _with_refs(f"{words} [lemma {', '.join(lemma.name for lemma in cited)}]",
                          self._refs())

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        parts: list[Verdict] = []
        lhs, rhs = as_expr(step.lhs), as_expr(step.rhs)
        rewrites: dict[Any, Any] = {}
        for lemma, bindings in self.uses:
            left, relation, right = lemma.instance(**bindings)
            parts.append(lemma.verified_instances())
            if relation == "=":
                rewrites[left] = right
            elif _matches(step.relation, lhs, rhs, relation, left, right):
                parts.append(Verdict(Status.PROVED, f"instance of {lemma.name}",
                                     "the step is the lemma's conclusion, matched exactly"))
            else:
                parts.append(Verdict(Status.UNDECIDED, f"instance of {lemma.name}",
                                     f"the step does not match the lemma's conclusion "
                                     f"{left} {relation} {right}"))
            for h_lhs, h_rel, h_rhs in lemma.hypotheses(**bindings):
                v = _check_claim(h_lhs, h_rel, h_rhs, timeout)
                parts.append(Verdict(v.status, f"hypothesis {h_lhs} {h_rel} {h_rhs}",
                                     v.summary(), points=v.points, digits=v.digits,
                                     witness=v.witness, witness_value=v.witness_value))
        if rewrites:
            new_l, new_r = _rewrite(lhs, rewrites), _rewrite(rhs, rewrites)
            matched = step.relation == "=" and same(new_l, new_r)
            parts.append(Verdict(
                Status.PROVED if matched else Status.UNDECIDED, "rewrite with the lemmas",
                "both sides agree exactly after the rewrite" if matched else
                f"after rewriting, {new_l} vs {new_r} do not agree (or the step is not '=')"))
        parts.extend(self.premise_verdicts(done))
        cited = self.lemmas()
        detail = "; ".join(f"{l.name}: {l.statement} ({l.source}; self-checked on {l.checked_on})"
                           for l in cited)
        return conclude(step, parts, "lemma " + " + ".join(l.name for l in cited)
                        + " (trusted, instance exact)", detail, timeout)


class ByPremise(Justification):
    """The step is its left side with ``rewrite`` applied, from equal premises (or from a
    definition when no premise is given): ``ByPremise(qr, rewrite={A: U * R})``.

    The step holds when ``lhs.xreplace(rewrite)`` and ``rhs`` agree exactly (after
    :func:`check.exact_doit`, e.g. ``det(I) = 1``; integrals and sums are never evaluated).
    """

    def __init__(self, *premises: "Step", rewrite: dict[Any, Any], note: str = ""):
        self.premises, self.rewrite, self.note = tuple(premises), dict(rewrite), note

    def text(self) -> str:
        words = self.note or "substituting " + ", ".join(
            f"{_short(k, 40)} = {_short(v, 40)}" for k, v in self.rewrite.items())
        return _with_refs(words, self._refs())

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        new = as_expr(step.lhs).xreplace(self.rewrite)
        ok = step.relation == "=" and same(new, as_expr(step.rhs))
        parts = [Verdict(Status.PROVED if ok else Status.UNDECIDED, "substitution",
                         "exact after substituting the premises" if ok else
                         f"substitution gives {new}, not the right side")]
        parts.extend(self.premise_verdicts(done))
        return conclude(step, parts, "substitution of premises",
                        "; ".join(f"{_short(k)} -> {_short(v)}" for k, v in self.rewrite.items()),
                        timeout)


class BySlack(Justification):
    """An inequality from inequality premises, each used through its slack.

    A premise ``a <= b`` says ``a = b - g`` for some ``g >= 0`` (``a >= b``: ``a = b + g``).
    Every occurrence of ``a`` in the step is replaced by that, with ``g`` a fresh non-negative
    symbol; if the resulting claim holds for *all* ``g >= 0`` (decided exactly: sign from the
    assumptions, no numerics), it holds at the premise's own slack, so the step holds.
    """

    def __init__(self, *premises: "Step", note: str = ""):
        if not premises:
            raise ValueError("BySlack needs the inequality premises it uses")
        for p in premises:
            if p.relation not in ("<=", ">="):
                raise ValueError(f"premise '{p.claim()}' is not an inequality")
        self.premises, self.note = tuple(premises), note

    def text(self) -> str:
        return _with_refs(self.note or "adding the bounds", self._refs())

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        if step.relation not in ("<=", ">="):
            raise ValueError("BySlack proves inequalities")
        parts = self.premise_verdicts(done)
        rewrite = {}
        for k, p in enumerate(self.premises):
            g = sp.Dummy(f"g{k}", nonnegative=True)
            rewrite[as_expr(p.lhs)] = as_expr(p.rhs) - g if p.relation == "<=" else as_expr(p.rhs) + g
        lhs, rhs = as_expr(step.lhs).xreplace(rewrite), as_expr(step.rhs).xreplace(rewrite)
        exact = check.le if step.relation == "<=" else check.ge
        v = exact(lhs, rhs, timeout=timeout, numeric=False)
        parts.insert(0, Verdict(v.status, "with every premise's slack g >= 0", v.summary()))
        return conclude(step, parts, "inequality premises through their slack",
                        "; ".join(f"{_short(k)} -> {_short(v)}" for k, v in rewrite.items()),
                        timeout)


@dataclass
class UnderIntegral(Justification):
    """Both sides hold one integral over the same domain whose integrands agree up to a
    constant factor c (free of the integration variables), and the sides agree with the left
    integral replaced by ``c J`` and the right by ``J`` (J > 0 when the right integrand is
    positive by the assumptions).  Linearity of the integral and congruence."""

    note: str = ""

    def text(self) -> str:
        return self.note or "the integrands agree up to a constant factor"

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        lhs, rhs = as_expr(step.lhs), as_expr(step.rhs)
        left, right = list(lhs.atoms(sp.Integral)), list(rhs.atoms(sp.Integral))
        if len(left) != 1 or len(right) != 1 or left[0].limits != right[0].limits:
            return Verdict(Status.UNDECIDED, "under the integral",
                           "each side must hold exactly one integral, over the same domain")
        (I1,), (I2,) = left, right
        f, g = I1.function, I2.function
        variables = {lim[0] for lim in I1.limits}
        try:  # simplify can run for minutes on a wrong step: bound it like every checker
            ratio = call_with_timeout(lambda: sp.simplify(sp.powsimp(f / g)), seconds=timeout)
        except CheckTimeout:
            return Verdict(Status.UNDECIDED, "under the integral",
                           f"simplifying the integrands' ratio ran past {timeout} s",
                           timed_out=True)
        if ratio.free_symbols & variables:
            return Verdict(Status.UNDECIDED, "under the integral",
                           f"the integrands' ratio depends on the integration variables: {ratio}")
        J = sp.Symbol("J", positive=True) if g.is_positive else sp.Symbol("J", real=True)
        parts = [check.equal(f, ratio * g, timeout=timeout),
                 check.equal(lhs.xreplace({I1: ratio * J}), rhs.xreplace({I2: J}), timeout=timeout)]
        return conjunction(parts, "linearity of the integral (integrands equal up to the constant "
                           f"{ratio})", f"J = the right integral{', positive' if J.is_positive else ''}")


@dataclass
class ByLinearity(Justification):
    """``int f = sum_k c_k int f_k`` over the same domain, with every c_k free of the
    integration variables and ``f = sum_k c_k f_k`` exactly (linearity of the integral; the
    caller's integrands must be absolutely integrable, e.g. polynomials times a Gaussian)."""

    note: str = ""

    def text(self) -> str:
        return self.note or "linearity of the integral"

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        lhs, rhs = as_expr(step.lhs), as_expr(step.rhs)
        if not isinstance(lhs, sp.Integral) or step.relation != "=":
            return Verdict(Status.UNDECIDED, "linearity", "the left side must be one integral")
        variables = {lim[0] for lim in lhs.limits}
        total = sp.Integer(0)
        for term in sp.Add.make_args(rhs):
            integrals = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Integral)]
            if len(integrals) != 1 or integrals[0].limits != lhs.limits:
                return Verdict(Status.UNDECIDED, "linearity",
                               f"term {term} is not a constant times one integral over the domain")
            coeff = term / integrals[0]
            if coeff.free_symbols & variables:
                return Verdict(Status.UNDECIDED, "linearity", f"coefficient {coeff} is not constant")
            total += coeff * integrals[0].function
        v = check.equal(lhs.function, total, timeout=timeout)
        return Verdict(v.status, f"linearity of the integral ({v.checker})",
                       "the integrand is the same combination of the terms' integrands; " + v.detail,
                       points=v.points, digits=v.digits, witness=v.witness,
                       witness_value=v.witness_value)


class ByRenaming(Justification):
    """The step is an earlier step with quantities given names: ``ByRenaming(step, names={
    norm(h): a, ...}, note="case h != 0")``.  Both sides of the premise, with ``names``
    substituted, must equal the step's sides exactly, with the same relation.  The names may
    carry assumptions (``positive=True``) that the scope states as a case; the case is the
    author's to cover (e.g. h = 0 in a step of its own)."""

    def __init__(self, premise: "Step", names: dict[Any, Any], note: str = ""):
        self.premises, self.names, self.note = (premise,), dict(names), note

    def text(self) -> str:
        words = self.note or "naming " + ", ".join(
            f"{_short(v, 30)} = {_short(k, 40)}" for k, v in self.names.items())
        return _with_refs(words, self._refs())

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        (premise,) = self.premises
        lhs = as_expr(premise.lhs).xreplace(self.names)
        rhs = as_expr(premise.rhs).xreplace(self.names)
        ok = (premise.relation == step.relation and same(lhs, as_expr(step.lhs))
              and same(rhs, as_expr(step.rhs)))
        parts = [Verdict(Status.PROVED if ok else Status.UNDECIDED, "renaming",
                         "the premise with the names substituted is the step" if ok else
                         f"the premise renamed is {lhs} {premise.relation} {rhs}")]
        parts.extend(self.premise_verdicts(done))
        return conclude(step, parts, "renaming of a premise",
                        "; ".join(f"{_short(k)} -> {_short(v)}" for k, v in self.names.items()),
                        timeout)


class ByChain(Justification):
    """The step is the conclusion of a chain: ``ByChain(calc.links)``.  The links must follow
    one another (each link's left side is the previous link's right side), the step's left side
    is the first link's and its right side the last link's; the relation is ``=`` when every
    link is ``=``, else the one inequality direction every link shares (transitivity)."""

    def __init__(self, links: Sequence["Step"], note: str = ""):
        if not links:
            raise ValueError("ByChain needs the chain's links")
        self.premises, self.note = tuple(links), note

    def text(self) -> str:
        return _with_refs(self.note or "the chain above, by transitivity", self._refs())

    def check(self, step: "Step", timeout: float | None, done: dict["Step", Verdict]) -> Verdict:
        links = self.premises
        joined = all(same(a.rhs, b.lhs) for a, b in zip(links, links[1:]))
        ends = same(step.lhs, links[0].lhs) and same(step.rhs, links[-1].rhs)
        directions = {link.relation for link in links} - {"="}
        if not directions:
            relation = "="
        elif directions <= {"<=", "<"}:
            relation = "<" if "<" in directions else "<="
        elif directions <= {">=", ">"}:
            relation = ">" if ">" in directions else ">="
        else:
            relation = None
        weaker = {"<": ("<", "<="), "<=": ("<=",), ">": (">", ">="), ">=": (">=",), "=": ("=",)}
        ok = joined and ends and relation is not None and step.relation in weaker[relation]
        parts = [Verdict(Status.PROVED if ok else Status.UNDECIDED, "transitivity",
                         "the links join and their relations compose to the step's" if ok else
                         "the links do not join, or their relations do not compose to the step's")]
        parts.extend(self.premise_verdicts(done))
        return conclude(step, parts, "transitivity of a chain", f"{len(links)} links", timeout)
