"""Mutation testing of derivations: small wrong changes to every step, each verified, to show
that the checker refuses what it should.

Mutants of a step (:func:`mutants_of`): a coefficient changed, a sign flipped, two indices (or
symbols) swapped, an exponent changed, a term dropped, an inequality reversed, an assumption
removed.  Each mutant keeps the step's justification and premises.  Its fate:

* **refuted**: REFUTED, with a re-checked counterexample;
* **undecided**: UNDECIDED (the checker says it cannot tell: never a pass);
* **accepted**: PROVED or CHECKED.  A checker or derivation bug, unless the mutant is
  *equivalent* to the original, which is then shown exactly (:func:`equivalence`): the mutated
  side simplifies to the original one, for an inequality the mutant is implied by the
  original through a gap that is non-negative by the assumptions, or a claim between numbers
  holds exactly.  An accepted "assumption removed" mutant that numpy does not find false says
  the step holds without that assumption: listed as *assumption not needed*, not as a bug.

Whether a mutant is false is judged independently of the checker, by numpy at 200 random
real points (:func:`falsity`); a mutant numpy finds true is reported as *true*, and the
refutation rate counts the others (false, or not evaluable by numpy).  A false mutant is made
cheap to refute: the re-checked counterexample search (:func:`kexue_sym.check.counterexample`,
sampling only, the search the checkers themselves end with) runs before the step's checker and
its simplification cascade; for a step whose claim stands alone (no premises, no lemma
hypotheses) also at concrete sizes n = 1, 2, 3 of a general-n claim, and, beside the PROVED
original, on rhs' = rhs.  With a witness found, the step's checker still runs on the mutant,
under :data:`CONFIRM_SECONDS`: a checker that accepts it is caught, however it was refuted.

Used by ``kexue-sym mutate`` and by the project's own mutation tests.
"""
from __future__ import annotations

import dataclasses
import random
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixElement

from . import check
from .derivation import Derivation, Report, Step
from .verdict import Status, Verdict

__all__ = ["Mutant", "MutationReport", "mutants_of", "falsity", "equivalence", "mutate",
           "KINDS"]

KINDS = ("coefficient changed", "sign flipped", "indices swapped", "exponent changed",
         "term dropped", "inequality reversed", "assumption removed")
_REVERSED = {"<=": ">=", ">=": "<=", "<": ">", ">": "<"}


@dataclass
class Mutant:
    """One mutant: the original step, what was changed, the mutated step, and what became of
    it (``verdict``; ``false`` by numpy: True, False or None when not evaluable)."""

    original: Step
    kind: str
    step: Step
    false: bool | None = None
    verdict: Verdict | None = None
    equivalent: str = ""  # the exact reason it is equivalent, when it is

    @property
    def fate(self) -> str:
        if self.verdict is None:
            return "unchecked"
        return {Status.REFUTED: "refuted", Status.UNDECIDED: "undecided"}.get(
            self.verdict.status, "accepted")

    def claim(self) -> str:
        return self.step.claim()

    def to_json(self) -> dict[str, Any]:
        return {"step": self.original.number, "kind": self.kind, "claim": self.claim(),
                "false": self.false, "verdict": self.verdict.status.name if self.verdict else None,
                "evidence": self.verdict.summary() if self.verdict else "",
                "equivalent": self.equivalent or None}


@dataclass
class MutationReport:
    name: str
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0
    skipped: int = 0  # mutants left unchecked by the time budget

    def count(self, fate: str) -> int:
        return sum(1 for m in self.mutants if m.fate == fate)

    @property
    def false_mutants(self) -> list[Mutant]:
        return [m for m in self.mutants if m.false is not False and m.verdict is not None]

    @property
    def bugs(self) -> list[Mutant]:
        """Accepted mutants not shown equivalent (none, for a sound checker).  An accepted
        "assumption removed" mutant numpy does not find false is a finding about the
        derivation (the step holds without that assumption), listed but not counted here."""
        return [m for m in self.mutants if m.fate == "accepted" and not m.equivalent
                and not (m.kind == "assumption removed" and m.false is not True)]

    def refuted_rate(self) -> float:
        false = self.false_mutants
        return sum(m.fate == "refuted" for m in false) / len(false) if false else 1.0

    def to_json(self) -> dict[str, Any]:
        accepted = [m for m in self.mutants if m.fate == "accepted"]
        return {"name": self.name, "mutants": sum(m.verdict is not None for m in self.mutants),
                "refuted": self.count("refuted"), "undecided": self.count("undecided"),
                "accepted": len(accepted),
                "true_by_numpy": sum(1 for m in self.mutants if m.false is False),
                "refuted_rate_of_false": round(self.refuted_rate(), 4),
                "not_equivalent_accepted": len(self.bugs),
                "assumption_not_needed": sum(1 for m in accepted if m.kind == "assumption removed"
                                             and not m.equivalent and m.false is not True),
                "skipped": self.skipped,
                "seconds": round(self.seconds, 2),
                "accepted_examples": [m.to_json() for m in accepted]}


# --- making mutants ----------------------------------------------------------------------------

def _terms(e: sp.Expr) -> tuple:
    return sp.Add.make_args(e)


def _side_mutants(e: Any) -> Iterator[tuple[str, Any]]:
    """(kind, mutated expression) for one side."""
    if isinstance(e, sp.MatrixBase):
        for kind, entry in _side_mutants(e[0]):
            m = e.copy()
            m[0] = entry
            yield kind, m
        return
    if not isinstance(e, sp.Expr):
        return
    terms = _terms(e)
    first = terms[0]
    if e == 0:
        yield "coefficient changed", sp.Integer(1)
    else:
        yield "coefficient changed", e + first  # the first term's coefficient doubled
        yield "sign flipped", e - 2 * first
    if len(terms) >= 2:
        yield "term dropped", sp.Add(*terms[:-1])
    pows = [p for p in sp.preorder_traversal(e) if isinstance(p, sp.Pow) and p.exp.is_Integer]
    if pows:
        p = pows[0]
        yield "exponent changed", e.xreplace({p: sp.Pow(p.base, p.exp + 1)})
    indexed = [t for t in sp.preorder_traversal(e)
               if isinstance(t, sp.Indexed) and len(t.indices) == 2
               and t.indices[0] != t.indices[1]]
    labels = {t.base.label for t in sp.preorder_traversal(e) if isinstance(t, sp.Indexed)}
    syms = sorted((s for s in e.free_symbols if isinstance(s, sp.Symbol)
                   and s not in labels and not s.is_integer), key=str)
    if indexed:
        t = indexed[0]
        yield "indices swapped", e.xreplace({t: t.base[t.indices[1], t.indices[0]]})
    elif len(syms) >= 2:
        yield "indices swapped", e.xreplace({syms[0]: syms[1], syms[1]: syms[0]})


def _plain(e: Any, names: dict) -> Any:
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(lambda v: v.xreplace(names))
    return e.xreplace(names) if isinstance(e, sp.Basic) else e


def mutants_of(step: Step) -> list[Mutant]:
    """Every mutant of one step (module docstring); none for a step declared false
    (``expect=``: its mutants may well be true) or whose sides are not sympy objects."""
    if step.expect is not None:
        return []
    out: list[Mutant] = []
    seen = set()

    def add(kind: str, lhs: Any, relation: str, rhs: Any) -> None:
        key = (sp.srepr(lhs) if isinstance(lhs, sp.Basic) else str(lhs), relation,
               sp.srepr(rhs) if isinstance(rhs, sp.Basic) else str(rhs))
        if key in seen or (relation == step.relation and _same(lhs, step.lhs)
                           and _same(rhs, step.rhs)):
            return
        seen.add(key)
        out.append(Mutant(step, kind, dataclasses.replace(step, lhs=lhs, relation=relation,
                                                          rhs=rhs, display=None, name="")))

    for kind, rhs in _side_mutants(step.rhs):
        add(kind, step.lhs, step.relation, rhs)
    if step.relation in _REVERSED:
        add("inequality reversed", step.lhs, _REVERSED[step.relation], step.rhs)
    symbols = set()
    for side in (step.lhs, step.rhs):
        if isinstance(side, (sp.Basic, sp.MatrixBase)):
            symbols |= {s for s in side.free_symbols if isinstance(s, sp.Symbol)
                        and not isinstance(s, sp.Dummy)}
    assumed = {s: sp.Symbol(s.name) for s in symbols
               if s.assumptions0 != sp.Symbol(s.name).assumptions0}
    if assumed and (step.relation != "=" or _branchy(step.lhs) or _branchy(step.rhs)):
        add("assumption removed", _plain(step.lhs, assumed), step.relation,
            _plain(step.rhs, assumed))
    return out


def _branchy(e: Any) -> bool:
    """Holds something whose identities depend on the assumptions (roots, logs, |x|, powers
    with symbolic or fractional exponents): a polynomial identity stays true without them, so
    removing them makes no useful mutant."""
    if isinstance(e, sp.MatrixBase):
        return any(_branchy(v) for v in e)
    if not isinstance(e, sp.Basic):
        return False
    return any(isinstance(x, (sp.log, sp.Abs, sp.sign, sp.arg, sp.re, sp.im, sp.Piecewise,
                              sp.Min, sp.Max))
               or (isinstance(x, sp.Pow) and not x.exp.is_Integer and x.base.free_symbols)
               for x in sp.preorder_traversal(e))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        return isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a == b
    return a == b


# --- judging mutants independently ---------------------------------------------------------------

def falsity(m: Mutant, trials: int = 200) -> bool | None:
    """Is the mutant false?  numpy at random points (real or complex as the symbols allow;
    positive where declared), independent of the checker: True (a violation found), False
    (holds at every point), None (not evaluable: undefined functions, integrals, indexed or
    general-n objects), in which case a changed coefficient or sign of an equation with a
    non-zero side is taken as false."""
    s = m.step
    lhs, rhs = s.lhs, s.rhs
    pairs = list(zip(lhs, rhs)) if isinstance(lhs, sp.MatrixBase) else [(lhs, rhs)]
    exprs = [x for pair in pairs for x in pair]
    if not all(isinstance(x, sp.Basic) for x in exprs):  # text sides are never parsed
        return None
    syms = sorted(set().union(*(e.free_symbols for e in exprs)), key=str)
    evaluable = not (any(not isinstance(x, sp.Symbol) for x in syms)
                     or any(e.has(AppliedUndef, sp.Integral, sp.Sum, sp.Product, sp.Limit,
                                  sp.Indexed, sp.MatrixSymbol) for e in exprs))
    if evaluable:
        try:
            with warnings.catch_warnings():  # numpy code for an odd object: not evaluable
                warnings.simplefilter("error", SyntaxWarning)
                f = sp.lambdify(syms, exprs, "numpy")
        except Exception:  # noqa: BLE001 - a function numpy's printer does not know
            evaluable = False
    if not evaluable:
        surely = ("coefficient changed", "sign flipped") if s.relation == "=" else ()
        if m.kind in surely and not _same(m.original.rhs, 0):
            return True
        return None
    rng = np.random.default_rng(0)
    complex_ok = s.relation == "=" and not any(x.is_real for x in syms)
    seen_finite = False
    for _ in range(trials):
        vals = rng.uniform(0.1, 3.0, len(syms)) * rng.choice([-1, 1], len(syms))
        if complex_ok:
            vals = vals + 1j * rng.uniform(-2, 2, len(syms))
        vals = [abs(v.real) if x.is_positive or x.is_nonnegative else
                (round(v.real) if x.is_integer else v) for x, v in zip(syms, vals)]
        with np.errstate(all="ignore"):
            try:
                got = [complex(v) for v in f(*vals)]
            except Exception:  # noqa: BLE001 - outside the domain of a function
                continue
        for a, b in zip(got[::2], got[1::2]):
            if not (np.isfinite(a) and np.isfinite(b)):
                continue
            seen_finite = True
            scale = max(abs(a), abs(b), 1e-300)
            if s.relation == "=" and abs(a - b) > 1e-6 * scale:
                return True
            if abs(a.imag) + abs(b.imag) > 1e-9 * scale:
                continue  # an inequality between non-real values says nothing
            if s.relation in ("<=", "<") and a.real - b.real > 1e-6 * scale:
                return True
            if s.relation in (">=", ">") and b.real - a.real > 1e-6 * scale:
                return True
    return False if seen_finite else None


def equivalence(m: Mutant) -> str:
    """The exact reason an accepted mutant is equivalent to its original, or ''."""
    o, s = m.original, m.step
    try:
        if s.relation == o.relation and _same(s.lhs, o.lhs):
            if isinstance(s.rhs, sp.MatrixBase):
                if (s.rhs - o.rhs).applyfunc(sp.simplify) == sp.zeros(*s.rhs.shape):
                    return "the mutated side equals the original exactly (simplify)"
                return ""
            gap = sp.simplify(s.rhs - o.rhs)
            if gap == 0:
                return "the mutated side equals the original exactly (simplify)"
            # a weaker bound: lhs <= rhs <= rhs' (or >=), the gap's sign from the assumptions
            if s.relation in ("<=", "<") and gap.is_nonnegative:
                return f"implied by the original: rhs' - rhs = {sp.sstr(gap)} >= 0"
            if s.relation in (">=", ">") and gap.is_nonpositive:
                return f"implied by the original: rhs' - rhs = {sp.sstr(gap)} <= 0"
        if s.relation in ("<=", "<", ">=", ">") and not isinstance(s.lhs, sp.MatrixBase):
            gap = (s.rhs - s.lhs) if s.relation in ("<=", "<") else (s.lhs - s.rhs)
            if (gap.is_positive if s.relation in ("<", ">") else gap.is_nonnegative):
                return f"true by the symbols' assumptions alone: {sp.sstr(gap)[:120]} >= 0"
        if m.kind == "inequality reversed" and sp.simplify(o.lhs - o.rhs) == 0:
            return "both sides are equal exactly, so the reversed inequality holds too"
        if isinstance(s.lhs, sp.Expr) and isinstance(s.rhs, sp.Expr):
            gap = sp.nsimplify(s.rhs - s.lhs)
            if not gap.free_symbols and gap.is_Rational:
                holds = {"=": gap == 0, "<=": gap >= 0, "<": gap > 0, ">=": gap <= 0,
                         ">": gap < 0}[s.relation]
                if holds:
                    return f"a true claim between numbers: rhs - lhs = {gap} exactly"
        if m.kind == "assumption removed" and s.relation == "=":
            diff = s.lhs - s.rhs
            zero = (diff.applyfunc(sp.expand) == sp.zeros(*diff.shape)
                    if isinstance(diff, sp.MatrixBase) else sp.expand(diff) == 0)
            if zero:
                return "true without the assumptions too: lhs - rhs expands to 0"
    except (TypeError, ValueError, AttributeError):
        return ""
    return ""


# --- running ---------------------------------------------------------------------------------------

def _instances(e: sp.Expr) -> Iterator[tuple[dict, sp.Expr]]:
    """``e`` at small concrete sizes: each integer symbol bounding a Sum or Product, or sizing a
    matrix symbol, set to 1, 2, 3; sums and products expanded, matrix symbols written out,
    indexed entries and matrix elements made plain real symbols.  (assignment, instance)."""
    sizes = set()
    for node in sp.preorder_traversal(e):
        if isinstance(node, (sp.Sum, sp.Product)):
            for _, lo, hi in node.limits:
                sizes |= {x for x in (lo, hi) if isinstance(x, sp.Symbol) and x.is_integer}
        if isinstance(node, sp.MatrixSymbol):
            sizes |= {x for x in node.shape if isinstance(x, sp.Symbol)}
    if not sizes:
        return
    sizes = sorted(sizes, key=str)
    for value in (1, 2, 3):
        assignment = {x: sp.Integer(value) for x in sizes}
        try:
            inst = e.xreplace(assignment).doit()
            inst = inst.replace(lambda x: isinstance(x, sp.MatrixSymbol),
                                lambda x: x.as_explicit())
            inst = inst.doit()
        except Exception:  # noqa: BLE001 - an object that does not instantiate
            return
        entries = {x: sp.Symbol(f"{x.parent}_{'_'.join(map(str, x.indices))}", real=True)
                   for x in inst.atoms(MatrixElement)}
        entries |= {x: sp.Symbol(f"{x.base}_{'_'.join(map(str, x.indices))}", real=True)
                    for x in inst.atoms(sp.Indexed)}
        yield assignment, inst.xreplace(entries)


def _context_free(step: Step) -> bool:
    """The step's claim stands alone (its symbols' assumptions only): no premises, no lemma
    hypotheses.  Then any point that respects the assumptions may refute a mutant of it."""
    j = step.justification
    if j.premises:
        return False
    for lemma, bindings in getattr(j, "uses", ()):
        if lemma.hypotheses(**bindings):
            return False
    return True


def _concrete_functions(e: Any) -> tuple[str, Any] | None:
    """``e`` with every undefined function F(x_1..x_k) replaced by the concrete, generic
    sin(x_1 + 2 x_2 + ...) + (x_1 + ... + x_k)^2 / 3 (derivatives and Subs evaluated): a claim
    that holds for every function holds for this one, so a counterexample here refutes it."""
    funcs = {f.func: len(f.args) for f in e.atoms(AppliedUndef)}
    if not funcs:
        return None
    names = []
    try:
        while funcs:
            # the outermost function first: a derivative taken with respect to an inner
            # application (d F / d g(x)) stays meaningful while g is still unknown
            depth = {F: max(sum(1 for _ in a.atoms(AppliedUndef)) for a in e.atoms(F))
                     for F in funcs}
            F = max(funcs, key=lambda f: (depth[f], str(f)))
            k = funcs.pop(F)
            xs = sp.symbols(f"_u1:{k + 1}")
            body = sp.sin(sum((i + 1) * x for i, x in enumerate(xs))) + sum(xs) ** 2 / 3
            e = e.replace(F, sp.Lambda(xs, body)).doit()
            shown = body.subs(dict(zip(xs, sp.symbols(f"u1:{k + 1}"))))
            names.append(f"{F}(u) = {sp.sstr(shown)}")
    except Exception:  # noqa: BLE001 - something that does not evaluate
        return None
    return "; ".join(names), e


def _refute_concrete(m: Mutant, timeout: float) -> Verdict | None:
    """A mutant of a context-free claim over undefined functions, at concrete functions."""
    s = m.step
    if not all(isinstance(x, (sp.Expr, sp.MatrixBase)) for x in (s.lhs, s.rhs)):
        return None
    pair = sp.Tuple(sp.ImmutableMatrix(s.lhs) if isinstance(s.lhs, sp.MatrixBase) else s.lhs,
                    sp.ImmutableMatrix(s.rhs) if isinstance(s.rhs, sp.MatrixBase) else s.rhs)
    made = _concrete_functions(pair)
    if made is None:
        return None
    label, (lhs, rhs) = made
    if sp.Tuple(lhs, rhs).has(AppliedUndef, sp.Integral, sp.Derivative, sp.Subs):
        return None
    found = check.counterexample(lhs, rhs, relation=s.relation, timeout=min(timeout, 2.0))
    if found.status is Status.REFUTED:
        return dataclasses.replace(found, checker="counterexample at concrete functions",
                                   detail=f"with {label}: {found.detail}")
    return None


def _refute_instances(m: Mutant, timeout: float) -> Verdict | None:
    """A general-n mutant of a context-free step at n = 1, 2, 3: a re-checked counterexample to
    the instance refutes the claim for every n."""
    s = m.step
    if isinstance(s.lhs, sp.MatrixBase) or not isinstance(s.lhs, sp.Expr) \
            or not isinstance(s.rhs, sp.Expr):
        return None
    pair = sp.Tuple(s.lhs, s.rhs)
    for assignment, inst in _instances(pair):
        lhs, rhs = inst
        if sp.Tuple(lhs, rhs).has(AppliedUndef, sp.Integral, sp.Indexed, sp.MatrixSymbol,
                                  sp.Sum, sp.Product):
            continue
        found = check.counterexample(lhs, rhs, relation=s.relation, timeout=min(timeout, 2.0))
        if found.status is Status.REFUTED:
            size = ", ".join(f"{k} = {v}" for k, v in assignment.items())
            return dataclasses.replace(found, checker="counterexample at a concrete size",
                                       detail=f"at {size}: {found.detail}")
    return None


def _relative(m: Mutant, done: dict, timeout: float) -> Verdict | None:
    """Given the original step PROVED, ``lhs = rhs'`` says ``rhs' = rhs``: a re-checked point
    (at a small concrete size for general-n claims) where ``rhs' - rhs`` is not 0 refutes the
    mutant.  Equations whose left side the mutant kept only."""
    o, s = m.original, m.step
    proved = done.get(o)
    if (proved is None or proved.status is not Status.PROVED or s.relation != "="
            or o.relation != "=" or not _same(s.lhs, o.lhs)
            or isinstance(s.rhs, sp.MatrixBase) or not isinstance(s.rhs, sp.Expr)):
        return None
    gap = s.rhs - o.rhs
    tries = [({}, gap)] + list(_instances(gap))
    for assignment, inst in tries:
        if inst.has(AppliedUndef, sp.Integral, sp.Indexed, sp.MatrixSymbol, sp.Sum, sp.Product):
            continue
        found = check.counterexample(inst, 0, relation="=", timeout=min(timeout, 2.0))
        if found.status is Status.REFUTED:
            size = ", ".join(f"{k} = {v}" for k, v in assignment.items())
            where = f" at {size}" if size else ""
            return dataclasses.replace(
                found, checker="counterexample relative to the proved original",
                detail=f"the original step is PROVED, so the mutant says rhs' = rhs; rhs' - rhs "
                       f"= {sp.sstr(gap)[:160]} is not 0{where}: {found.detail}")
    return None


def _verify_mutant(m: Mutant, done: dict, timeout: float) -> Verdict:
    """The step's checker on the mutant, with the cheap refutations first (sampling with a
    re-checked witness: of the claim, then of rhs' = rhs beside the proved original).  With a
    witness in hand the checker still runs, under a short limit: it must not accept what the
    witness refutes (if it does, its verdict is the one reported, and the mutant is a bug)."""
    found = _cheap_refutation(m, done, timeout)
    if found is None:
        return _checker(m, done, timeout)
    second = _checker(m, done, min(timeout, CONFIRM_SECONDS))
    return second if second.status.ok else found


#: CPU seconds the step's checker gets on a mutant a witness already refutes
CONFIRM_SECONDS = 2.0


def _checker(m: Mutant, done: dict, timeout: float) -> Verdict:
    try:
        return m.step.checker(m.step, timeout, done)
    except Exception as exc:  # noqa: BLE001 - a crashing checker decides nothing
        return Verdict(Status.UNDECIDED, "checker error", f"{type(exc).__name__}: {exc}")


def _cheap_refutation(m: Mutant, done: dict, timeout: float) -> Verdict | None:
    s = m.step
    quick = min(timeout, 3.0)
    if s.relation in ("=", "<=", ">=", "<", ">") and not isinstance(s.lhs, str):
        try:
            found = check.counterexample(s.lhs, s.rhs, relation=s.relation, timeout=quick)
        except (TypeError, ValueError):
            found = None
        if found is not None and found.status is Status.REFUTED:
            return found
        # the refutations below are this module's own: only where the claim stands alone
        if _context_free(m.original):
            for refute in (lambda: _refute_instances(m, timeout),
                           lambda: _refute_concrete(m, timeout),
                           lambda: _relative(m, done, timeout)):
                try:
                    found = refute()
                except (TypeError, ValueError, AttributeError):
                    found = None
                if found is not None:
                    return found
    return None


def mutate(derivation: Derivation, report: Report | None = None, *, timeout: float = 10.0,
           budget: float | None = None, seed: int = 0) -> MutationReport:
    """Every mutant of every step of ``derivation`` verified (premises get the verdicts of
    ``report``, run here when not given).  ``budget`` seconds stops early, checking mutants in
    a seeded random order so that every section is sampled; the rest count as ``skipped``."""
    start = time.perf_counter()
    if report is None:
        report = derivation.run(timeout=timeout)
    done = {r.step: r.verdict for r in report.results}
    out = MutationReport(derivation.name)
    candidates = [m for r in report.results for m in mutants_of(r.step)]
    order = list(range(len(candidates)))
    if budget is not None:
        random.Random(seed).shuffle(order)
    for i in order:
        m = candidates[i]
        if budget is not None and out.mutants and time.perf_counter() - start > budget:
            out.skipped += 1
            continue
        m.false = falsity(m)
        m.verdict = _verify_mutant(m, done, timeout)
        if m.fate == "accepted":
            m.equivalent = equivalence(m)
        out.mutants.append(m)
    out.mutants.sort(key=lambda m: (m.original.number, KINDS.index(m.kind)))
    out.seconds = time.perf_counter() - start
    return out
