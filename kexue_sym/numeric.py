"""Numeric evidence: where a claim is sampled, how it is evaluated, and when a gap is real.

What a CHECKED verdict rests on, and what it cannot see (README, "What a verdict guarantees"):

* **Where.**  Random exact rational points inside each symbol's assumptions (or its declared
  ``domain``), spread over scales: small rationals in (0, 100), magnitudes log-uniform in
  [1e-30, 1e30], both signs where allowed; integers in [-20, 20] and log-uniform up to 1e6;
  complex symbols with real and imaginary parts drawn the same way.
* **Thin sets.**  A claim may be false only on a set of measure zero: the breakpoints of
  ``Abs``, ``sign``, ``Heaviside``, ``floor``, ``Max``/``Min``, ``Piecewise`` conditions
  (isolated points such as ``Eq(a, 1)`` included), the branch cuts of ``sqrt``/``log``/powers
  (on the negative real axis), ``asin``, ``atan`` ...  Those sets are found from the claim
  (:func:`critical_conditions`) and points *on* them are constructed exactly (solving for one
  symbol) and evaluated exactly.  Away from them every function in the claim is analytic, so
  two sides that agree on an open set agree on its whole component.  A function whose
  non-smooth set is not known makes the claim UNDECIDED rather than CHECKED.
* **Precision.**  Each point is evaluated at ``d`` and at ``2d`` digits.  Rounding noise shrinks
  as the precision grows, a real difference does not: a point agrees when the gap at ``2d``
  digits is at the noise floor of ``2d`` digits, or when it shrank by the precision gained;
  anything else is re-checked at higher precision by an independent path (sympy ``evalf`` with
  ``strict=True``, which raises rather than return digits it does not have) before it can
  refute.  Constant claims are evaluated at 100 and 200 digits.
* **Integrals and sums** inside a claim are computed by mpmath quadrature (tanh-sinh) split at
  every breakpoint of the integrand (its poles, jumps, kinks); the re-check uses Gauss-Legendre
  at higher precision.  A breakpoint set that cannot be enumerated leaves the claim UNDECIDED.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from . import tolerances as tol
from .verdict import Status, Verdict

Domain = Mapping[sp.Symbol, tuple[Any, Any]]

#: Unevaluated operators whose value the numerics compute themselves (quadrature, summation).
OPAQUE = (sp.Integral, sp.Sum, sp.Product, sp.Limit)
#: Largest numerator/denominator of a point that is substituted exactly into sympy (a bigger
#: integer as an exponent or a factorial argument would be computed exactly, digit by digit).
EXACT_HEIGHT = 10**6
#: Terms summed directly by the numeric path of a finite Sum/Product.
MAX_TERMS = 10_000
#: Digits of numeric evaluation for claims without free symbols (and twice this to confirm).
CONSTANT_DIGITS = 100
#: Digits for claims with integrals or sums (quadrature at 50 digits is slow; 30 and 60 show
#: the same shrinking of rounding noise).
QUADRATURE_DIGITS = 30
#: Digits of the Gauss-Legendre re-check of a gap that tanh-sinh quadrature found.
GAUSS_LEGENDRE_DIGITS = 40


class NotEnumerable(Exception):
    """The claim has a non-smooth part whose exceptional set cannot be enumerated."""


# ---------------------------------------------------------------------------------------------
# sampling
# ---------------------------------------------------------------------------------------------

def _small_magnitude(rng: random.Random) -> sp.Rational:
    """A positive rational in (0, 1), (1, 4) or (4, 100) with a small denominator."""
    lo, hi = rng.choice([(0, 1), (1, 4), (4, 100)])
    den = rng.choice([1, 2, 3, 4, 7, 16, 97, 1024])
    num = rng.randint(max(1, lo * den + 1), hi * den - 1) if hi * den - 1 > lo * den else hi * den
    return sp.Rational(num, den)


def _wide_magnitude(rng: random.Random) -> sp.Rational:
    """A positive rational of magnitude log-uniform in [1e-30, 1e30] (four significant digits,
    never an integer above 1e6: see :data:`EXACT_HEIGHT`)."""
    e = rng.randint(-30, 30)
    mantissa = sp.Rational(rng.randint(1000, 9999), 1000)
    value = mantissa * sp.Integer(10) ** e
    if value.is_Integer:
        value += sp.Rational(1, 7)
    return value


def _magnitude(rng: random.Random) -> sp.Rational:
    u = rng.random()
    if u < 0.45:
        return _small_magnitude(rng)
    if u < 0.9:
        return _wide_magnitude(rng)
    return rng.choice([sp.Integer(1), sp.Integer(2), sp.Rational(1, 2), sp.Integer(3),
                       sp.Integer(10)])


def _integer(rng: random.Random, lo: int | None, hi: int | None) -> sp.Integer:
    """An integer in [lo, hi] (None: unbounded): half of them in [-20, 20], the rest of
    magnitude log-uniform up to 1e6."""
    if rng.random() < 0.5:
        a, b = -20 if lo is None else max(lo, -20), 20 if hi is None else min(hi, 20)
        if a > b:
            a, b = (lo, lo + 20) if lo is not None else (hi - 20, hi)
        return sp.Integer(rng.randint(a, b))
    m = int(10 ** rng.uniform(1.3, 6))
    sign = rng.choice([-1, 1])
    if lo is not None and lo >= 0:
        sign = 1
    if hi is not None and hi <= 0:
        sign = -1
    v = sign * m
    v = v if lo is None else max(v, lo)
    v = v if hi is None else min(v, hi)
    return sp.Integer(v)


def _in_interval(rng: random.Random, lo: sp.Rational, hi: sp.Rational) -> sp.Rational:
    """Inside (lo, hi): uniform, or near an end (distance log-uniform down to 1e-12 of the
    width)."""
    width = hi - lo
    if rng.random() < 0.75:
        return lo + width * sp.Rational(rng.randint(1, 4095), 4096)
    t = sp.Rational(rng.randint(1, 9), 10) * sp.Integer(10) ** -rng.randint(1, 12)
    return lo + width * t if rng.random() < 0.5 else hi - width * t


def _rational(v: Any) -> sp.Rational:
    """A domain bound as an exact rational (numbers and sympy objects only: text would be run
    as Python by sympify)."""
    if isinstance(v, str):
        raise TypeError(f"domain bounds must be numbers or sympy objects, got text {v!r}")
    v = sp.sympify(v, strict=True)
    return v if isinstance(v, sp.Rational) else sp.Rational(sp.nsimplify(v))


def sample_value(sym: sp.Symbol, rng: random.Random, domain: Domain | None,
                 small: bool = False) -> sp.Expr:
    """One exact value for ``sym`` consistent with its assumptions (and ``domain``).
    ``small`` keeps it to the typical scale (for the co-ordinates of thin-set points)."""
    if domain and sym in domain:
        lo, hi = (_rational(v) for v in domain[sym])
        return _in_interval(rng, lo, hi)
    a = sym.assumptions0
    mag = _small_magnitude if small else _magnitude
    if a.get("integer"):
        lo = 1 if a.get("positive") else 0 if a.get("nonnegative") else None
        hi = -1 if a.get("negative") else 0 if a.get("nonpositive") else None
        if small:
            lo_, hi_ = (-20 if lo is None else lo), (20 if hi is None else hi)
            return sp.Integer(rng.randint(min(lo_, hi_), max(lo_, hi_)))
        return _integer(rng, lo, hi)
    if a.get("real") or a.get("extended_real"):
        m = mag(rng)
        if a.get("positive"):
            return m
        if a.get("negative"):
            return -m
        if a.get("nonnegative"):
            return m if rng.random() > 0.05 else sp.Integer(0)
        if a.get("nonpositive"):
            return -m if rng.random() > 0.05 else sp.Integer(0)
        if rng.random() < 0.03:
            return sp.Integer(0)
        return m if rng.random() < 0.5 else -m
    re_part = mag(rng) * rng.choice([-1, 1])
    im_part = mag(rng) * rng.choice([-1, 1])
    return re_part + sp.I * im_part


def consistent(sym: sp.Symbol, value: sp.Expr, domain: Domain | None = None) -> bool:
    """The value does not contradict any assumption on ``sym`` (nor its domain)."""
    for key, wanted in sym.assumptions0.items():
        if wanted is True and getattr(value, f"is_{key}", None) is False:
            return False
        if wanted is False and getattr(value, f"is_{key}", None) is True:
            return False
    if domain and sym in domain:
        lo, hi = (_rational(v) for v in domain[sym])
        if not (value.is_real and lo < value < hi):
            return False
    return True


def sample_point(syms: Sequence[sp.Symbol], rng: random.Random, domain: Domain | None,
                 small: bool = False) -> dict:
    point = {}
    for s in syms:
        for _ in range(200):
            v = sample_value(s, rng, domain, small)
            if consistent(s, v):
                break
        else:
            raise ValueError(f"cannot draw a value for {s} consistent with its assumptions")
        point[s] = v
    return point


def describe_sampling(syms: Sequence[sp.Symbol], domain: Domain | None) -> str:
    """What the random points were drawn from, in words (for the evidence)."""
    kinds = set()
    for s in syms:
        if domain and s in domain:
            kinds.add("domain")
        elif s.assumptions0.get("integer"):
            kinds.add("integer")
        elif s.assumptions0.get("real") or s.assumptions0.get("extended_real"):
            kinds.add("real")
        else:
            kinds.add("complex")
    parts = []
    if "real" in kinds or "complex" in kinds:
        parts.append("magnitudes in (0, 100) and log-uniform in [1e-30, 1e30]"
                     + (", both signs" if any(not s.assumptions0.get("positive")
                                              and not s.assumptions0.get("negative")
                                              for s in syms) else "")
                     + ("; complex: real and imaginary parts so" if "complex" in kinds else ""))
    if "integer" in kinds:
        parts.append("integers in [-20, 20] and log-uniform up to 1e6")
    if "domain" in kinds:
        parts.append("uniform in the declared intervals and near their ends")
    return "; ".join(parts)


def is_small(point: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """Whether exact substitution of the point into sympy is safe (bounded heights)."""
    for v in point.values():
        for part in v.as_real_imag():
            if not part.is_Rational:
                return False
            if abs(part.p) > EXACT_HEIGHT or part.q > EXACT_HEIGHT:
                return False
    return True


# ---------------------------------------------------------------------------------------------
# thin sets
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Condition:
    """``u`` lies on a set where the claim may switch branches: ``kind`` is "zero" (u = 0),
    "integer" (u in Z), "cut" (u on (-oo, 0]), "cut_pm1" (u real, |u| >= 1) or "cut_imag"
    (u imaginary, |u| >= 1)."""

    u: sp.Expr
    kind: str
    why: str

    def label(self) -> str:
        text = {"zero": f"{_short(self.u)} = 0", "integer": f"{_short(self.u)} in Z",
                "cut": f"{_short(self.u)} <= 0", "cut_pm1": f"|{_short(self.u)}| >= 1 (real)",
                "cut_imag": f"{_short(self.u)} in i(-oo, -1] U i[1, oo)"}[self.kind]
        return f"{text} ({self.why})"


def _short(e: Any, limit: int = 40) -> str:
    text = sp.sstr(e)
    return text if len(text) <= limit else text[:limit - 3] + "..."


#: Analytic (or meromorphic) in their arguments: no exceptional set beyond their poles, where
#: both sides of a claim are undefined anyway.
_ANALYTIC = (sp.exp, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh,
             sp.tanh, sp.coth, sp.sech, sp.csch, sp.erf, sp.erfc, sp.erfi, sp.gamma,
             sp.factorial, sp.factorial2, sp.binomial, sp.RisingFactorial, sp.FallingFactorial,
             sp.digamma, sp.polygamma, sp.zeta, sp.fresnels, sp.fresnelc, sp.Si, sp.Shi,
             sp.sinc, sp.beta, sp.harmonic, sp.re, sp.im, sp.conjugate, sp.Determinant,
             sp.Trace, sp.elliptic_k, sp.elliptic_e, sp.besselj, sp.besseli)
_ZERO_SET = (sp.Abs, sp.sign, sp.Heaviside)
_INTEGER_SET = (sp.floor, sp.ceiling, sp.frac)
_CUT = (sp.log, sp.loggamma, sp.arg, sp.LambertW, sp.Ci, sp.Chi, sp.li, sp.Ei)
_CUT_PM1 = (sp.asin, sp.acos, sp.atanh, sp.acoth, sp.asec, sp.acsc)
_CUT_IMAG = (sp.atan, sp.acot, sp.asinh)


def _relations(cond: sp.Basic) -> list[sp.Basic]:
    """The relations a Piecewise condition is built from (through And/Or/Not); anything else
    (a boolean symbol, a set membership) cannot be enumerated."""
    if cond in (sp.true, sp.false):
        return []
    if isinstance(cond, sp.core.relational.Relational):
        return [cond]
    if isinstance(cond, (sp.And, sp.Or, sp.Not, sp.Xor, sp.Implies, sp.Equivalent)):
        return [r for arg in cond.args for r in _relations(arg)]
    raise NotEnumerable(f"Piecewise condition {_short(cond)}")


def _conditions_of(node: sp.Basic) -> list[Condition] | None:
    """The exceptional sets contributed by one node (None when the node is harmless)."""
    real = lambda u: u.is_extended_real is True  # noqa: E731
    name = type(node).__name__
    if isinstance(node, _ZERO_SET):
        u = node.args[0]
        while isinstance(u, (sp.Abs, sp.sign)):  # |sign(a)| switches where a does
            u = u.args[0]
        return [Condition(u, "zero", name)]
    if isinstance(node, (sp.Max, sp.Min)):
        return [Condition(a - b, "zero", name) for a, b in itertools.combinations(node.args, 2)]
    if isinstance(node, _INTEGER_SET):
        return [Condition(node.args[0], "integer", name)]
    if isinstance(node, sp.Mod):
        return [Condition(node.args[0] / node.args[1], "integer", "Mod")]
    if isinstance(node, sp.KroneckerDelta):
        return [Condition(node.args[0] - node.args[1], "zero", name)]
    if isinstance(node, sp.Piecewise):
        out = []
        for _, cond in node.args:
            out += [Condition(r.lhs - r.rhs, "zero", "Piecewise condition")
                    for r in _relations(cond)]
        return out
    if isinstance(node, sp.Pow):
        b, e = node.args
        if e.is_Integer or not b.free_symbols:
            return None
        return [Condition(b, "zero" if real(b) else "cut", "branch point of a power"
                          if real(b) else "branch cut of a power")]
    if isinstance(node, _CUT):
        u = node.args[-1]
        return [Condition(u, "zero" if real(u) else "cut", f"branch point of {name}"
                          if real(u) else f"branch cut of {name}")]
    if isinstance(node, _CUT_PM1):
        u = node.args[0]
        if real(u):
            return [Condition(u - 1, "zero", f"branch point of {name}"),
                    Condition(u + 1, "zero", f"branch point of {name}")]
        return [Condition(u, "cut_pm1", f"branch cut of {name}")]
    if isinstance(node, _CUT_IMAG):
        u = node.args[0]
        if real(u):
            return [Condition(u, "zero", name)] if isinstance(node, sp.acot) else None
        return [Condition(u, "cut_imag", f"branch cut of {name}")]
    if isinstance(node, sp.acosh):
        u = node.args[0]
        return [Condition(u - 1, "zero" if real(u) else "cut", "branch of acosh"),
                Condition(u + 1, "zero", "branch point of acosh")]
    if isinstance(node, (sp.DiracDelta,)):
        raise NotEnumerable("DiracDelta (a distribution, not a function)")
    if isinstance(node, sp.Function) and not isinstance(node, AppliedUndef) \
            and not isinstance(node, _ANALYTIC) and node.free_symbols:
        raise NotEnumerable(f"{name} (its non-smooth set is not known)")
    return None


def critical_conditions(exprs: Iterable[sp.Expr]) -> list[Condition]:
    """Every exceptional set of the claim (see :class:`Condition`), deduplicated.

    Raises :class:`NotEnumerable` for a part whose exceptional set is unknown.  Integrals and
    sums contribute the sets of their summand/integrand in the free parameters (a condition on
    an integration variable alone is the quadrature's business, see :func:`breakpoints`).
    """
    seen: dict[tuple, Condition] = {}
    for e in exprs:
        for node in sp.preorder_traversal(e):
            if isinstance(node, OPAQUE):
                bound = {lim[0] for lim in node.limits}
                for c in critical_conditions([node.function]):
                    if c.u.free_symbols & bound:
                        if c.u.free_symbols - bound:
                            raise NotEnumerable(f"{type(node).__name__} whose integrand switches "
                                                f"branches along {c.label()}")
                        continue
                    seen.setdefault((c.u, c.kind), c)
                continue
            found = _conditions_of(node)
            for c in found or ():
                if c.u.free_symbols:
                    seen.setdefault((c.u, c.kind), c)
    return list(seen.values())


def _targets(c: Condition, rng: random.Random, u_value: sp.Expr | None) -> list[sp.Expr]:
    t = _small_magnitude(rng)
    if c.kind == "zero":
        return [sp.Integer(0)]
    if c.kind == "integer":
        near = sp.floor(sp.re(u_value)) if u_value is not None and u_value.is_number else 1
        return list(dict.fromkeys([sp.Integer(0), sp.Integer(near), sp.Integer(near) + 1,
                                   sp.Integer(-1)]))
    if c.kind == "cut":
        return [sp.Integer(0), -t, -_wide_magnitude(rng)]
    if c.kind == "cut_pm1":
        return [sp.Integer(1), sp.Integer(-1), 1 + t, -1 - t]
    return [sp.I, -sp.I, sp.I * (1 + t), -sp.I * (1 + t)]


def _solve_for(u: sp.Expr, s: sp.Symbol, target: sp.Expr) -> list[sp.Expr]:
    """Exact solutions s of u(s) = target (u has no other free symbol); [] if none found."""
    eq = sp.together(u - target)
    num = sp.numer(eq)
    if not num.has(s):
        return []
    try:
        if num.is_polynomial(s):
            poly = sp.Poly(num, s)
            if poly.degree() == 1:
                return [-poly.nth(0) / poly.nth(1)]
            if poly.degree() <= 4 and poly.free_symbols <= {s}:
                return [r for r in sp.roots(poly, multiple=True) if r.is_number]
            return []
        sols = sp.solve(sp.Eq(u, target), s, dict=False)
    except (NotImplementedError, sp.PolynomialError, ValueError, TypeError):
        return []
    return [r for r in sols if getattr(r, "is_number", False)]


def beside(point: dict, s: sp.Symbol, domain: Domain | None) -> list[dict]:
    """Points just either side of a breakpoint placed at ``point[s]``: ``s`` moved by 1/128 of
    its size (or by 1/128 at 0; by 1 for an integer).  A claim that switches branches at a
    breakpoint is sampled in
    each region that meets it, wherever the breakpoint lies (``Min(p, 10**-25) = 10**-25`` is
    false only below 1e-25, a region that random samples rarely reach)."""
    r = point[s]
    if not r.is_real:
        return []
    step = 1 if s.is_integer else abs(r) / 128 if r != 0 else sp.Rational(1, 128)
    out = []
    for v in (r - step, r + step):
        v = v if v.is_Rational else _six_digits(v)  # sampled numerically: no need for sqrt(2)
        if consistent(s, v, domain):
            out.append({**point, s: v})
    return out


def _six_digits(v: sp.Expr) -> sp.Rational:
    """A real number rounded to a rational of six significant digits."""
    x = sp.N(v, 20)
    if x == 0:
        return sp.Integer(0)
    e = int(sp.floor(sp.log(abs(x), 10))) - 5
    return sp.Rational(int(sp.Integer(sp.floor(x / sp.Integer(10) ** e + sp.Rational(1, 2))))) \
        * sp.Integer(10) ** e


def thin_points(conditions: Sequence[Condition], syms: Sequence[sp.Symbol],
                domain: Domain | None, rng: random.Random, per_condition: int = 2,
                limit: int = 24, near: list[dict] | None = None
                ) -> tuple[list[tuple[dict, str]], list[str]]:
    """Exact points on the exceptional sets: for each condition, the other symbols at small
    random values and one symbol solved for exactly; then points on all conditions at once
    (greedily, one symbol per condition).  Points just beside each breakpoint of a real
    "zero" condition (see :func:`beside`) are appended to ``near`` when it is given.

    Returns ``(points, unsolved)``: ``unsolved`` names the conditions for which no equation
    could be solved at all (an empty intersection with the domain, where solutions exist but
    contradict the assumptions, is not unsolved: the claim is never evaluated there).
    """
    out: list[tuple[dict, str]] = []

    def attempt(conds: Sequence[Condition], label: str) -> str:
        """'placed', 'outside' (solutions, none in the domain) or 'unsolved'."""
        point = sample_point(syms, rng, domain, small=True)
        used: set[sp.Symbol] = set()
        status = "placed"
        for c in conds:
            free = [s for s in syms if s in c.u.free_symbols and s not in used]
            rng.shuffle(free)
            placed = solved = False
            for s in free:
                others = {k: v for k, v in point.items() if k != s}
                u = c.u.xreplace(others)
                for target in _targets(c, rng, c.u.xreplace(point)):
                    roots = _solve_for(u, s, target)
                    solved = solved or bool(roots)
                    root = next((r for r in roots if consistent(s, r, domain)), None)
                    if root is not None:
                        point[s], placed = root, True
                        used.add(s)
                        if near is not None and c.kind == "zero" and len(conds) == 1:
                            near.extend(beside(point, s, domain))
                        break
                if placed:
                    break
            if not placed:
                return "outside" if solved else "unsolved"
        out.append((point, label))
        return status

    unsolved = []
    for c in conditions:
        results = []
        for _ in range(per_condition * 3):
            if sum(1 for _, lab in out if lab == c.label()) >= per_condition or len(out) >= limit:
                break
            results.append(attempt([c], c.label()))
        if results and all(r == "unsolved" for r in results):
            unsolved.append(c.label())
    if len(conditions) > 1 and len(out) < limit:
        for _ in range(4):
            attempt(conditions, "all exceptional sets at once")
    return out, unsolved


# ---------------------------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------------------------

def to_mp(v: sp.Expr):
    """An exact sympy number (rational, or a complex with rational parts) as mpmath."""
    re_part, im_part = v.as_real_imag()
    if not (re_part.is_Rational and im_part.is_Rational):  # an algebraic point, say
        return mpmath.mpmathify(sp.N(v, mpmath.mp.dps + 10))
    re_mp = mpmath.mpf(re_part.p) / re_part.q
    if im_part == 0:
        return re_mp
    return mpmath.mpc(re_mp, mpmath.mpf(im_part.p) / im_part.q)


def finite(z) -> bool:
    try:
        return bool(mpmath.isfinite(z))
    except TypeError:
        return False


class Inconclusive(Exception):
    """This point cannot be evaluated reliably (a quadrature that does not converge, ...)."""


def breakpoints(f: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> list[sp.Expr]:
    """The points of (a, b) where the integrand ``f`` (no other free symbol) may be
    non-smooth: zeros of denominators and of the arguments of Abs/sign/floor/..., poles of
    tan/cot/sec/csc, branch points.  Raises :class:`NotEnumerable` when that set is not a
    finite set sympy can list."""
    us: list[sp.Expr] = []
    for node in sp.preorder_traversal(f):
        if isinstance(node, sp.Pow) and node.exp.is_negative:
            us.append(node.base)
        elif isinstance(node, (sp.tan, sp.sec)):
            us.append(sp.cos(node.args[0]))
        elif isinstance(node, (sp.cot, sp.csc)):
            us.append(sp.sin(node.args[0]))
        elif isinstance(node, sp.Function):
            for c in _conditions_of(node) or ():
                if c.kind == "integer":
                    raise NotEnumerable(f"the jumps of {type(node).__name__} in an integrand")
                us.append(c.u if c.kind != "cut_pm1" else (c.u - 1) * (c.u + 1))
    lo, hi = (a, b) if (b - a).is_nonnegative else (b, a)
    found: set[sp.Expr] = set()
    for u in us:
        if not u.has(x):
            continue
        try:
            sols = sp.solveset(u, x, sp.Interval(lo, hi))
        except Exception:  # noqa: BLE001 - solveset's many failure modes
            raise NotEnumerable(f"the zeros of {_short(u)} on [{lo}, {hi}]") from None
        if sols is sp.S.EmptySet:
            continue
        if not isinstance(sols, sp.FiniteSet):
            raise NotEnumerable(f"the zeros of {_short(u)} on [{lo}, {hi}]")
        found |= {s for s in sols if s.is_real}
    return sorted((p for p in found if p != lo and p != hi), key=lambda p: float(p))


def _quad(atom: sp.Integral, point: dict, digits: int, method: str):
    """A definite integral at an exact point of its parameters, by mpmath quadrature split at
    its breakpoints (1-D), or iterated over constant limits (n-D, smooth integrands only)."""
    if not is_small(point):
        raise Inconclusive("integral at a point too large for exact breakpoints")
    I = atom.xreplace(point)
    if any(len(lim) != 3 for lim in I.limits):
        raise Inconclusive("indefinite integral")
    variables = [lim[0] for lim in I.limits]
    if I.free_symbols:
        raise Inconclusive(f"free symbols left in {I}")
    f = I.function
    if len(variables) == 1:
        x, a, b = I.limits[0]
        try:
            pts = [a, *breakpoints(f, x, a, b), b]
        except NotEnumerable as exc:
            raise Inconclusive(f"breakpoints of the integrand: {exc}") from None
        if (a - b).is_positive:
            pts = [a, *reversed(pts[1:-1]), b]
        g = sp.lambdify(x, f, modules="mpmath")
        with mpmath.workdps(digits):
            nodes = [to_mp(p) if p.is_Rational else mpmath.mpmathify(sp.N(p, digits + 10))
                     if p.is_finite else (mpmath.inf if p == sp.oo else -mpmath.inf) for p in pts]
            value, err = mpmath.quad(g, nodes, method=method, error=True, maxdegree=10)
            if not finite(value) or err > mpmath.mpf(10) ** -(digits - tol.GUARD_DIGITS) * max(
                    1, abs(value)):
                raise Inconclusive(f"quadrature did not converge (error {mpmath.nstr(err, 3)})")
            return value
    for node in sp.preorder_traversal(f):
        if isinstance(node, sp.Function) and _conditions_of(node):
            raise Inconclusive("a multiple integral of a non-smooth integrand")
    if any(lim[1].free_symbols or lim[2].free_symbols for lim in I.limits):
        raise Inconclusive("a multiple integral with variable limits")
    g = sp.lambdify(variables, f, modules="mpmath")
    with mpmath.workdps(digits):
        ranges = [[to_mp(lim[1]) if lim[1].is_Rational else mpmath.mpmathify(sp.N(lim[1], digits))
                   if lim[1].is_finite else (mpmath.inf if lim[1] == sp.oo else -mpmath.inf),
                   to_mp(lim[2]) if lim[2].is_Rational else mpmath.mpmathify(sp.N(lim[2], digits))
                   if lim[2].is_finite else (mpmath.inf if lim[2] == sp.oo else -mpmath.inf)]
                  for lim in I.limits]
        value, err = mpmath.quad(g, *ranges, method=method, error=True, maxdegree=6)
        if not finite(value) or err > mpmath.mpf(10) ** -(digits - tol.GUARD_DIGITS) * max(
                1, abs(value)):
            raise Inconclusive("multiple quadrature did not converge")
        return value


def _sum(atom: sp.Expr, point: dict, digits: int):
    """A Sum or Product at a point: directly when it has at most MAX_TERMS terms, else by
    mpmath's nsum/nprod (extrapolation) for an infinite range."""
    if isinstance(atom, sp.Limit):
        raise Inconclusive("limits are not evaluated numerically")
    if len(atom.limits) != 1:
        raise Inconclusive("multiple sums")
    k, a, b = atom.limits[0]
    a, b = a.xreplace(point), b.xreplace(point)
    params = sorted(atom.function.free_symbols - {k}, key=str)
    g = sp.lambdify([k, *params], atom.function, modules="mpmath")
    with mpmath.workdps(digits):
        args = [to_mp(point[p]) for p in params]
        product = isinstance(atom, sp.Product)
        if a.is_Integer and b.is_Integer:
            if b - a + 1 > MAX_TERMS:
                raise Inconclusive(f"a finite {'product' if product else 'sum'} of "
                                   f"{b - a + 1} terms")
            terms = [g(mpmath.mpf(int(i)), *args) for i in range(int(a), int(b) + 1)]
            if product:
                out = mpmath.mpf(1)
                for t in terms:
                    out *= t
                return out
            return mpmath.fsum(terms)
        if a.is_Integer and b == sp.oo:
            fn = mpmath.nprod if product else mpmath.nsum
            return fn(lambda i: g(i, *args), [int(a), mpmath.inf])
        raise Inconclusive(f"{type(atom).__name__} with bounds {a}, {b}")


@dataclass
class Sides:
    """Left and right sides as lists of scalars, evaluated together at exact points.

    Integrals, sums and products are placeholders computed by :func:`_quad` / :func:`_sum`.
    """

    lhs: list[sp.Expr]
    rhs: list[sp.Expr]
    syms: list[sp.Symbol]
    atoms: list[sp.Expr] = field(default_factory=list)

    def __post_init__(self) -> None:
        found = set()
        for e in self.lhs + self.rhs:
            found |= {a for a in sp.preorder_traversal(e) if isinstance(a, OPAQUE)}
        # outermost first, so a placeholder never sits inside another atom
        self.atoms = [a for a in found if not any(a != b and b.has(a) for b in found)]
        self.holders = [sp.Dummy(f"atom{i}") for i in range(len(self.atoms))]
        swap = dict(zip(self.atoms, self.holders))
        lhs = [e.xreplace(swap) for e in self.lhs]
        rhs = [e.xreplace(swap) for e in self.rhs]
        self._f = sp.lambdify(self.syms + self.holders, [lhs, rhs], modules="mpmath")

    def at(self, point: dict, digits: int, method: str = "tanh-sinh") -> tuple[list, list]:
        with mpmath.workdps(digits):
            args = [to_mp(point[s]) for s in self.syms]
            for atom in self.atoms:
                if isinstance(atom, sp.Integral):
                    args.append(_quad(atom, point, digits, method))
                else:
                    args.append(_sum(atom, point, digits))
            left, right = self._f(*args)
            return [+z for z in left], [+z for z in right]


def recheck(diff: sp.Expr, point: dict, digits: int):
    """The claim's gap at a point, by sympy instead of the mpmath lambdify that found it.

    Returns ``(value, exact)``: an exact sympy number when substitution gives one, otherwise
    sympy's ``evalf`` at ``digits`` with ``strict=True`` (which raises rather than return a
    digit it is not sure of); None when neither can evaluate there.  A point with large
    entries is substituted as ``digits + 20``-digit floats, not exactly (``2**n`` at
    ``n = 10**30`` would be computed digit by digit).
    """
    if is_small(point):
        value = diff.xreplace(point)
    else:
        value = diff.xreplace({k: sp.Float(v, digits + 20) if v.is_real else
                               sp.Float(sp.re(v), digits + 20) + sp.I * sp.Float(sp.im(v), digits + 20)
                               for k, v in point.items()})
    if value.is_Rational or (value.is_number and all(p.is_Rational for p in value.as_real_imag())
                             and not value.has(sp.Float)):
        return value, True
    if value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
        return None, False
    try:
        approx = value.evalf(digits, maxn=4 * digits, strict=True)
    except Exception:  # noqa: BLE001 - PrecisionExhausted and friends: no recheck
        return None, False
    if not approx.is_number or approx.has(sp.zoo, sp.oo, sp.nan):
        return None, False
    return approx, False


def compact(value: Any, digits: int = 12) -> str:
    """A number for a report: exact when short, else ``~1.234e+5678 (exact, N digits)``."""
    if isinstance(value, sp.Rational):
        size = len(str(abs(value.p))) if abs(value.p) < 10**4000 else value.p.bit_length() * 0.30103
        size += len(str(value.q)) if value.q < 10**4000 else value.q.bit_length() * 0.30103
        if size <= 60:
            return str(value)
        with mpmath.workdps(20):
            approx = mpmath.mpf(value.p) / value.q
            return f"~{mpmath.nstr(approx, 8)} (exact rational, {int(size)} digits)"
    if isinstance(value, sp.Basic):
        try:
            return sp.sstr(value.evalf(digits)) if not value.is_Rational else str(value)
        except (ValueError, TypeError):
            return "(too large to print)"
    try:
        return mpmath.nstr(value, digits)
    except (ValueError, TypeError):
        return str(value)


def witness_dict(point: dict) -> dict[str, str]:
    return {str(k): compact(v, 20) for k, v in point.items()}


# ---------------------------------------------------------------------------------------------
# the numeric check
# ---------------------------------------------------------------------------------------------

def _gap(kind: str, a, b):
    """The quantity that must vanish (eq: |a - b|) or stay <= 0 (le: re a - re b), and the
    scale it is measured against."""
    scale = max(abs(a), abs(b))
    if kind == "eq":
        return abs(a - b), scale
    return mpmath.re(a) - mpmath.re(b), max(scale, mpmath.mpf(1))


def _floor(digits: int):
    """Relative size below which a gap at ``digits`` digits is rounding noise."""
    return mpmath.mpf(10) ** -(digits - tol.GUARD_DIGITS)


def _exact_at(kind: str, diff: sp.Expr, point: dict, digits: int) -> tuple[str, Any]:
    """The gap ``lhs - rhs`` at an exact point (a thin-set point), exactly where sympy can:
    ('agree' | 'refute' | 'undefined' | 'inconclusive' | 'complex', value)."""
    value = diff.xreplace(point)
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return "undefined", None
    if value == 0:
        return "agree", value
    if value.is_Rational:
        return ("refute" if kind == "eq" or value > 0 else "agree"), value
    try:
        approx = value.evalf(digits, maxn=4 * digits, strict=True)
    except Exception:  # noqa: BLE001 - sympy cannot tell it from 0 at this precision
        return "agree", sp.Integer(0)
    if not approx.is_number or approx.has(sp.nan, sp.zoo, sp.oo):
        return "inconclusive", None
    if kind == "eq":
        return ("refute" if approx != 0 else "agree"), approx
    re_v, im_v = approx.as_real_imag()
    if im_v != 0:
        return "complex", approx
    return ("refute" if re_v > 0 else "agree"), approx


def _confirm(kind: str, diff: sp.Expr, sides: Sides, i: int, point: dict, gap, scale,
             digits: int) -> Verdict:
    """Turn a numeric disagreement into REFUTED only if an independent re-check agrees."""
    recheck_digits = max(tol.RECHECK_DIGITS, digits + 20)
    witness = witness_dict(point)
    if sides.atoms:  # integrals/sums: a different quadrature rule, its own precision
        # Gauss-Legendre nodes at 100 digits take half a minute to compute; a real gap (far
        # above the noise floor of either rule) shows at 40 digits as well
        recheck_digits = GAUSS_LEGENDRE_DIGITS
        try:
            hl, hr = sides.at(point, recheck_digits, method="gauss-legendre")
        except (Inconclusive, ZeroDivisionError, ValueError, OverflowError, TypeError) as exc:
            return Verdict(Status.UNDECIDED, "numeric", f"sides differ by {compact(gap, 6)} at "
                           f"{witness} but the re-check could not evaluate there ({exc})")
        with mpmath.workdps(recheck_digits):
            g2, s2 = _gap(kind, hl[i], hr[i])
            real_gap = g2 > _floor(recheck_digits) * s2
            close = abs(g2 - gap) <= mpmath.mpf(10) ** -6 * max(abs(gap), _floor(digits) * scale)
        if real_gap and close:
            return Verdict(Status.REFUTED, f"counterexample (quadrature re-checked by "
                           f"Gauss-Legendre at {recheck_digits} digits)",
                           f"lhs - rhs = {compact(g2)}", witness=witness,
                           witness_value=compact(g2, 20), digits=recheck_digits)
        return Verdict(Status.UNDECIDED, "numeric", f"sides differ by {compact(gap, 6)} at "
                       f"{witness}, but the Gauss-Legendre re-check gives {compact(g2, 6)}")
    value, exact = recheck(diff, point, recheck_digits)
    if value is None:
        return Verdict(Status.UNDECIDED, "numeric",
                       f"sides differ by {compact(gap, 6)} at {witness} but the re-check could "
                       "not evaluate there")
    if exact:
        holds = value == 0 if kind == "eq" else (value.is_real and value <= 0)
        if holds:
            return Verdict(Status.UNDECIDED, "numeric",
                           f"mpmath saw a difference at {witness} that exact arithmetic does not")
        return Verdict(Status.REFUTED, "counterexample (exact rational arithmetic)",
                       f"lhs - rhs = {compact(value)} exactly", witness=witness,
                       witness_value=compact(value, 40))
    re_v, im_v = value.as_real_imag()
    with mpmath.workdps(recheck_digits):
        v = mpmath.mpc(mpmath.mpmathify(re_v), mpmath.mpmathify(im_v))
        confirmed = v != 0 if kind == "eq" else (im_v == 0 and re_v > 0)
        measured = abs(v) if kind == "eq" else mpmath.re(v)
        # the mpmath value is good to about floor(digits) * scale: evalf must land in that bar
        agrees = abs(measured - gap) <= 10 * _floor(digits) * scale + mpmath.mpf(10) ** -6 * abs(v)
        shown = v.real if im_v == 0 else v
    if confirmed and agrees:
        return Verdict(Status.REFUTED, f"counterexample (re-checked by sympy evalf, strict, at "
                       f"{recheck_digits} digits)", f"lhs - rhs = {compact(shown)}",
                       witness=witness, witness_value=compact(shown, 20), digits=recheck_digits)
    return Verdict(Status.UNDECIDED, "numeric",
                   f"sides differ by {compact(gap, 6)} at {witness}, but the {recheck_digits}-digit "
                   f"re-check gives {compact(shown, 6)}: inconclusive")


def sample_claim(kind: str, lhs: list, rhs: list, syms: list, domain: Domain | None,
                 points: int, digits: int, seed: int, where: str = "") -> Verdict:
    """Numeric evidence for ``lhs = rhs`` (kind "eq") or ``lhs <= rhs`` (kind "le"),
    entrywise: random points across scales plus points on the exceptional sets, each at two
    precisions (module docstring).  CHECKED, REFUTED (re-checked) or UNDECIDED."""
    if any(e.has(AppliedUndef) for e in lhs + rhs):
        return Verdict(Status.UNDECIDED, "numeric",
                       "the claim contains undefined functions; numeric sampling cannot evaluate it")
    if any(e.has(sp.Limit) for e in lhs + rhs):
        return Verdict(Status.UNDECIDED, "numeric", "limits are not evaluated numerically")
    try:
        conditions = critical_conditions(lhs + rhs) if syms else []
    except NotEnumerable as exc:
        return Verdict(Status.UNDECIDED, "numeric", f"the claim has a non-smooth part whose "
                       f"exceptional set cannot be enumerated: {exc}; sampling could miss where "
                       "it fails")
    sides = Sides(lhs, rhs, syms)
    if sides.atoms:
        digits = min(digits, QUADRATURE_DIGITS)
    if not syms:
        digits = max(digits, CONSTANT_DIGITS) if not sides.atoms else digits
    high = 2 * digits
    rng = random.Random(seed)
    diffs = [a - b for a, b in zip(lhs, rhs)]

    near: list[dict] = []
    thin, unsolved = (thin_points(conditions, syms, domain, rng, near=near) if conditions
                      else ([], []))
    if unsolved:
        return Verdict(Status.UNDECIDED, "numeric", "no point could be constructed on the "
                       f"exceptional set(s) {'; '.join(unsolved)}: sampling could miss where the "
                       "claim fails")
    on_thin = 0
    for point, label in thin:
        for i, d in enumerate(diffs):
            if sides.atoms:
                break  # evaluated numerically with the random points below
            status, value = _exact_at(kind, d, point, max(tol.RECHECK_DIGITS, high + 20))
            if status == "refute":
                exact = value.is_Rational
                return Verdict(Status.REFUTED, "counterexample on an exceptional set ("
                               + ("exact arithmetic" if exact else
                                  f"sympy evalf, strict, at {max(tol.RECHECK_DIGITS, high + 20)} digits")
                               + f"): {label}", f"lhs - rhs = {compact(value)}"
                               + (" exactly" if exact else ""), witness=witness_dict(point),
                               witness_value=compact(value, 40))
            if status == "complex":
                return Verdict(Status.UNDECIDED, "numeric",
                               f"the sides are not real at {witness_dict(point)}: declare the "
                               "domain (assumptions or domain=...)")
            if status in ("undefined", "inconclusive"):
                break
        else:
            on_thin += 1

    n_points = points if syms else 1
    ok = skipped = noisy = 0
    worst = mpmath.mpf(0)
    random_points = itertools.chain(near, (sample_point(syms, rng, domain)
                                           for _ in range(n_points * 4)))
    if sides.atoms:  # thin-set points of claims with integrals are evaluated numerically
        random_points = itertools.chain((p for p, _ in thin), random_points)
    with mpmath.workdps(high):
        for point in random_points:
            if ok >= n_points + len(near) + (len(thin) if sides.atoms else 0):
                break
            try:
                left, right = sides.at(point, digits)
                if not all(finite(z) for z in left + right):
                    skipped += 1
                    continue
                hl, hr = sides.at(point, high)
            except (ZeroDivisionError, ValueError, OverflowError, TypeError, Inconclusive):
                skipped += 1
                continue
            if not all(finite(z) for z in hl + hr):
                skipped += 1
                continue
            for i in range(len(diffs)):
                if kind == "le":
                    scale = max(abs(hl[i]), abs(hr[i]), 1)
                    limit = _floor(high) * scale
                    if abs(mpmath.im(hl[i])) > limit or abs(mpmath.im(hr[i])) > limit:
                        return Verdict(Status.UNDECIDED, "numeric",
                                       f"the sides are not real at {witness_dict(point)}: "
                                       "declare the domain (assumptions or domain=...)")
                g1, s1 = _gap(kind, left[i], right[i])
                g2, s2 = _gap(kind, hl[i], hr[i])
                if s2 == 0 or g2 <= _floor(high) * s2:
                    if s2 > 0:
                        worst = max(worst, max(g2, 0) / s2)
                    continue
                if g1 != 0 and abs(g2) <= abs(g1) * _floor(digits):
                    noisy += 1  # shrank with the precision: rounding noise, ill-conditioned
                    worst = max(worst, g2 / s2)
                    continue
                return _confirm(kind, diffs[i], sides, i, point, g2, s2, high)
            ok += 1
    if ok < n_points:
        return Verdict(Status.UNDECIDED, "numeric",
                       f"only {ok} of {n_points} sample points could be evaluated ({skipped} "
                       "skipped: singular, too large, or a quadrature that did not converge)",
                       points=ok, digits=digits)
    what = "equal" if kind == "eq" else "lhs <= rhs"
    if syms:
        text = (f"{what} at {n_points} random exact points{where} ({describe_sampling(syms, domain)})")
    else:
        text = f"{what} (a constant claim)"
    if conditions:
        labels = "; ".join(c.label() for c in conditions[:4]) + (" ..." if len(conditions) > 4
                                                                 else "")
        placed = on_thin if not sides.atoms else len(thin)
        text += (f" and at {placed} points on the exceptional sets {labels}" if placed else
                 f" (the exceptional sets {labels} lie outside the domain or where the claim is "
                 "undefined)")
        if near:
            text += f", and at {len(near)} points just beside their breakpoints"
    text += f", compared at {digits} and {high} digits, worst relative difference {compact(worst, 3)}"
    if noisy:
        text += f"; {noisy} comparisons ill-conditioned (the gap shrank with the precision)"
    if skipped:
        text += f"; {skipped} singular points skipped"
    return Verdict(Status.CHECKED, "numeric (mpmath)", text, points=ok, digits=high)


def exact_witness(diffs: list[sp.Expr], syms: list, domain: Domain | None, seed: int,
                  tries: int = 64, kind: str = "eq") -> Verdict:
    """A counterexample to a claim whose difference is known to be non-zero (a non-zero
    rational function, or ``c * g`` with g never 0): any point where the difference can be
    evaluated, by exact substitution or strict evalf (no floating point of our own)."""
    rng = random.Random(seed)
    for _ in range(tries):
        point = sample_point(syms, rng, domain, small=True)
        for d in diffs:
            value, exact = recheck(d, point, tol.RECHECK_DIGITS)
            if value is None or value == 0:
                continue  # a pole, or a root of d: try another point
            if kind == "le" and not (value.is_real and value > 0):
                continue
            if exact:
                return Verdict(Status.REFUTED, "counterexample (exact rational arithmetic)",
                               f"lhs - rhs = {compact(value)} exactly", witness=witness_dict(point),
                               witness_value=compact(value, 40))
            return Verdict(Status.REFUTED, f"counterexample (sympy evalf, strict, at "
                           f"{tol.RECHECK_DIGITS} digits)", f"lhs - rhs = {compact(value)}",
                           witness=witness_dict(point), witness_value=compact(value, 20),
                           digits=tol.RECHECK_DIGITS)
    return Verdict(Status.UNDECIDED, "exact witness search",
                   f"no exact counterexample found in {tries} points")
