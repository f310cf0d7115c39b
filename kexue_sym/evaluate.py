"""Certified evaluation of integrals, sums, products and limits.

sympy evaluates definite integrals wrongly when an antiderivative jumps inside the interval
(``integrate(atan(tan(x)), (x, 0, pi))`` is ``-pi**2/2``; the integral is 0), so the checker
never counts sympy's evaluation itself as evidence.  An evaluation is *certified* here by an
exact argument, or it is not used for a proof at all (the numeric stage may still give
CHECKED, with quadrature split at the breakpoints):

* **Integral** ``int_a^b f dx`` (each variable of an iterated integral in turn): an
  antiderivative ``F`` -- from the polynomial-times-Gaussian rule below, or from sympy's
  ``integrate``, untrusted either way -- is accepted when ``dF/dx - f`` reduces to 0 exactly,
  ``F`` is continuous on the closed interval (every sub-term is: poles, logarithms and roots
  are shown to stay away from 0 on the interval by the assumptions, Sturm counts, or interval
  arithmetic), and ``F(b) - F(a)`` is taken at finite ends by substitution and at infinite ends
  by the growth rules of :func:`limit_at_infinity`.  That is the fundamental theorem of
  calculus for a continuous antiderivative (an improper integral included).
* **Sum** ``sum_{k=a}^b f``: written out when it has at most :data:`MAX_TERMS` terms;
  otherwise a closed form ``S(b)`` (sympy's, untrusted) is accepted when ``S(b) - S(b-1) = f(b)``
  and ``S(a-1) = 0`` hold exactly and ``S`` is defined for every integer bound (induction, in
  both directions, so Karr's convention for ``b < a`` is covered); an infinite sum is the
  limit of its certified partial sums.
* **Product**: written out (at most :data:`MAX_TERMS` factors).
* **Limit**: at a point where the expression is continuous, its value; at infinity, the
  growth rules.

Polynomial times Gaussian: for ``P(x) exp(-alpha x^2 + beta x)`` with ``alpha > 0``, a
polynomial ``Q`` with ``Q' + Q q' = P - r`` (``q`` the exponent, ``r`` a constant) follows by
matching coefficients from the top, and ``int r e^q = r sqrt(pi/(4 alpha)) e^{beta^2/(4 alpha)}
erf(sqrt(alpha) x - beta/(2 sqrt(alpha)))``: the antiderivative of the Gaussian integrals of
kexue.fm/archives/8512, found in milliseconds where sympy's ``integrate`` takes minutes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import mpmath
import sympy as sp

#: Terms (or factors) written out for a finite sum (product) with numeric bounds.
MAX_TERMS = 10_000

ZeroTest = Callable[[sp.Expr], "str | None"]


class NotCertified(Exception):
    """No exact argument for this evaluation (the message says what is missing)."""


@dataclass(frozen=True)
class Certified:
    """A certified value and the argument, in words."""

    value: sp.Expr
    how: str


def certify(atom: sp.Expr, zero: ZeroTest, budget: float = 5.0) -> Certified:
    """Evaluate an unevaluated Integral/Sum/Product/Limit with an exact argument, or raise
    :class:`NotCertified`.  ``zero(expr)`` is the exact zero test (a method name, or None);
    ``budget`` bounds the seconds given to sympy's ``integrate``/``summation`` as a source of
    candidate closed forms (their output is checked, never trusted)."""
    if isinstance(atom, sp.Integral):
        return _integral(atom, zero, budget)
    if isinstance(atom, sp.Sum):
        return _sum(atom, zero, budget)
    if isinstance(atom, sp.Product):
        return _product(atom)
    if isinstance(atom, sp.Limit):
        return _limit(atom)
    raise NotCertified(f"cannot evaluate {type(atom).__name__}")


def _short(e, limit: int = 60) -> str:
    text = sp.sstr(e)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# ---------------------------------------------------------------------------------------------
# integrals
# ---------------------------------------------------------------------------------------------

def _integral(I: sp.Integral, zero: ZeroTest, budget: float) -> Certified:
    f = I.function
    how = []
    for lim in I.limits:
        if len(lim) != 3:
            raise NotCertified("an indefinite integral (no limits) has no value to certify")
        x, a, b = lim
        xr = sp.Dummy(x.name, real=True)
        f = f.xreplace({x: xr})
        F, source = antiderivative(f, xr, budget)
        method = zero(sp.diff(F, xr) - f)
        if method is None:
            raise NotCertified(f"the antiderivative from {source} does not differentiate back "
                               f"to the integrand (d{x}) exactly")
        continuity = continuous_on(F, xr, a, b)
        value = _end_value(F, xr, b) - _end_value(F, xr, a)
        f = value
        how.append(f"d{x}: antiderivative by {source}, F' = f ({method}), F continuous on "
                   f"[{a}, {b}] ({continuity}), ends {_end_words(a, b)}")
    return Certified(f, "fundamental theorem of calculus, " + "; ".join(how))


def _end_words(a, b) -> str:
    infinite = [e for e in (a, b) if e in (sp.oo, -sp.oo)]
    return "by the growth rules (exp(-c x^k) x^m -> 0, erf -> +-1)" if infinite else \
        "by substitution"


def antiderivative(f: sp.Expr, x: sp.Symbol, budget: float) -> tuple[sp.Expr, str]:
    """A candidate antiderivative of ``f`` in ``x`` and where it came from (unchecked)."""
    F = poly_gaussian_antiderivative(f, x)
    if F is not None:
        return F, "the polynomial-times-Gaussian rule"
    from .timeout import CheckTimeout, ChildError, call_with_timeout

    try:
        F = call_with_timeout(sp.integrate, f, x, seconds=budget)
    except (CheckTimeout, ChildError) as exc:
        raise NotCertified(f"no antiderivative found (sympy's integrate: {exc})") from None
    if F.has(sp.Integral):
        raise NotCertified("sympy's integrate left an unevaluated integral")
    return F, "sympy's integrate"


def _split_exp(term: sp.Expr, x: sp.Symbol):
    """term = coefficient * P(x) * exp(q(x)) with P a polynomial and q a polynomial with no
    constant term; returns (P * coefficient, q) or None."""
    exponent = sp.Integer(0)
    rest = sp.Integer(1)
    for factor in sp.Mul.make_args(term):
        if isinstance(factor, sp.exp):
            exponent += factor.args[0]
        elif factor.has(x):
            if not factor.is_polynomial(x):
                return None
            rest *= factor
        else:
            rest *= factor
    exponent = sp.expand(exponent)
    if not exponent.is_polynomial(x):
        return None
    constant = exponent.subs(x, 0)
    return rest * sp.exp(constant), sp.expand(exponent - constant)


def poly_gaussian_antiderivative(f: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """An antiderivative of a sum of ``P(x) exp(q(x))`` terms, ``q`` of degree <= 2 with a
    positive ``x^2`` coefficient sign known (module docstring), or None outside that class."""
    groups: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(sp.expand(f)):
        split = _split_exp(term, x)
        if split is None:
            return None
        P, q = split
        groups[q] = groups.get(q, sp.Integer(0)) + P
    F = sp.Integer(0)
    for q, P in groups.items():
        poly = sp.Poly(sp.expand(P), x)
        if poly.is_zero:
            continue
        qpoly = sp.Poly(q, x)
        deg = qpoly.degree() if not qpoly.is_zero else 0
        coeffs = [poly.nth(k) for k in range(poly.degree() + 1)]  # ascending
        if deg == 0:
            F += sum(c * x ** (k + 1) / (k + 1) for k, c in enumerate(coeffs))
        elif deg == 1:
            beta = qpoly.nth(1)
            if beta.is_nonzero is not True:
                return None
            n = len(coeffs) - 1
            Q = [sp.Integer(0)] * (n + 2)
            for k in range(n, -1, -1):  # Q' + beta Q = P
                Q[k] = sp.cancel((coeffs[k] - (k + 1) * Q[k + 1]) / beta)
            F += sum(Q[k] * x**k for k in range(n + 1)) * sp.exp(q)
        elif deg == 2:
            alpha, beta = -qpoly.nth(2), qpoly.nth(1)
            if alpha.is_positive is not True:
                return None
            n = len(coeffs) - 1
            Q = [sp.Integer(0)] * (n + 2)  # Q has degree n - 1; Q[n] = Q[n + 1] = 0
            for k in range(n, 0, -1):  # coefficient of x^k: (k+1) Q_{k+1} + beta Q_k - 2 alpha Q_{k-1}
                Q[k - 1] = sp.cancel(((k + 1) * Q[k + 1] + beta * Q[k] - coeffs[k]) / (2 * alpha))
            r = sp.cancel(coeffs[0] - Q[1] - beta * Q[0])
            root = sp.sqrt(alpha)
            F += sum(Q[k] * x**k for k in range(n)) * sp.exp(q)
            F += r * sp.sqrt(sp.pi) / (2 * root) * sp.exp(beta**2 / (4 * alpha)) \
                * sp.erf(root * x - beta / (2 * root))
        else:
            return None
    return F


# ---------------------------------------------------------------------------------------------
# continuity on an interval
# ---------------------------------------------------------------------------------------------

class _Interval:
    """Decides sign conditions on u(x) for x in the closed interval [lo, hi]."""

    def __init__(self, x: sp.Symbol, a: sp.Expr, b: sp.Expr):
        self.x = x
        if a == sp.oo or b == -sp.oo or ((b - a).is_negative is True):
            a, b = b, a
        elif not (a == -sp.oo or b == sp.oo or (b - a).is_nonnegative is True):
            raise NotCertified(f"the order of the limits {a}, {b} is not known")
        self.lo, self.hi = a, b

    def _forms(self, u: sp.Expr) -> list[sp.Expr]:
        """u over the interval, as expressions in a fresh t >= 0 (x = lo + t, ...)."""
        x, lo, hi = self.x, self.lo, self.hi
        if lo == -sp.oo and hi == sp.oo:
            return [u]
        t = sp.Dummy("t", nonnegative=True)
        if hi == sp.oo:
            return [u.xreplace({x: lo + t})]
        if lo == -sp.oo:
            return [u.xreplace({x: hi - t})]
        if lo == hi:
            return [u.xreplace({x: lo})]
        return [u.xreplace({x: lo + (hi - lo) * t / (1 + t)}), u.xreplace({x: hi})]

    def holds(self, u: sp.Expr, kind: str) -> str | None:
        """Why u is nonzero/positive/nonnegative on the interval, or None."""
        attr = {"nonzero": "is_nonzero", "positive": "is_positive",
                "nonnegative": "is_nonnegative"}[kind]
        forms = self._forms(u)
        if all(_sign(v, attr) for v in forms):
            return "assumptions"
        if kind == "nonzero":
            count = self._sturm(u)
            if count == 0:
                return "Sturm count"
        if self._interval_arithmetic(u, kind):
            return "interval arithmetic"
        return None

    def _sturm(self, u):
        num, den = sp.fraction(sp.cancel(sp.together(u)))
        if not (num.is_polynomial(self.x) and num.free_symbols <= {self.x}):
            return None
        try:
            poly = sp.Poly(num, self.x)
            if poly.domain not in (sp.ZZ, sp.QQ):
                return None
            lo = None if self.lo == -sp.oo else self.lo
            hi = None if self.hi == sp.oo else self.hi
            if (lo is not None and not lo.is_Rational) or (hi is not None and not hi.is_Rational):
                return None
            return poly.count_roots(lo, hi)
        except (sp.PolynomialError, NotImplementedError, ValueError, TypeError):
            return None

    def _interval_arithmetic(self, u, kind, depth: int = 12) -> bool:
        if u.free_symbols - {self.x} or self.lo in (sp.oo, -sp.oo) or self.hi in (sp.oo, -sp.oo):
            return False
        try:
            with mpmath.workdps(30):
                lo, hi = _iv(self.lo, {}), _iv(self.hi, {})
                stack = [(mpmath.iv.mpf([lo.a, lo.a]), mpmath.iv.mpf([hi.b, hi.b]), 0)]
                budget = 4096
                while stack:
                    a, b, d = stack.pop()
                    budget -= 1
                    if budget < 0:
                        return False
                    box = mpmath.iv.mpf([a.a, b.b])
                    val = _iv(u, {self.x: box})
                    ok = (val.a > 0 or val.b < 0) if kind == "nonzero" else \
                        (val.a > 0) if kind == "positive" else (val.a >= 0)
                    if ok:
                        continue
                    if d >= depth:
                        return False
                    mid = mpmath.iv.mpf((a.a + b.b) / 2)
                    stack += [(a, mid, d + 1), (mid, b, d + 1)]
            return True
        except (NotCertified, ValueError, ZeroDivisionError, TypeError):
            return False


def _sign(v: sp.Expr, attr: str) -> bool:
    if getattr(v, attr) is True:
        return True
    for simplify in (sp.factor, lambda e: sp.cancel(sp.together(e))):
        try:
            if getattr(simplify(v), attr) is True:
                return True
        except (sp.PolynomialError, TypeError, ValueError):
            pass
    return False


_IV_FUNCS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan",
             sp.atan: "atan", sp.sqrt: "sqrt", sp.cosh: "cosh", sp.sinh: "sinh"}


def _iv(e: sp.Expr, env: dict):
    """Rigorous enclosure of a real expression over intervals (mpmath.iv, outward rounding)."""
    iv = mpmath.iv
    if e in env:
        return env[e]
    if e.is_Rational:
        return iv.mpf(e.p) / e.q
    if e is sp.pi:
        return iv.pi
    if e is sp.E:
        return iv.e
    if isinstance(e, sp.Add):
        out = iv.mpf(0)
        for a in e.args:
            out += _iv(a, env)
        return out
    if isinstance(e, sp.Mul):
        out = iv.mpf(1)
        for a in e.args:
            out *= _iv(a, env)
        return out
    if isinstance(e, sp.Pow):
        b = _iv(e.base, env)
        if e.exp.is_Integer:
            return b ** int(e.exp)
        if e.exp == sp.Rational(1, 2):
            return iv.sqrt(b)
        return iv.exp(_iv(e.exp, env) * iv.log(b))
    for cls, name in _IV_FUNCS.items():
        if isinstance(e, cls):
            return getattr(iv, name)(_iv(e.args[0], env))
    raise NotCertified(f"no interval enclosure for {type(e).__name__}")


_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.erf, sp.erfc, sp.erfi, sp.Abs)
_REAL_CONTINUOUS = (sp.atan, sp.tanh, sp.asinh)


def continuous_on(F: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> str:
    """Why ``F`` is continuous in ``x`` on the closed interval between ``a`` and ``b``, or
    raise :class:`NotCertified` naming the sub-term that could not be shown continuous."""
    interval = _Interval(x, a, b)
    reasons: set[str] = set()

    def need(u: sp.Expr, kind: str, why: str) -> None:
        found = interval.holds(u, kind)
        if found is None:
            raise NotCertified(f"{why}: cannot show {_short(u)} is {kind} on "
                               f"[{interval.lo}, {interval.hi}]")
        reasons.add(found)

    def walk(e: sp.Expr) -> None:
        if not e.has(x) or e == x:
            return
        if isinstance(e, (sp.Add, sp.Mul)):
            for arg in e.args:
                walk(arg)
            return
        if isinstance(e, sp.Pow):
            base, ex = e.args
            walk(base)
            if ex.has(x):
                walk(ex)
                need(base, "positive", "a power with a variable exponent")
            elif ex.is_Integer:
                if ex < 0:
                    need(base, "nonzero", "a pole")
            elif ex.is_positive:
                need(base, "nonnegative", "a fractional power")
            else:
                need(base, "positive", "a negative fractional power")
            return
        if isinstance(e, _ENTIRE):
            walk(e.args[0])
            return
        if isinstance(e, _REAL_CONTINUOUS):
            walk(e.args[0])
            if e.args[0].is_extended_real is not True:
                raise NotCertified(f"{type(e).__name__} of a possibly complex argument")
            return
        if isinstance(e, sp.log):
            walk(e.args[0])
            need(e.args[0], "positive", "a logarithm")
            return
        if isinstance(e, (sp.tan, sp.sec)):
            walk(e.args[0])
            need(sp.cos(e.args[0]), "nonzero", f"a pole of {type(e).__name__}")
            return
        if isinstance(e, (sp.cot, sp.csc)):
            walk(e.args[0])
            need(sp.sin(e.args[0]), "nonzero", f"a pole of {type(e).__name__}")
            return
        raise NotCertified(f"{type(e).__name__} is not known to be continuous")

    walk(F)
    return "sub-terms continuous" + (f"; signs by {', '.join(sorted(reasons))}" if reasons else "")


def _end_value(F: sp.Expr, x: sp.Symbol, c: sp.Expr) -> sp.Expr:
    if c == sp.oo:
        return limit_at_infinity(F, x, 1)
    if c == -sp.oo:
        return limit_at_infinity(F, x, -1)
    value = F.xreplace({x: c})
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise NotCertified(f"the antiderivative is undefined at {c}")
    return value


# ---------------------------------------------------------------------------------------------
# limits at infinity: growth rules
# ---------------------------------------------------------------------------------------------

_BOUNDED_LIMIT = {sp.erf: (1, -1), sp.erfc: (0, 2), sp.tanh: (1, -1),
                  sp.atan: (sp.pi / 2, -sp.pi / 2)}


def _poly_direction(p: sp.Expr, y: sp.Symbol) -> int | None:
    """+1 / -1 when the polynomial p(y) tends to +oo / -oo as y -> +oo, 0 when constant,
    None when the sign of its leading coefficient is unknown."""
    poly = sp.Poly(p, y)
    if poly.degree() <= 0:
        return 0
    lc = poly.LC()
    if lc.is_positive:
        return 1
    if lc.is_negative:
        return -1
    return None


def _double_exponential(exponent: sp.Expr, y: sp.Symbol) -> tuple[sp.Expr, bool]:
    """Split an exponent ``P(y) + sum_k c_k exp(g_k(y))`` (P, g_k polynomials) for the limit
    y -> oo of exp(exponent) times a rational or bounded factor.

    A term with g_k -> -oo tends to 0 and is dropped (its exp tends to 1).  When every term
    with g_k -> +oo has c_k < 0, the exponent tends to -oo faster than any polynomial (e^{g_k}
    outgrows P and every rational factor's logarithm), so the whole term vanishes: returns
    ``(P, True)``.  A growing term of unknown or positive sign is left in place (no rule)."""
    polynomial, growing, kept = sp.Integer(0), [], sp.Integer(0)
    for term in sp.Add.make_args(exponent):
        if term.is_polynomial(y):
            polynomial += term
            continue
        c, rest = term.as_independent(y, as_Add=False)
        if not isinstance(rest, sp.exp) or not rest.args[0].is_polynomial(y):
            kept += term
            continue
        d = _poly_direction(sp.expand(rest.args[0]), y)
        if d is not None and d < 0:
            continue  # c exp(g) -> 0
        if d is not None and d > 0 and c.is_negative:
            growing.append(term)
            continue
        kept += term
    if growing and kept == 0:
        return polynomial, True
    return polynomial + kept + sp.Add(*growing), False


def limit_at_infinity(F: sp.Expr, x: sp.Symbol, direction: int) -> sp.Expr:
    """lim F as x -> direction * oo, by exact growth rules, term by term:
    ``R(y) y^k exp(q(y)) * (bounded)`` -> 0 when the polynomial q -> -oo; a rational function
    times functions with limits (erf, erfc, tanh, atan of a polynomial) -> the product of the
    limits when deg R <= 0.  Anything else raises :class:`NotCertified`."""
    y = sp.Dummy("y", positive=True)
    G = sp.expand(F.xreplace({x: direction * y}))
    total = sp.Integer(0)
    for term in sp.Add.make_args(G):
        coeff, rational, exponent = sp.Integer(1), sp.Integer(1), sp.Integer(0)
        limits, oscillating = [], False
        factors = list(sp.Mul.make_args(term))
        while factors:
            factor = factors.pop()
            if (isinstance(factor, sp.Pow) and factor.exp.is_Integer and factor.exp < 0
                    and isinstance(factor.base, sp.Add) and not factor.is_rational_function(y)):
                # 1 / (A e^y e^{Ay} + e^y e^{Ay}): factor the base exactly, (A + 1) e^y e^{Ay},
                # and take its factors one by one (exp(y)**-1 is exp(-y))
                factored = sp.factor(factor.base)
                if isinstance(factored, sp.Mul):
                    factors.extend(g ** factor.exp for g in factored.args)
                    continue
            if not factor.has(y):
                coeff *= factor
            elif isinstance(factor, sp.exp):
                exponent += factor.args[0]
            elif isinstance(factor, sp.Pow) and not factor.base.has(y) and factor.base.is_positive:
                exponent += factor.exp * sp.log(factor.base)
            elif factor.is_rational_function(y):
                rational *= factor
            elif type(factor) in _BOUNDED_LIMIT and factor.args[0].is_polynomial(y):
                d = _poly_direction(sp.expand(factor.args[0]), y)
                if not d:
                    raise NotCertified(f"the direction of {_short(factor.args[0])} is unknown")
                plus, minus = _BOUNDED_LIMIT[type(factor)]
                limits.append(plus if d > 0 else minus)
            elif isinstance(factor, (sp.sin, sp.cos)) and factor.args[0].is_extended_real:
                oscillating = True
            else:
                raise NotCertified(f"no growth rule for {_short(factor)}")
        exponent = sp.expand(exponent)
        if not exponent.is_polynomial(y):
            exponent, vanishes = _double_exponential(exponent, y)
            if vanishes:
                continue
        if not exponent.is_polynomial(y):
            raise NotCertified(f"no growth rule for exp({_short(exponent)})")
        d = _poly_direction(exponent, y)
        if d is None:
            raise NotCertified(f"the sign of the leading coefficient of {_short(exponent)} is unknown")
        if d < 0:
            continue  # exp(q) -> 0 faster than any power grows; the rest is bounded or rational
        if d > 0:
            raise NotCertified("a term grows like exp of a polynomial")
        num, den = sp.fraction(sp.cancel(rational))
        pn, pd = sp.Poly(num, y), sp.Poly(den, y)
        excess = pn.degree() - pd.degree()
        if excess < 0:
            continue
        if excess > 0 or oscillating:
            raise NotCertified("a term does not converge (polynomial growth or oscillation)")
        total += coeff * sp.exp(exponent) * pn.LC() / pd.LC() * sp.Mul(*limits)
    return total


# ---------------------------------------------------------------------------------------------
# sums, products, limits
# ---------------------------------------------------------------------------------------------

def _written_out(f, k, a, b, product: bool):
    count = b - a + 1
    if not count.is_Integer or abs(count) > MAX_TERMS:
        return None
    op = sp.Mul if product else sp.Add
    if count >= 0:
        return op(*[f.xreplace({k: a + i}) for i in range(int(count))])
    # Karr's convention: sum_{a}^{b} = -sum_{b+1}^{a-1}, prod = 1 / prod
    inner = op(*[f.xreplace({k: b + 1 + i}) for i in range(int(-count))])
    return 1 / inner if product else -inner


def _sum(S: sp.Sum, zero: ZeroTest, budget: float) -> Certified:
    if len(S.limits) != 1:
        inner = sp.Sum(S.function, S.limits[0])
        first = _sum(inner, zero, budget)
        rest = _sum(sp.Sum(first.value, *S.limits[1:]), zero, budget)
        return Certified(rest.value, f"{first.how}; then {rest.how}")
    f = S.function
    k, a, b = S.limits[0]
    value = _written_out(f, k, a, b, product=False)
    if value is not None:
        return Certified(value, f"finite sum written out ({b - a + 1} terms)")
    if b == sp.oo:
        N = sp.Dummy("N", integer=True)
        partial = _closed_sum(f, k, a, N, zero, budget)
        limit = limit_at_infinity(partial, N, 1)
        return Certified(limit, "limit of the partial sums, certified by induction, by the "
                         "growth rules")
    if not (isinstance(b, sp.Symbol) and b.is_integer and b not in f.free_symbols
            and b not in a.free_symbols):
        raise NotCertified(f"the upper bound {b} is not a free integer symbol")
    return Certified(_closed_sum(f, k, a, b, zero, budget),
                     "closed form certified by induction: S(n) - S(n - 1) = f(n) and "
                     "S(a - 1) = 0 exactly, S defined at every integer")


def _closed_sum(f, k, a, n, zero: ZeroTest, budget: float) -> sp.Expr:
    from .timeout import CheckTimeout, ChildError, call_with_timeout

    try:
        S = call_with_timeout(lambda: sp.Sum(f, (k, a, n)).doit(), seconds=budget)
    except (CheckTimeout, ChildError) as exc:
        raise NotCertified(f"no closed form found ({exc})") from None
    if S.has(sp.Sum, sp.Piecewise):
        raise NotCertified("sympy found no closed form without conditions")
    if zero(S - S.xreplace({n: n - 1}) - f.xreplace({k: n})) is None:
        raise NotCertified("the closed form fails the induction step S(n) - S(n - 1) = f(n)")
    if zero(S.xreplace({n: a - 1})) is None:
        raise NotCertified("the closed form fails the base case S(a - 1) = 0")
    nr = sp.Dummy("n", real=True)
    continuous_on(S.xreplace({n: nr}), nr, -sp.oo, sp.oo)
    return S


def _product(P: sp.Product) -> Certified:
    if len(P.limits) != 1:
        raise NotCertified("multiple products")
    k, a, b = P.limits[0]
    value = _written_out(P.function, k, a, b, product=True)
    if value is None:
        raise NotCertified("a product with a symbolic or very long range")
    return Certified(value, f"finite product written out ({b - a + 1} factors)")


def _limit(L: sp.Limit) -> Certified:
    e, z, z0 = L.args[0], L.args[1], L.args[2]
    zr = sp.Dummy(z.name, real=True)
    e = e.xreplace({z: zr})
    if z0 in (sp.oo, -sp.oo):
        return Certified(limit_at_infinity(e, zr, 1 if z0 == sp.oo else -1),
                         "growth rules at infinity")
    continuous_on(e, zr, z0, z0)
    value = e.xreplace({zr: z0})
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise NotCertified("the expression is undefined at the limit point")
    return Certified(value, "continuity at the limit point (substitution)")
