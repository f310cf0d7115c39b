"""The checkers, strong to weak.  Each public checker returns one :class:`~kexue_sym.verdict.Verdict`.

``equal(lhs, rhs)``  claim ``lhs = rhs``:
  1. exact normal forms: structural equality, polynomial expansion, rational-function ``cancel``;
  2. a cascade of simplifications (``simplify``, ``trigsimp``, rewrite in ``exp``, ``expand_log``
     without ``force``), all of which honour symbol assumptions and never apply branch-unsafe
     rewrites such as ``sqrt(x*y) -> sqrt(x)*sqrt(y)`` on unrestricted symbols;
  3. numeric sampling with mpmath at :data:`~kexue_sym.tolerances.NUMERIC_DIGITS` digits at exact
     rational points drawn from the declared domain.  Agreement everywhere gives CHECKED; a
     disagreement becomes REFUTED only after the exact point is re-checked independently (exact
     rational arithmetic, or sympy ``evalf`` at :data:`~kexue_sym.tolerances.RECHECK_DIGITS`).

``le(lhs, rhs)``  claim ``lhs <= rhs``:
  1. an exact certificate: ``rhs - lhs`` equals a given sum of terms each non-negative by the
     assumption system (squares of real expressions, products of non-negative symbols ...);
  2. the sign of ``rhs - lhs`` (or of its factorisation/simplification) from the assumptions;
  3. numeric sampling as above; a violation is re-checked before it is reported.

Every stage runs under a hard timeout (:mod:`kexue_sym.timeout`).  sympy's ``equals() is False``
is never trusted: a claim is REFUTED only with a re-checked witness.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import sympy as sp

from . import tolerances as tol
from .timeout import CheckTimeout, ChildError, call_with_timeout
from .verdict import Status, Verdict

__all__ = ["equal", "le", "ge", "counterexample", "as_expr", "describe_assumptions", "Domain"]

#: Optional per-symbol interval ``(lo, hi)`` (open) that numeric sampling must stay inside.
Domain = Mapping[sp.Symbol, tuple[Any, Any]]

_SYMBOLIC_SHARE = 0.6
NONZERO_RATIONAL = "the difference is a non-zero rational function of the symbols"  # of a check's time limit given to the symbolic stages when numerics follow


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------

def as_expr(value: Any) -> sp.Basic:
    """A sympy object or Python number as sympy; text is refused.

    ``sympify`` on a string runs it as Python; ``strict=True`` converts only numbers and sympy
    objects, so no user text can reach an evaluator through the checkers.
    """
    if isinstance(value, str):
        raise TypeError("expected a sympy expression or a number, got text; parse user input "
                        "with a restricted parser first")
    return sp.sympify(value, strict=True)


def _as_list(expr: Any) -> list[sp.Expr]:
    """Scalars -> [expr]; matrices -> their entries in row-major order."""
    if isinstance(expr, (sp.MatrixBase, sp.NDimArray)):
        return list(sp.Array(expr).reshape(len(expr)) if isinstance(expr, sp.NDimArray) else expr)
    return [as_expr(expr)]


def _shape(expr: Any) -> tuple[int, ...]:
    return tuple(expr.shape) if isinstance(expr, (sp.MatrixBase, sp.NDimArray)) else ()


def _free_symbols(exprs: Iterable[sp.Expr]) -> list[sp.Symbol]:
    syms: set[sp.Symbol] = set()
    for e in exprs:
        syms |= {s for s in e.free_symbols if isinstance(s, sp.Symbol)}
    return sorted(syms, key=lambda s: s.name)


def _assumption_words(s: sp.Symbol) -> str:
    a = s.assumptions0
    sign = next((w for w in ("positive", "negative", "nonnegative", "nonpositive") if a.get(w)), "")
    kind = next((w for w in ("prime", "even", "odd", "integer") if a.get(w)), "")
    if not kind and not sign:
        kind = "real" if a.get("real") else "complex (no assumption)"
    extra = "nonzero" if a.get("nonzero") and sign in ("", "nonnegative", "nonpositive") else ""
    return " ".join(w for w in (sign, extra, kind) if w)


def describe_assumptions(symbols: Iterable[sp.Symbol], domain: Domain | None = None) -> str:
    """'x: positive; y: real; z: complex (no assumption); t in (0, 1)' for the report."""
    out = []
    for s in symbols:
        if domain and s in domain:
            lo, hi = domain[s]
            out.append(f"{s} in ({lo}, {hi})")
        else:
            out.append(f"{s}: {_assumption_words(s)}")
    return "; ".join(out)


def _is_zero_exact(expr: sp.Expr) -> bool:
    return expr == 0 or expr.is_zero is True


# ---------------------------------------------------------------------------------------------
# symbolic stage
# ---------------------------------------------------------------------------------------------

def _polynomial_like(expr: sp.Expr) -> str | None:
    """'polynomial' / 'rational' when expr is one in its free symbols with *rational*
    coefficients: only then is expansion/``cancel`` a canonical form, so that a non-zero result
    proves the difference is not identically 0 (sqrt(2) + sqrt(3) - sqrt(5 + 2 sqrt(6)) is a
    'polynomial' whose expansion is not 0, yet it is 0)."""
    syms = sorted(expr.free_symbols, key=str)
    if any(not isinstance(s, sp.Symbol) for s in syms):
        return None
    if expr.has(sp.Function, sp.Derivative, sp.Integral, sp.Sum, sp.Product):
        return None
    if not syms:
        return "polynomial" if expr.is_Rational else None
    if expr.is_polynomial(*syms):
        kind = "polynomial"
    elif expr.is_rational_function(*syms):
        kind = "rational"
    else:
        return None
    try:
        num, den = sp.fraction(sp.together(expr))
        domains = {sp.Poly(num, *syms).domain, sp.Poly(den, *syms).domain}
    except sp.PolynomialError:
        return None
    return kind if domains <= {sp.ZZ, sp.QQ} else None


def _rewrite_exp(e: sp.Expr) -> sp.Expr:
    return sp.simplify(e.rewrite(sp.exp))


# Simplification cascade, cheapest first.  None of these rewrites ignores assumptions.
_CASCADE: tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...] = (
    ("expand", sp.expand),
    ("cancel", sp.cancel),
    ("simplify", sp.simplify),
    ("trigsimp", lambda e: sp.trigsimp(sp.expand_trig(e))),
    ("rewrite(exp) + simplify", _rewrite_exp),
    ("expand_log + cancel", lambda e: sp.cancel(sp.expand(sp.expand_log(e)))),
    ("expand_log + simplify", lambda e: sp.simplify(sp.expand_log(e))),
    # square roots of perfect squares: sqrt(factor(...)) under the symbols' assumptions
    ("factor(deep) + expand", lambda e: sp.expand(sp.factor(e, deep=True))),
    # sympy's Gaussian integrals come back in erf and erfc = 1 - erf, which simplify leaves apart
    ("rewrite(erf) + expand", lambda e: sp.expand(e.rewrite(sp.erf)) if e.has(sp.erfc) else e),
    # definite integrals, sums and products evaluated exactly by sympy, then simplified
    ("doit (integrate/sum) + simplify", lambda e: sp.simplify(
        sp.expand(e.doit().rewrite(sp.erf))) if e.has(sp.Integral, sp.Sum, sp.Product,
                                                      sp.Determinant, sp.Trace) else e),
)


def _symbolic_zero(diffs: Sequence[sp.Expr]) -> tuple[str | None, str]:
    """Try to show every entry of ``diffs`` is exactly 0.

    Returns ``(checker, note)``: ``checker`` names the method that reduced all entries to 0
    (None when some entry resisted); ``note`` says what was learned otherwise.  A note starting
    with :data:`NONZERO_RATIONAL` means an entry is a non-zero rational function, so an exact
    counterexample exists (see :func:`_exact_witness`).
    """
    used: list[str] = []
    for d in diffs:
        if d == 0:
            continue
        kind = _polynomial_like(d)
        if kind == "polynomial":
            if sp.expand(d) == 0:
                used.append("polynomial identity (exact expansion)")
                continue
            return None, f"{NONZERO_RATIONAL} (polynomial)"
        if kind == "rational":
            if sp.cancel(sp.together(d)) == 0:
                used.append("rational-function identity (exact cancel)")
                continue
            return None, f"{NONZERO_RATIONAL} (rational function)"
        for name, fn in _CASCADE:
            if _is_zero_exact(fn(d)):
                used.append(f"symbolic ({name})")
                break
        else:
            if d.is_zero is True:
                used.append("assumptions (is_zero)")
                continue
            return None, "sympy could not reduce the difference to 0"
    if not used:
        return "structural identity", ""
    # report the weakest (last in cascade order) method any entry needed
    order = ["polynomial identity (exact expansion)", "rational-function identity (exact cancel)"]
    order += [f"symbolic ({n})" for n, _ in _CASCADE] + ["assumptions (is_zero)"]
    return max(used, key=order.index), ""


def _certified_nonnegative(expr: sp.Expr) -> tuple[str | None, str]:
    """A name for why ``expr >= 0`` holds exactly, from the assumption system, or None."""
    if expr.is_nonnegative is True:
        return "sign from assumptions", ""
    for name, fn in (("factor", sp.factor), ("simplify", sp.simplify)):
        if fn(expr).is_nonnegative is True:
            return f"sign from assumptions after {name}", ""
    return None, "sympy could not decide the sign of rhs - lhs"


# ---------------------------------------------------------------------------------------------
# numeric stage
# ---------------------------------------------------------------------------------------------

def _magnitude(rng: random.Random) -> sp.Rational:
    """A positive rational spread over scales: (0, 1), (1, 4) and (4, 100)."""
    lo, hi = rng.choice([(0, 1), (1, 4), (4, 100)])
    den = rng.choice([1, 2, 3, 4, 7, 16, 97, 1024])
    num = rng.randint(max(1, lo * den + 1), hi * den - 1) if hi * den - 1 > lo * den else hi * den
    return sp.Rational(num, den)


def _sample_value(sym: sp.Symbol, rng: random.Random, domain: Domain | None) -> sp.Expr:
    if domain and sym in domain:
        lo, hi = (sp.Rational(sp.nsimplify(v)) if not isinstance(v, sp.Rational) else v
                  for v in domain[sym])
        n = 4096
        return lo + (hi - lo) * sp.Rational(rng.randint(1, n - 1), n)
    a = sym.assumptions0
    if a.get("integer"):
        lo, hi = -20, 20
        if a.get("positive"):
            lo = 1
        elif a.get("nonnegative"):
            lo = 0
        elif a.get("negative"):
            hi = -1
        elif a.get("nonpositive"):
            hi = 0
        return sp.Integer(rng.randint(lo, hi))
    if a.get("real") or a.get("extended_real"):
        m = _magnitude(rng)
        if a.get("positive"):
            return m
        if a.get("negative"):
            return -m
        if a.get("nonnegative"):
            return m if rng.random() > 0.05 else sp.Integer(0)
        if a.get("nonpositive"):
            return -m if rng.random() > 0.05 else sp.Integer(0)
        return m if rng.random() < 0.5 else -m
    # no assumption: sympy symbols are complex
    re_part = _magnitude(rng) * rng.choice([-1, 1])
    im_part = _magnitude(rng) * rng.choice([-1, 1])
    return re_part + sp.I * im_part


def _consistent(sym: sp.Symbol, value: sp.Expr) -> bool:
    """The sampled value does not contradict any assumption declared on ``sym``."""
    for key, wanted in sym.assumptions0.items():
        if wanted is True and getattr(value, f"is_{key}", None) is False:
            return False
    return True


def _sample_point(syms: Sequence[sp.Symbol], rng: random.Random, domain: Domain | None) -> dict:
    point = {}
    for s in syms:
        for _ in range(200):
            v = _sample_value(s, rng, domain)
            if _consistent(s, v):
                break
        else:
            raise ValueError(f"cannot draw a value for {s} consistent with its assumptions")
        point[s] = v
    return point


def _to_mp(v: sp.Expr):
    re_part, im_part = v.as_real_imag()
    re_mp = mpmath.mpf(re_part.p) / re_part.q
    if im_part == 0:
        return re_mp
    return mpmath.mpc(re_mp, mpmath.mpf(im_part.p) / im_part.q)


def _finite(z) -> bool:
    try:
        return bool(mpmath.isfinite(z))
    except TypeError:
        return False


def _fmt(z, digits: int = 6) -> str:
    return mpmath.nstr(z, digits)


@dataclass
class _Sides:
    """Left and right sides as lists of scalars, evaluated together at a point."""

    lhs: list[sp.Expr]
    rhs: list[sp.Expr]
    syms: list[sp.Symbol]

    def __post_init__(self) -> None:
        self._f = sp.lambdify(self.syms, [self.lhs, self.rhs], modules="mpmath")

    def at(self, point: dict, digits: int) -> tuple[list, list]:
        """Both sides at ``point`` (exact rationals) with ``digits`` working digits."""
        with mpmath.workdps(digits):
            args = [_to_mp(point[s]) for s in self.syms]
            left, right = self._f(*args)
            return [+z for z in left], [+z for z in right]


def _recheck(diff: sp.Expr, point: dict, digits: int):
    """The claim's gap at an exact point, by a path independent of the mpmath lambdify.

    Returns ``(value, exact)``: an exact sympy Rational when substitution gives one, otherwise
    sympy's ``evalf`` at ``digits`` (its own error control), or None if it cannot evaluate.
    """
    value = diff.xreplace(point)
    if value.is_Rational:
        return value, True
    if value.has(sp.zoo, sp.oo, sp.nan):
        return None, False
    try:
        approx = value.evalf(digits, maxn=4 * digits)
    except Exception:  # noqa: BLE001 - evalf failures just mean no recheck
        return None, False
    if not approx.is_number or approx.has(sp.zoo, sp.oo, sp.nan):
        return None, False
    return approx, False


def _witness_dict(point: dict) -> dict[str, str]:
    return {str(k): str(v) for k, v in point.items()}


def _gap(kind: str, a, b):
    """The quantity that must vanish (eq: |a - b|) or stay <= 0 (le: a - b), and the scale."""
    scale = max(abs(a), abs(b))
    if kind == "eq":
        return abs(a - b), scale
    return mpmath.re(a) - mpmath.re(b), max(scale, mpmath.mpf(1))


def _numeric(kind: str, lhs: list, rhs: list, syms: list, domain: Domain | None,
             points: int, digits: int, seed: int) -> Verdict:
    """Sample, compare, escalate suspicious points, and re-check any counterexample.

    A point whose gap exceeds ``10**-(digits - 5)`` of the sides' size is re-evaluated at twice
    the digits: rounding noise shrinks there, a real difference does not.  Only a difference
    that survives (above ``10**-(2 digits - GUARD)``) goes to the independent re-check.
    """
    if any(e.has(sp.core.function.AppliedUndef) for e in lhs + rhs):
        return Verdict(Status.UNDECIDED, "numeric",
                       "the claim contains undefined functions; numeric sampling cannot evaluate it")
    rng = random.Random(seed)
    suspicious = mpmath.mpf(10) ** -(digits - 5)
    high = 2 * digits
    n_points = points if syms else 1
    sides = _Sides(lhs, rhs, syms)
    with mpmath.workdps(high):  # gaps of values from either precision, without rounding them
        return _numeric_loop(kind, sides, syms, domain, rng, n_points, digits, high, suspicious)


def _numeric_loop(kind, sides, syms, domain, rng, n_points, digits, high, suspicious) -> Verdict:
    lhs, rhs = sides.lhs, sides.rhs
    ok = skipped = escalated = 0
    worst = mpmath.mpf(0)
    for _ in range(n_points * 4):
        if ok >= n_points:
            break
        point = _sample_point(syms, rng, domain)
        try:
            left, right = sides.at(point, digits)
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            skipped += 1
            continue
        if not all(_finite(z) for z in left + right):
            skipped += 1
            continue
        for i, (a, b) in enumerate(zip(left, right)):
            if kind == "le":
                scale = max(abs(a), abs(b), 1)
                if abs(mpmath.im(a)) > suspicious * scale or abs(mpmath.im(b)) > suspicious * scale:
                    return Verdict(Status.UNDECIDED, "numeric",
                                   f"the sides are not real at {_witness_dict(point)}: "
                                   "declare the domain (assumptions or domain=...)")
            gap, scale = _gap(kind, a, b)
            if scale == 0 or gap <= suspicious * scale:
                if scale > 0:
                    worst = max(worst, max(gap, 0) / scale)
                continue
            escalated += 1
            hl, hr = sides.at(point, high)
            gap, scale = _gap(kind, hl[i], hr[i])
            if gap > tol.numeric_rel_tol(high) * scale:
                return _confirm(kind, lhs[i] - rhs[i], point, gap, scale, high)
            if scale > 0:  # both sides exactly 0 at the higher precision: agreement
                worst = max(worst, max(gap, 0) / scale)
        ok += 1
    where = f" inside {describe_assumptions(syms, domain)}" if syms else ""
    if ok < n_points:
        return Verdict(Status.UNDECIDED, "numeric",
                       f"only {ok} of {n_points} sample points were finite ({skipped} skipped)",
                       points=ok, digits=digits)
    what = "equal" if kind == "eq" else "lhs <= rhs"
    notes = [f"{skipped} singular points skipped"] if skipped else []
    if escalated:
        notes.append(f"{escalated} re-evaluated at {high} digits")
    return Verdict(Status.CHECKED, "numeric (mpmath)",
                   f"{what} at {ok} random exact points{where}, {digits} digits, worst relative "
                   f"difference {_fmt(worst, 3)}" + "".join(f"; {n}" for n in notes),
                   points=ok, digits=digits)


def _exact_witness(diffs: list[sp.Expr], syms: list, domain: Domain | None, seed: int,
                   tries: int = 64) -> Verdict:
    """A non-zero rational function is non-zero at some rational point of any open set: find
    one by exact substitution (no floating point at all)."""
    rng = random.Random(seed)
    for _ in range(tries):
        point = _sample_point(syms, rng, domain)
        for d in diffs:
            value, exact = _recheck(d, point, tol.RECHECK_DIGITS)
            if value is None or value == 0:
                continue  # a pole, or a root of d: try another point
            if exact:
                return Verdict(Status.REFUTED, "counterexample (exact rational arithmetic)",
                               f"lhs - rhs = {value} exactly", witness=_witness_dict(point),
                               witness_value=str(value))
            if abs(value) > sp.Float(10) ** -(tol.RECHECK_DIGITS - tol.GUARD_DIGITS):
                return Verdict(Status.REFUTED, f"counterexample (sympy evalf at "
                               f"{tol.RECHECK_DIGITS} digits)", f"lhs - rhs = {value.evalf(12)}",
                               witness=_witness_dict(point), witness_value=str(value.evalf(20)),
                               digits=tol.RECHECK_DIGITS)
    return Verdict(Status.UNDECIDED, "exact witness search",
                   f"no exact counterexample found in {tries} rational points")


def _confirm(kind: str, diff: sp.Expr, point: dict, first_gap, scale, digits: int) -> Verdict:
    """Turn a numeric disagreement into REFUTED only if an independent re-check agrees."""
    value, exact = _recheck(diff, point, tol.RECHECK_DIGITS)
    witness = _witness_dict(point)
    if value is None:
        return Verdict(Status.UNDECIDED, "numeric",
                       f"sides differ by {_fmt(first_gap)} at {witness} but the re-check could not "
                       "evaluate there", witness=None)
    if exact:
        holds = value == 0 if kind == "eq" else value <= 0
        if holds:
            return Verdict(Status.UNDECIDED, "numeric",
                           f"mpmath saw a difference at {witness} that exact arithmetic does not")
        return Verdict(Status.REFUTED, "counterexample (exact rational arithmetic)",
                       f"lhs - rhs = {value} exactly", witness=witness, witness_value=str(value),
                       digits=None)
    with mpmath.workdps(tol.RECHECK_DIGITS):
        re_v, im_v = value.as_real_imag()
        v = mpmath.mpc(mpmath.mpf(sp.Float(re_v, tol.RECHECK_DIGITS)._mpf_),
                       mpmath.mpf(sp.Float(im_v, tol.RECHECK_DIGITS)._mpf_))
        limit = tol.numeric_rel_tol(tol.RECHECK_DIGITS) * scale  # scale >= 1 for 'le' 
        confirmed = abs(v) > limit if kind == "eq" else mpmath.re(v) > limit
        # the first evaluation is good to about rel_tol(digits) * scale; the re-check must land
        # inside that error bar, else cancellation fooled one of them
        agrees = abs(abs(v) - abs(first_gap)) <= 10 * tol.numeric_rel_tol(digits) * scale
        if v.imag == 0:
            v = v.real
    if confirmed and agrees:
        return Verdict(Status.REFUTED, f"counterexample (re-checked by sympy evalf at "
                       f"{tol.RECHECK_DIGITS} digits)",
                       f"lhs - rhs = {_fmt(v, 12)}", witness=witness, witness_value=_fmt(v, 20),
                       digits=tol.RECHECK_DIGITS)
    return Verdict(Status.UNDECIDED, "numeric",
                   f"sides differ by {_fmt(first_gap)} at {witness}, but the {tol.RECHECK_DIGITS}-digit "
                   f"re-check gives {_fmt(v)}: inconclusive")


# ---------------------------------------------------------------------------------------------
# public checkers
# ---------------------------------------------------------------------------------------------

def _staged(symbolic: Callable[[], tuple[str | None, str]], numeric: Callable[[str], Verdict],
            timeout: float | None, use_numeric: bool, assumptions: str) -> Verdict:
    """Run the symbolic stage, then (if it did not decide) the numeric one, each time-limited."""
    start = time.perf_counter()
    limit = tol.DEFAULT_TIMEOUT if timeout is None else timeout
    sym_limit = limit * _SYMBOLIC_SHARE if use_numeric else limit
    try:
        checker, note = call_with_timeout(symbolic, seconds=sym_limit)
    except CheckTimeout:
        checker, note = None, f"symbolic stages stopped after {sym_limit:.3g} s"
    except ChildError as exc:
        checker, note = None, f"symbolic stages failed: {exc}"
    if checker is not None:
        return Verdict(Status.PROVED, checker, note, seconds=time.perf_counter() - start,
                       assumptions=assumptions)
    if not use_numeric:
        return Verdict(Status.UNDECIDED, "symbolic", note, seconds=time.perf_counter() - start,
                       assumptions=assumptions)
    left = max(limit - (time.perf_counter() - start), 0.5)
    try:
        verdict = call_with_timeout(numeric, note, seconds=left)
    except CheckTimeout:
        verdict = Verdict(Status.UNDECIDED, "numeric", f"numeric stage stopped after {left:.3g} s")
    except ChildError as exc:
        verdict = Verdict(Status.UNDECIDED, "numeric", f"numeric stage failed: {exc}")
    detail = f"{note}; {verdict.detail}" if note else verdict.detail
    return Verdict(verdict.status, verdict.checker, detail, seconds=time.perf_counter() - start,
                   points=verdict.points, digits=verdict.digits, witness=verdict.witness,
                   witness_value=verdict.witness_value, assumptions=assumptions)


def equal(lhs: Any, rhs: Any, *, domain: Domain | None = None, timeout: float | None = None,
          numeric: bool = True, points: int = tol.NUMERIC_POINTS,
          digits: int = tol.NUMERIC_DIGITS, seed: int = 0) -> Verdict:
    """Check the claim ``lhs = rhs`` (sympy scalars or matrices of the same shape).

    Symbol assumptions (``positive=True``, ``real=True``, ``integer=True`` ...) are honoured by
    every stage; ``domain`` further restricts numeric sampling to open intervals.  Returns
    PROVED on exact evidence, CHECKED on numeric agreement, REFUTED with a re-checked witness,
    UNDECIDED otherwise (see the module docstring for the stages).
    """
    if _shape(lhs) != _shape(rhs):
        raise ValueError(f"shapes differ: {_shape(lhs)} vs {_shape(rhs)}")
    left, right = _as_list(lhs), _as_list(rhs)
    diffs = [a - b for a, b in zip(left, right)]
    syms = _free_symbols(left + right)
    def fallback(note: str) -> Verdict:
        if note.startswith(NONZERO_RATIONAL):  # never sample a claim known to be false
            return _exact_witness(diffs, syms, domain, seed)
        return _numeric("eq", left, right, syms, domain, points, digits, seed)

    return _staged(lambda: _symbolic_zero(diffs), fallback, timeout, numeric,
                   describe_assumptions(syms, domain))


def le(lhs: Any, rhs: Any, *, certificate: Sequence[sp.Expr] | None = None,
       domain: Domain | None = None, timeout: float | None = None, numeric: bool = True,
       points: int = tol.NUMERIC_POINTS_LE, digits: int = tol.NUMERIC_DIGITS, seed: int = 0) -> Verdict:
    """Check the claim ``lhs <= rhs`` for real scalar sympy expressions.

    ``certificate``: terms ``t_k``, each non-negative by the assumption system (a square of a
    real expression, a product of non-negative factors ...), with ``rhs - lhs = sum(t_k)``
    exactly; when it checks, the claim is PROVED by the certificate ("sum of squares").
    Without one, the sign of ``rhs - lhs`` is sought from the assumptions, then numerically.
    """
    lhs, rhs = as_expr(lhs), as_expr(rhs)
    gap = rhs - lhs
    syms = _free_symbols([lhs, rhs])

    def symbolic() -> tuple[str | None, str]:
        if certificate is not None:
            bad = [t for t in certificate if t.is_nonnegative is not True]
            if bad:
                return None, f"certificate term not manifestly non-negative: {bad[0]}"
            method, note = _symbolic_zero([gap - sp.Add(*certificate)])
            if method is None:
                return None, f"certificate does not match rhs - lhs ({note})"
            return (f"certificate: rhs - lhs = sum of {len(certificate)} non-negative terms "
                    f"({method})"), ""
        return _certified_nonnegative(gap)

    def fallback(note: str) -> Verdict:
        found = _numeric("le", [lhs], [rhs], syms, domain, points, digits, seed)
        if certificate is None or found.status is Status.REFUTED:
            return found
        # the claim may be true, but the proof offered for it did not check: say so
        return Verdict(Status.UNDECIDED, "certificate", f"{note}; numerics found no "
                       f"counterexample in {found.points or 0} points, but that is not the proof given")

    return _staged(symbolic, fallback, timeout, numeric, describe_assumptions(syms, domain))


def ge(lhs: Any, rhs: Any, **kwargs: Any) -> Verdict:
    """Check ``lhs >= rhs``: the claim ``rhs <= lhs`` (same options as :func:`le`)."""
    return le(rhs, lhs, **kwargs)


def counterexample(lhs: Any, rhs: Any, *, relation: str = "=", domain: Domain | None = None,
                   timeout: float | None = None, points: int = tol.NUMERIC_POINTS,
                   digits: int = tol.NUMERIC_DIGITS, seed: int = 0) -> Verdict:
    """Search for a re-checked counterexample to ``lhs relation rhs`` (``=``, ``<=``, ``>=``):
    REFUTED or UNDECIDED, never a pass.

    For checkers whose own evidence failed (a substitution that does not match): the claim may
    still be true, so numeric agreement proves nothing here and is reported as UNDECIDED; only
    a witness re-checked as in :func:`equal` / :func:`le` turns the step into REFUTED.
    """
    if relation == ">=":
        lhs, rhs = rhs, lhs
    kind = "eq" if relation == "=" else "le"
    left, right = _as_list(lhs), _as_list(rhs)
    syms = _free_symbols(left + right)
    limit = tol.DEFAULT_TIMEOUT if timeout is None else timeout
    try:
        found = call_with_timeout(_numeric, kind, left, right, syms, domain, points, digits,
                                  seed, seconds=limit)
    except CheckTimeout:
        return Verdict(Status.UNDECIDED, "counterexample search", f"stopped after {limit:.3g} s")
    except ChildError as exc:
        return Verdict(Status.UNDECIDED, "counterexample search", f"failed: {exc}")
    if found.status is Status.REFUTED:
        return found
    return Verdict(Status.UNDECIDED, "counterexample search",
                   f"none found ({found.detail})", points=found.points, digits=found.digits)
