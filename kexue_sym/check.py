"""The checkers, strong to weak.  Each public checker returns one :class:`~kexue_sym.verdict.Verdict`.

``equal(lhs, rhs)``  claim ``lhs = rhs``:
  1. exact normal forms: structural equality, polynomial expansion, rational-function ``cancel``;
  2. a cascade of simplifications (``simplify``, ``trigsimp``, rewrite in ``exp``, ``expand_log``
     without ``force``), all of which honour symbol assumptions and never apply branch-unsafe
     rewrites such as ``sqrt(x*y) -> sqrt(x)*sqrt(y)`` on unrestricted symbols.  Integrals,
     sums, products and limits are *opaque* here: each stands for an undefined function of its
     free symbols, so no stage ever takes sympy's evaluation of one as a fact;
  3. certified evaluation (:mod:`kexue_sym.evaluate`): an integral, sum, product or limit is
     replaced by its value only with an exact argument that the value is right (for an
     integral, an antiderivative that differentiates back to the integrand and is continuous
     on the closed interval), then stages 1-2 run again;
  4. numeric evidence (:mod:`kexue_sym.numeric`): random exact points across scales inside the
     declared domain, points on the claim's exceptional sets (breakpoints, branch cuts), two
     precisions, a re-checked counterexample before anything is REFUTED.  A difference that is
     exactly ``c * g`` with ``g`` never 0 is refuted by an exact witness, not sampled.

``le(lhs, rhs)``  claim ``lhs <= rhs``:
  1. an exact certificate: ``rhs - lhs`` equals a given sum of terms each non-negative by the
     assumption system (squares of real expressions, products of non-negative symbols ...);
  2. the sign of ``rhs - lhs`` (or of its factorisation/simplification) from the assumptions;
  3. numeric evidence as above; a violation is re-checked before it is reported.

Every stage runs under a hard limit on CPU time and memory (:mod:`kexue_sym.timeout`), so a
verdict does not depend on how loaded the machine is.  sympy's ``equals() is False`` is never
trusted: a claim is REFUTED only with a re-checked witness.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Mapping, Sequence

import sympy as sp

from . import numeric as _num
from . import tolerances as tol
from .evaluate import NotCertified, certify
from .numeric import OPAQUE
from .timeout import CheckTimeout, ChildError, run_limited
from .verdict import Status, Verdict

__all__ = ["equal", "le", "ge", "counterexample", "as_expr", "describe_assumptions", "Domain",
           "exact_doit", "protect"]

#: Optional per-symbol interval ``(lo, hi)`` (open) that numeric sampling must stay inside.
Domain = Mapping[sp.Symbol, tuple[Any, Any]]

#: Share of a check's time limit given to the symbolic stages when numerics follow.
_SYMBOLIC_SHARE = 0.6
NONZERO_RATIONAL = "the difference is a non-zero rational function of the symbols"
NONZERO_EXACT = "the difference is exactly"


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
# opaque operators
# ---------------------------------------------------------------------------------------------

def _outermost(expr: sp.Basic) -> list[sp.Basic]:
    found = {a for a in sp.preorder_traversal(expr) if isinstance(a, OPAQUE)}
    return sorted((a for a in found if not any(a != b and b.has(a) for b in found)),
                  key=sp.default_sort_key)


def protect(exprs: Sequence[sp.Expr]) -> tuple[list[sp.Expr], dict[sp.Expr, sp.Expr]]:
    """Replace every outermost Integral/Sum/Product/Limit by an undefined function of its free
    symbols (one per distinct operator): simplification then treats it as an arbitrary
    function, which is sound, and can never evaluate it.  Returns the protected expressions and
    the map placeholder -> operator (``.xreplace`` of its inverse restores them, derivatives
    of placeholders included)."""
    atoms: list[sp.Basic] = []
    for e in exprs:
        for a in _outermost(e):
            if a not in atoms:
                atoms.append(a)
    calls = {}
    for i, atom in enumerate(atoms):
        args = sorted(atom.free_symbols, key=sp.default_sort_key)
        calls[atom] = sp.Function(f"_{type(atom).__name__}{i}")(*args)
    return [e.xreplace(calls) for e in exprs], {v: k for k, v in calls.items()}


def exact_doit(expr: Any) -> Any:
    """``doit`` for what sympy computes exactly (derivatives, determinants, traces, matrix
    products), never for integrals, sums, products or limits, which are kept as they are."""
    expr = as_expr(expr) if not isinstance(expr, (sp.MatrixBase, sp.NDimArray)) else expr
    if isinstance(expr, (sp.MatrixBase, sp.NDimArray)):
        return expr.applyfunc(exact_doit)
    (safe,), back = protect([expr])
    return safe.doit().xreplace(back)


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
    if expr.has(sp.Function, sp.Derivative, *OPAQUE):
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


def _exp_normal(e: sp.Expr) -> sp.Expr:
    """Sum of ``c_k exp(E_k)`` with each term's exponentials merged into one and the exponents
    and coefficients put over a common denominator: the normal form that shows Gaussian
    antiderivatives differentiate back (``exp(a) exp(b)`` against ``exp(a + b)`` with the
    exponents written differently)."""
    if not e.has(sp.exp):
        return e
    groups: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(e)):
        factors = sp.Mul.make_args(term)
        exponent = sp.cancel(sp.together(sp.Add(*[f.args[0] for f in factors
                                                  if isinstance(f, sp.exp)])))
        rest = sp.Mul(*[f for f in factors if not isinstance(f, sp.exp)])
        groups[exponent] = groups.get(exponent, sp.Integer(0)) + rest
    return sp.Add(*[sp.cancel(sp.together(c)) * sp.exp(E) for E, c in groups.items()])


# Simplification cascade, cheapest first.  None of these rewrites ignores assumptions, and none
# sees an integral, sum, product or limit (they are protected, see :func:`protect`).
_CASCADE: tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...] = (
    ("expand", sp.expand),
    ("cancel", sp.cancel),
    ("exponential normal form", _exp_normal),
    ("simplify", sp.simplify),
    ("trigsimp", lambda e: sp.trigsimp(sp.expand_trig(e))),
    ("rewrite(exp) + simplify", _rewrite_exp),
    ("expand_log + cancel", lambda e: sp.cancel(sp.expand(sp.expand_log(e)))),
    ("expand_log + simplify", lambda e: sp.simplify(sp.expand_log(e))),
    # square roots of perfect squares: sqrt(factor(...)) under the symbols' assumptions
    ("factor(deep) + expand", lambda e: sp.expand(sp.factor(e, deep=True))),
    # Gaussian integrals come back in erf and erfc = 1 - erf, which simplify leaves apart
    ("rewrite(erf) + expand", lambda e: sp.expand(e.rewrite(sp.erf)) if e.has(sp.erfc) else e),
    # determinants, traces and derivatives computed exactly, then simplified
    ("doit (determinants, traces, derivatives) + simplify", lambda e: sp.simplify(
        sp.expand(e.doit().rewrite(sp.erf))) if e.has(sp.Determinant, sp.Trace, sp.Derivative,
                                                      sp.MatrixExpr) else e),
)
_ORDER = (["polynomial identity (exact expansion)", "rational-function identity (exact cancel)"]
          + [f"symbolic ({n})" for n, _ in _CASCADE] + ["assumptions (is_zero)"])


def _zero_one(d: sp.Expr) -> tuple[str | None, str]:
    """Whether one protected difference is exactly 0: (method, note)."""
    if d == 0:
        return "structural identity", ""
    kind = _polynomial_like(d)
    if kind == "polynomial":
        if sp.expand(d) == 0:
            return "polynomial identity (exact expansion)", ""
        return None, f"{NONZERO_RATIONAL} (polynomial)"
    if kind == "rational":
        if sp.cancel(sp.together(d)) == 0:
            return "rational-function identity (exact cancel)", ""
        return None, f"{NONZERO_RATIONAL} (rational function)"
    for name, fn in _CASCADE:
        if _is_zero_exact(fn(d)):
            return f"symbolic ({name})", ""
    if d.is_zero is True:
        return "assumptions (is_zero)", ""
    if not d.has(sp.core.function.AppliedUndef) and _never_zero(d):
        return None, f"{NONZERO_EXACT} {_num.compact(d)}, which is never 0"
    return None, "sympy could not reduce the difference to 0"


def _never_zero(e: sp.Expr) -> bool:
    """``e`` is non-zero wherever it is defined: a non-zero number times factors that never
    vanish (exp of anything, non-zero symbols, their powers)."""
    if e.is_Number:
        return e != 0
    if isinstance(e, sp.Mul):
        return all(_never_zero(f) for f in e.args)
    if isinstance(e, sp.exp):
        return True
    if isinstance(e, sp.Pow) and e.exp.is_real:
        return _never_zero(e.base)
    return e.is_nonzero is True


def exact_zero(d: sp.Expr) -> str | None:
    """The exact zero test used inside certificates: the cascade, no evaluation, no numerics."""
    (safe,), _ = protect([d])
    return _zero_one(safe)[0]


def _weakest(methods: list[str]) -> str:
    known = [m for m in methods if m in _ORDER]
    other = [m for m in methods if m not in _ORDER]
    if other:
        return other[0]
    return max(known, key=_ORDER.index) if known else "structural identity"


def _symbolic_zero(diffs: Sequence[sp.Expr], budget: float = 5.0
                   ) -> tuple[str | None, str, list[sp.Expr] | None]:
    """Try to show every entry of ``diffs`` is exactly 0.

    Returns ``(checker, note, evaluated)``: ``checker`` names the weakest method any entry
    needed (None when some entry resisted); ``note`` says what was learned otherwise.  A note
    starting with :data:`NONZERO_RATIONAL` or :data:`NONZERO_EXACT` means an exact
    counterexample exists; ``evaluated`` is then the differences with their integrals, sums
    and products replaced by certified values (equal to ``diffs``, and cheap to evaluate), or
    None when nothing was evaluated.
    """
    protected, back = protect(list(diffs))
    used: list[str] = []
    pending: list[tuple[int, str]] = []
    for i, d in enumerate(protected):
        method, note = _zero_one(d)
        if method is None:
            if not back:
                return None, note, None
            pending.append((i, note))
        else:
            used.append(method)
    if not pending:
        return (_weakest(used) if used else "structural identity"), "", None
    # certified evaluation of the operators, then the exact stages once more
    values, hows = {}, []
    for call, atom in back.items():
        if not any(protected[i].has(call) for i, _ in pending):
            continue
        try:
            found = certify(atom, exact_zero, budget)
        except NotCertified as exc:
            return None, (f"sympy may evaluate the {type(atom).__name__.lower()} "
                          f"{_num._short(atom, 60)}, but that is not evidence: no certificate "
                          f"({exc})"), None
        values[call] = found.value
        hows.append(f"{type(atom).__name__}: {found.how}")
    evaluated = [exact_doit(d.xreplace(values).xreplace(back)) for d in protected]
    for i, _ in pending:
        (again,), _back = protect([evaluated[i]])
        method, note = _zero_one(again)
        if method is None:
            # keep the NONZERO_* marker first: the claim is then refuted on ``evaluated``
            return None, f"{note} (after certified evaluation: {'; '.join(hows)})", evaluated
        used.append(method)
    return f"certified evaluation + {_weakest(used)}", "; ".join(hows), None


def _certified_nonnegative(expr: sp.Expr) -> tuple[str | None, str]:
    """A name for why ``expr >= 0`` holds exactly, from the assumption system, or None."""
    (safe,), back = protect([expr])
    if safe.is_nonnegative is True:
        return "sign from assumptions", ""
    for name, fn in (("factor", sp.factor), ("simplify", sp.simplify)):
        if fn(safe).is_nonnegative is True:
            return f"sign from assumptions after {name}", ""
    if not back and (safe.is_negative is True or sp.factor(safe).is_negative is True):
        return None, f"{NONZERO_EXACT} rhs - lhs = {_num.compact(safe)} < 0"
    return None, "sympy could not decide the sign of rhs - lhs"


# ---------------------------------------------------------------------------------------------
# public checkers
# ---------------------------------------------------------------------------------------------

def _limit(timeout: float | None) -> float:
    limit = tol.DEFAULT_TIMEOUT if timeout is None else float(timeout)
    if not (0 < limit < float("inf")):
        raise ValueError(f"timeout must be a positive finite number of seconds, got {timeout}")
    return limit


def _staged(symbolic: Callable[[], tuple[str | None, str]], numeric_stage: Callable[[str], Verdict],
            timeout: float | None, use_numeric: bool, assumptions: str) -> Verdict:
    """Run the symbolic stage, then (if it did not decide) the numeric one, each limited in
    CPU time: the numeric stage gets what the symbolic one left."""
    start = time.perf_counter()
    limit = _limit(timeout)
    sym_limit = limit * _SYMBOLIC_SHARE if use_numeric else limit
    used = 0.0
    evaluated = None
    timed_out = False
    try:
        outcome = run_limited(symbolic, seconds=sym_limit)
        (checker, note, *extra), used = outcome.value, outcome.cpu_seconds
        evaluated = extra[0] if extra else None
    except CheckTimeout:
        checker, note, used = None, f"symbolic stages stopped after {sym_limit:.3g} s", sym_limit
        timed_out = True
    except ChildError as exc:
        checker, note = None, f"symbolic stages failed: {exc}"
    if checker is not None:
        return Verdict(Status.PROVED, checker, note, seconds=time.perf_counter() - start,
                       assumptions=assumptions)
    decided_false = note.startswith((NONZERO_RATIONAL, NONZERO_EXACT))
    if not use_numeric and not decided_false:
        return Verdict(Status.UNDECIDED, "symbolic", note, seconds=time.perf_counter() - start,
                       assumptions=assumptions, timed_out=timed_out)
    left = max(limit - used, 0.5)
    try:
        verdict = run_limited(numeric_stage, note, evaluated, seconds=left).value
    except CheckTimeout:
        verdict = Verdict(Status.UNDECIDED, "numeric", f"numeric stage stopped after {left:.3g} s",
                          timed_out=True)
    except ChildError as exc:
        verdict = Verdict(Status.UNDECIDED, "numeric", f"numeric stage failed: {exc}")
    if not use_numeric and verdict.status is Status.CHECKED:  # never: numeric was not asked for
        verdict = Verdict(Status.UNDECIDED, "symbolic", note)
    detail = f"{note}; {verdict.detail}" if note else verdict.detail
    return Verdict(verdict.status, verdict.checker, detail, seconds=time.perf_counter() - start,
                   points=verdict.points, digits=verdict.digits, witness=verdict.witness,
                   witness_value=verdict.witness_value, assumptions=assumptions,
                   timed_out=timed_out or verdict.timed_out)


def equal(lhs: Any, rhs: Any, *, domain: Domain | None = None, timeout: float | None = None,
          numeric: bool = True, points: int = tol.NUMERIC_POINTS,
          digits: int = tol.NUMERIC_DIGITS, seed: int = 0) -> Verdict:
    """Check the claim ``lhs = rhs`` (sympy scalars or matrices of the same shape).

    Symbol assumptions (``positive=True``, ``real=True``, ``integer=True`` ...) are honoured by
    every stage; ``domain`` further restricts numeric sampling to open intervals.  Returns
    PROVED on exact evidence, CHECKED on numeric agreement, REFUTED with a re-checked witness,
    UNDECIDED otherwise (see the module docstring for the stages).  ``numeric=False`` never
    samples: the claim is PROVED, REFUTED by an exact witness, or UNDECIDED.
    """
    if _shape(lhs) != _shape(rhs):
        raise ValueError(f"shapes differ: {_shape(lhs)} vs {_shape(rhs)}")
    left, right = _as_list(lhs), _as_list(rhs)
    diffs = [a - b for a, b in zip(left, right)]
    syms = _free_symbols(left + right)
    budget = _limit(timeout) * _SYMBOLIC_SHARE / 4

    def fallback(note: str, evaluated: list[sp.Expr] | None) -> Verdict:
        if note.startswith((NONZERO_RATIONAL, NONZERO_EXACT)):  # never sample a false claim
            return _num.exact_witness(evaluated or diffs, syms, domain, seed)
        return _num.sample_claim("eq", left, right, syms, domain, points, digits, seed)

    return _staged(lambda: _symbolic_zero(diffs, budget), fallback, timeout, numeric,
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
    budget = _limit(timeout) * _SYMBOLIC_SHARE / 4

    def symbolic() -> tuple[str | None, str]:
        if certificate is not None:
            bad = [t for t in certificate if t.is_nonnegative is not True]
            if bad:
                return None, f"certificate term not manifestly non-negative: {bad[0]}"
            method, note, _ = _symbolic_zero([gap - sp.Add(*certificate)], budget)
            if method is None:
                return None, f"certificate does not match rhs - lhs ({note})"
            return (f"certificate: rhs - lhs = sum of {len(certificate)} non-negative terms "
                    f"({method})"), ""
        return _certified_nonnegative(gap)

    def fallback(note: str, evaluated: list[sp.Expr] | None) -> Verdict:
        if note.startswith(NONZERO_EXACT):
            return _num.exact_witness([lhs - rhs], syms, domain, seed, kind="le")
        found = _num.sample_claim("le", [lhs], [rhs], syms, domain, points, digits, seed)
        if certificate is None or found.status is Status.REFUTED:
            return found
        # the claim may be true, but the proof offered for it did not check: say so
        return Verdict(Status.UNDECIDED, "certificate", f"numerics found no counterexample in "
                       f"{found.points or 0} points, but that is not the proof given")

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
    if relation in (">=", ">"):
        lhs, rhs = rhs, lhs
    # a strict claim a < b is refuted by a > b (a witness of a = b is not searched for)
    kind = "eq" if relation == "=" else "le"
    left, right = _as_list(lhs), _as_list(rhs)
    syms = _free_symbols(left + right)
    limit = _limit(timeout)
    try:
        found = run_limited(_num.sample_claim, kind, left, right, syms, domain, points,
                            digits, seed, seconds=limit).value
    except CheckTimeout:
        return Verdict(Status.UNDECIDED, "counterexample search", f"stopped after {limit:.3g} s",
                       timed_out=True)
    except ChildError as exc:
        return Verdict(Status.UNDECIDED, "counterexample search", f"failed: {exc}")
    if found.status is Status.REFUTED:
        return found
    return Verdict(Status.UNDECIDED, "counterexample search",
                   f"none found ({found.detail})", points=found.points, digits=found.digits)
