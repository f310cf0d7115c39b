r"""Riemann curvature of a metric given in coordinates: Christoffel symbols, Riemann, Ricci,
scalar and Kretschmann curvature.

Sign convention (the article series, part 5 eq. 49, identical to ``sympy.diffgeom``):

.. math::
    R^\rho{}_{\sigma\mu\nu} = \partial_\mu\Gamma^\rho_{\nu\sigma} - \partial_\nu\Gamma^\rho_{\mu\sigma}
        + \Gamma^\rho_{\mu\lambda}\Gamma^\lambda_{\nu\sigma}
        - \Gamma^\rho_{\nu\lambda}\Gamma^\lambda_{\mu\sigma},
    \qquad R_{\rho\sigma\mu\nu} = g_{\rho\lambda} R^\lambda{}_{\sigma\mu\nu},
    \qquad R_{\sigma\nu} = R^\rho{}_{\sigma\rho\nu},

so the unit 2-sphere has :math:`R_{0101} = \sin^2\theta`, Ricci = g and scalar curvature 2.

How it is fast (reference/PEERS.md): every component is kept, as it is computed, as an exact
element of a field of rational functions over QQ (sympy's sparse ``field``), where every
operation cancels by a gcd, so expressions never swell and nothing needs simplifying at the end.
To get there:

* a polar angle ``theta`` that enters only through ``cos(theta)`` and ``sin(theta)**2`` is
  replaced by ``x = cos(theta)`` (``g_xx = g_theta_theta / (1 - x^2)``): the metric becomes
  rational, so ``sin^2 + cos^2 = 1`` is applied during the computation, not hoped for at the end;
* an undefined function of the coordinates (``a(t)``, ``f(x, y)``) becomes a jet of independent
  generators (``f``, ``f_x``, ``f_xy`` ...) with the chain rule built into differentiation;
* only one ordering of the antisymmetric last index pair is computed.

Beyond rational metrics the same field is extended instead of refused (:class:`_FieldEngine`):
``exp`` of any field element, symbolic powers ``t**(2*p1)``, ``log``, ``sin``/``cos`` pairs,
square roots of field elements (``sqrt(2*M/r)``, Kerr-Schild's ``r = sqrt(x^2+y^2+z^2)``, reduced
modulo ``y^2 = u`` as the computation goes), undefined functions of field elements
(``f(r_s)``), derivatives of undefined functions inside the metric (``Y'(t, r)``), and any
function sympy differentiates in closed form (``besselj``, ``LambertW``: its derivatives are
generators in turn).  Jets and
independent square roots keep the field exact (a zero is always recognised; ``exact`` on the
engine); with the other generators every result is still an identity, but a zero may come out
unrecognised.  ``Metric.path`` is "rational" or "field" for these.

A metric with anything else (``Abs``, ``Piecewise``, floats, ...) takes the *general path*
("general", ``Metric.general_reason`` names what the field could not take): plain sympy, every
component put in ``cancel`` form once as it is used, the independent components only, the way a
careful hand-written loop would; no closing ``simplify`` (on small metrics it cost more than the
computation).

Source: Su Jianlin, 【理解黎曼几何】6. 曲率的计数与计算(Python), https://kexue.fm/archives/4026
(eqs. 49-53), and part 5, https://kexue.fm/archives/4014.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["Metric", "Curvature", "metrics", "independent_components", "check_symmetries",
           "riemann_of_general_jet"]


class NotRational(Exception):
    """The metric is outside the rational-function fast path."""


def _normal(e: sp.Expr) -> sp.Expr:
    """The general path's normal form: powsimp first (x**a * x**b = x**(a + b) holds for every
    base, principal branch; without it cancel keeps x**g, x**(1 - g), x**(2g - 2) as unrelated
    generators), then cancel."""
    return sp.cancel(sp.powsimp(e, combine="exp"))


class _Expr:
    """A sympy expression as a field element for the general path.  Arithmetic only builds the
    expression; it is put in :func:`_normal` form once, when it is compared with 0,
    differentiated or printed (:meth:`settle`), the way a hand-written loop cancels each
    component once: normalising after every + and * cost the general path 2-5x on the
    benchmark's special-function metrics."""

    __slots__ = ("e", "settled")

    def __init__(self, e, settled=False):
        self.e, self.settled = e, settled

    def settle(self) -> "_Expr":
        if not self.settled:
            self.e, self.settled = _normal(self.e), True
        return self

    @staticmethod
    def _of(v):
        # the other operand is an element or a small integer from the curvature code
        return v.e if isinstance(v, _Expr) else sp.sympify(v, strict=True)

    def __add__(self, o):
        return _Expr(self.e + self._of(o))

    __radd__ = __add__

    def __sub__(self, o):
        return _Expr(self.e - self._of(o))

    def __neg__(self):
        return _Expr(-self.e, self.settled)

    def __mul__(self, o):
        return _Expr(self.e * self._of(o))

    __rmul__ = __mul__

    def __truediv__(self, o):
        return _Expr(self.e / self._of(o))

    def __eq__(self, o):
        other = self._of(o)
        if other == 0:
            return self.settle().e == 0
        return _normal(self.e - other) == 0

    def __ne__(self, o):
        return not self.__eq__(o)

    __hash__ = None


class _Field:
    zero, one = _Expr(sp.Integer(0), True), _Expr(sp.Integer(1), True)


class _GeneralEngine:
    """The general path: the metric's components as sympy expressions, each component put in
    ``cancel`` form once (:class:`_Expr`)."""

    def __init__(self, g: sp.Matrix, coords: Sequence[sp.Symbol]):
        self.n, self.coords, self.work_coords = len(coords), list(coords), list(coords)
        self.K, self.trig, self.exact = _Field, {}, False
        self.g = [[_Expr(g[i, j]).settle() for j in range(self.n)] for i in range(self.n)]

    @staticmethod
    def settle(f: _Expr) -> _Expr:
        return f.settle()

    @staticmethod
    def dot(pairs):
        return sum((x * y for x, y in pairs), _Field.zero)

    def d(self, f: _Expr, i: int) -> _Expr:
        return _Expr(sp.diff(f.settle().e, self.coords[i]))

    def to_expr(self, f: _Expr) -> sp.Expr:
        """factor when the result is small (a readable product; cheap next to the computation),
        powsimp to merge powers of one base; no closing simplify: it cost more than the whole
        computation on small metrics, and is the user's to choose."""
        e = f.settle().e
        if sp.count_ops(e) > 400:
            return e
        shown = sp.powsimp(sp.factor(e), combine="exp")
        return shown if sp.count_ops(shown) <= sp.count_ops(e) else e


@dataclass(frozen=True)
class _Trig:
    """theta -> x = cos(theta): the transformation applied to one polar coordinate."""

    theta: sp.Symbol
    x: sp.Symbol


class _Reduced:
    """An element of K[y_1..y_m]/(y_i^2 - u_i): a field element of K(y) kept reduced, i.e.
    of degree <= 1 in every y_i, the y_i absent from the denominator (:meth:`_Quotient.reduce`).
    Sums of reduced elements stay reduced, so only products and quotients reduce again."""

    __slots__ = ("f", "q")

    def __init__(self, f, q):
        self.f, self.q = f, q

    @staticmethod
    def _of(v):
        return v.f if isinstance(v, _Reduced) else v

    def __add__(self, o):
        return _Reduced(self.f + self._of(o), self.q)

    __radd__ = __add__

    def __sub__(self, o):
        return _Reduced(self.f - self._of(o), self.q)

    def __rsub__(self, o):
        return _Reduced(self._of(o) - self.f, self.q)

    def __neg__(self):
        return _Reduced(-self.f, self.q)

    def __mul__(self, o):
        o = self._of(o)
        if isinstance(o, int):
            return _Reduced(self.f * o, self.q)
        return self.q.reduce_fraction(self.f.numer * o.numer, self.f.denom * o.denom)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = self._of(o)
        if isinstance(o, int):
            return _Reduced(self.f / o, self.q)
        return self.q.reduce_fraction(self.f.numer * o.denom, self.f.denom * o.numer)

    def __rtruediv__(self, o):
        return self.q.reduce(self._of(o) / self.f)

    def __pow__(self, k: int):
        return self.q.reduce(self.f ** k)

    def __eq__(self, o):
        return self.f == self._of(o)

    def __ne__(self, o):
        return self.f != self._of(o)

    __hash__ = None


class _Quotient:
    """K[y_1..y_m]/(y_i^2 - u_i) for the quadratic generators y_i of a :class:`_FieldEngine`
    (square roots, cos u beside sin u), in the order they were made (an inner root first)."""

    def __init__(self, K, relations):
        self.field = K
        self.symbols = K.symbols
        # (index of the reduced generator v among the ring's, numerator and denominator of
        # v^2), outermost first
        self.rel = [(K.gens.index(y), u.numer, u.denom) for y, u in reversed(relations)]
        self.zero, self.one = _Reduced(K.zero, self), _Reduced(K.one, self)

    def from_expr(self, e):
        return self.reduce(self.field.from_expr(e))

    def reduce(self, f) -> _Reduced:
        return self.reduce_fraction(f.numer, f.denom)

    def reduce_fraction(self, num, den) -> _Reduced:
        """num/den (polynomials, not yet in lowest terms) as A + B y_i over a y_i-free
        denominator, for each y_i from the outermost in: y^k -> u^(k//2) y^(k%2) in numerator
        and denominator, then the conjugate (B0 - B1 y) clears y from the denominator; one
        gcd at the end.  Every step uses only y^2 = u, so the value never changes."""
        for iy, un, ud in self.rel:
            num, den = self._reduce_one(num, den, iy, un, ud)
        if den.LC < 0:
            num, den = -num, -den
        return _Reduced(self.field.new(num, den), self)

    @staticmethod
    def _reduce_one(num, den, iy, un, ud):
        top = max(num.degree(iy), den.degree(iy))
        if top <= 1 and den.degree(iy) <= 0:
            return num, den
        y = num.ring.gens[iy]
        half = top // 2
        n0, n1 = _Quotient._split(num, iy, un, ud, half)
        d0, d1 = _Quotient._split(den, iy, un, ud, half)
        if not d1:
            return n0 + n1 * y, d0
        # (n0 + n1 y)(d0 - d1 y) = n0 d0 - n1 d1 u + (n1 d0 - n0 d1) y, times ud for u = un/ud
        return ((n0 * d0 * ud - n1 * d1 * un) + (n1 * d0 - n0 * d1) * ud * y,
                d0 ** 2 * ud - d1 ** 2 * un)

    @staticmethod
    def _split(p, iy, un, ud, half):
        """ud^half p = a0 + a1 y with y^2 = un/ud, a0 and a1 polynomials free of y."""
        ring = p.ring
        parts: dict[int, dict] = {}
        for monom, coeff in p.items():
            parts.setdefault(monom[iy], {})[monom[:iy] + (0,) + monom[iy + 1:]] = coeff
        a = [ring.zero, ring.zero]
        for k, terms in parts.items():
            a[k % 2] += ring.from_dict(terms) * un ** (k // 2) * ud ** (half - k // 2)
        return a[0], a[1]


#: functions that are not generators: not holomorphic, piecewise, or with a distributional
#: derivative (sign' = 2 DiracDelta); a metric with one takes the general path
_NOT_GENERATORS = (sp.Abs, sp.sign, sp.re, sp.im, sp.arg, sp.conjugate, sp.floor, sp.ceiling,
                   sp.frac, sp.Piecewise, sp.Heaviside, sp.DiracDelta, sp.Max, sp.Min)

#: generator kinds whose field arithmetic decides equality of functions (see _FieldEngine)
_EXACT_KINDS = {"jet", "sqrt", "constant"}


class _FieldEngine:
    r"""The metric's components as elements of a differential field over QQ: the coordinates
    and parameters, extended by generators, each with its derivative along every coordinate
    (the chain rule) so that differentiation never leaves the field.

    The generators, and how far field arithmetic can be trusted with each:

    * **jets** of undefined functions, ``F(u_1, ..., u_k)`` of any field elements (``a(t)``,
      ``f(r_s)``, ``Y'(t, r)`` inside the metric): generators ``F, F_1, F_12, ...`` with
      :math:`\partial_c F_J = \sum_j F_{J+j}\,\partial_c u_j`.  The derivatives of a generic
      function obey no algebraic relation: **exact**.
    * **square roots** ``y = sqrt(u)`` (``sqrt(2)``, ``sqrt(2*M/r)``, ``r = sqrt(x^2+y^2+z^2)``
      in Kerr-Schild form, ``I = sqrt(-1)``) with :math:`\partial y = y\,\partial u/(2u)`,
      reduced modulo :math:`y^2 = u` after every product and quotient (:class:`_Quotient`), so
      the coordinate relation :math:`r^2 = x^2+y^2+z^2` is applied as the computation goes.
      The ring K[y_1..y_m]/(y_i^2 - u_i) is a field exactly when no product of the u_i is a
      square in K, which is checked by factoring (:meth:`_roots_independent`); a homomorphism
      from a field into functions is injective, so field equality is equality of functions:
      **exact** (``pi`` or ``E`` as a constant likewise, one of them at a time).
    * ``exp(m)`` for each term m of an exponent (``exp(2x) = E^2`` with ``E = exp(x)``),
      ``u**s`` for a constant symbolic ``s`` (:math:`\partial u^s = s\,u^s\,\partial u/u`),
      ``log(u)`` (:math:`\partial u/u`), ``sin u`` and ``cos u`` (with
      :math:`\cos^2 = 1 - \sin^2` as a reduction), ``u**(p/q)`` for q > 2: every rewrite is an
      identity on principal branches, so every result is true, but not every relation among
      these generators is known (``exp(x/(1+x)) = e exp(-1/(1+x))``, ``log(xy) = log x +
      log y`` off the cut), so a zero may come out unrecognised, never a wrong value:
      ``exact`` is False and the riemann derivation does not build proofs on them.

    * any other function sympy differentiates in closed form (``besselj``, ``LambertW``,
      ``erf``, ``gamma``): a generator whose partials come from sympy's ``fdiff``, lifted in
      turn, to the depth the curvature needs (:meth:`_special`); not exact either.

    ``Abs``, ``sign``, ``Piecewise``, floats and the like (:data:`_NOT_GENERATORS`) raise
    :class:`NotRational` naming them, and :class:`Metric` takes the general path.
    """

    def __init__(self, g: sp.Matrix, coords: Sequence[sp.Symbol]):
        self.n = len(coords)
        self.coords = list(coords)
        self.chain: dict[sp.Symbol, dict] = {}  # generator -> {coordinate: its derivative}
        self.back: dict[sp.Symbol, Any] = {}    # generator -> what it stands for
        self.kind: dict[sp.Symbol, str] = {}    # generator -> jet, sqrt, exp, power, ...
        self.relations: list[tuple[sp.Symbol, Any]] = []  # y, u with y**2 = u, inner first
        self._made: dict[Any, sp.Symbol] = {}   # a generator's key -> the generator
        self._memo: dict[Any, Any] = {}
        self._special_depth = 0  # how many derivatives deep a special function is being made
        g, self.trig = self._polar_to_cos(g)
        self.work_coords = [t.x if (t := self.trig.get(c)) else c for c in self.coords]
        self._work = set(self.work_coords)
        g = g.applyfunc(self._rewrite)
        derivs = [len(d.variables) for d in g.atoms(sp.Derivative)]
        self.order = 2 + max(derivs, default=0)  # jets needed: the metric's, then d and d^2
        self._exp_scale = self._exp_scales(g)
        g = g.applyfunc(self._lift)
        found = set(g.free_symbols)
        for table in self.chain.values():
            for v in table.values():
                found |= getattr(v, "free_symbols", set())
        params = sorted(found - self._work - set(self.back), key=sp.default_sort_key)
        gens = self.work_coords + params + list(self.back)
        try:
            K, *self.gens = sp.field(gens, sp.QQ)
        except Exception as exc:  # noqa: BLE001 - no field for these generators
            raise NotRational(str(exc)) from None
        self.gen = dict(zip(gens, self.gens))
        self.raw = K
        try:
            rel = self._reductions(K)
            self.K = _Quotient(K, rel) if rel else K
            convert = (lambda e: self.K.from_expr(e).f) if rel else K.from_expr
            self.g = [[self.K.from_expr(g[i, j]) for j in range(self.n)] for i in range(self.n)]
            # chain rule in the field: None marks a derivative beyond the jets (never needed)
            self.chain_field = {self.gen[G]: {c: (None if v is None else convert(v))
                                              for c, v in table.items()}
                                for G, table in self.chain.items() if table}
        except Exception as exc:  # noqa: BLE001 - a component is not rational in the generators
            raise NotRational(str(exc)) from None
        self._reduce = self.K.reduce if rel else None
        kinds = list(self.kind.values())
        #: True when field equality is equality of functions (class docstring)
        self.exact = (set(kinds) <= _EXACT_KINDS and kinds.count("constant") <= 1
                      and self._roots_independent())

    # -- preparation ---------------------------------------------------------------------------

    def _polar_to_cos(self, g: sp.Matrix) -> tuple[sp.Matrix, dict]:
        """theta -> x = cos(theta) where theta enters only through cos and sin^2 (and has no
        off-diagonal components); other trigonometric coordinates get sin/cos generators."""
        trig: dict[sp.Symbol, _Trig] = {}
        for c in self.coords:
            if not g.has(sp.sin(c), sp.cos(c)):
                continue
            # a Dummy: a user's own symbol named cos_theta must not be mistaken for it
            s, x = sp.Dummy("s"), sp.Dummy(f"cos_{c}", real=True)
            h = g.applyfunc(lambda e: e.subs({sp.sin(c): s, sp.cos(c): x}))
            k = self.coords.index(c)
            # entry by entry: matrix arithmetic goes through DomainMatrix and assumption
            # queries that cost more than a small metric's whole curvature
            odd = any((f := e.subs(s, -s)) != e and sp.expand(f - e) != 0
                      for e in h if e.has(s))
            if (h.has(c) or odd or any(g[k, j] != 0 for j in range(self.n) if j != k)):
                continue
            h = h.applyfunc(lambda e: sp.expand(e).subs(s**2, 1 - x**2))
            if h.has(s):
                continue
            h[k, k] = h[k, k] / (1 - x**2)  # d theta = -dx / sin(theta)
            trig[c] = _Trig(c, x)
            g = h
        return g, trig

    @staticmethod
    def _rewrite(e: sp.Expr) -> sp.Expr:
        """Hyperbolic functions through exp, tan/cot/sec/csc through sin and cos."""
        if e.has(sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch):
            e = e.rewrite(sp.exp)
        ratios = {sp.tan: lambda u: sp.sin(u) / sp.cos(u), sp.cot: lambda u: sp.cos(u) / sp.sin(u),
                  sp.sec: lambda u: 1 / sp.cos(u), sp.csc: lambda u: 1 / sp.sin(u)}
        return e.xreplace({a: ratios[type(a)](a.args[0])
                           for a in e.atoms(sp.tan, sp.cot, sp.sec, sp.csc)})

    @staticmethod
    def _exp_terms(u: sp.Expr) -> list[tuple[sp.Rational, sp.Expr]]:
        """The terms c * m of an exponent, c rational (exp(u) = prod exp(m)^c)."""
        out = []
        for term in sp.Add.make_args(sp.expand(u, deep=False, log=False, power_base=False,
                                               power_exp=False)):
            c, m = term.as_coeff_Mul()
            if not c.is_Rational:
                raise NotRational(f"the floating-point number {c} (write it as a fraction)")
            out.append((c, m))
        return out

    def _exp_scales(self, g: sp.Matrix) -> dict:
        """For each exponent term m, the lcm L of its coefficients' denominators: exp(m / L) is
        the generator, so exp(x), exp(2x) and exp(x/2) are powers of one generator."""
        scale: dict = {}
        for atom in g.atoms(sp.exp):
            for c, m in self._exp_terms(atom.args[0]):
                scale[m] = sp.ilcm(scale.get(m, 1), c.q)
        return scale

    def _total(self, U, c):
        """dU/dc for U in the generators, through the chain rule of every generator in U."""
        out = sp.diff(U, c)
        for G in U.free_symbols & self.chain.keys():
            dG = self.chain[G].get(c, 0)
            if dG is None:
                raise NotRational("a derivative of a metric function beyond its jets")
            if dG != 0:
                out += sp.diff(U, G) * dG
        return out

    def _generator(self, key, back, kind: str, name: str, derivative) -> sp.Symbol:
        """The generator for ``key`` (made once), standing for ``back``; ``derivative(G, c)`` is
        dG/dc in the generators.  Dummies: a user's symbol named like one must stay apart."""
        G = self._made.get(key)
        if G is None:
            G = self._made[key] = sp.Dummy(name)
            self.back[G], self.kind[G] = back, kind
            self.chain[G] = {}
            table = {c: derivative(G, c) for c in self.work_coords}
            self.chain[G] = {c: v for c, v in table.items() if v is None or v != 0}
        return G

    def _lift(self, e):
        """e as a rational expression in coordinates, parameters and generators (made here)."""
        hit = self._memo.get(e)
        if hit is None:
            hit = self._memo[e] = self._lift_new(e)
        return hit

    def _lift_new(self, e):
        if e.is_Symbol or e.is_Rational:
            return e
        if e.is_Float:
            raise NotRational(f"the floating-point number {e} (write it as a fraction)")
        if e is sp.I:
            return self._sqrt(sp.Integer(-1), sp.Integer(-1))
        if e is sp.E:
            return self._exp(sp.Integer(1))
        if e is sp.pi or e is sp.EulerGamma or e is sp.GoldenRatio:
            return self._generator(("constant", e), e, "constant", str(e), lambda G, c: 0)
        if e.is_Add:
            return sp.Add(*map(self._lift, e.args))
        if e.is_Mul:
            return sp.Mul(*map(self._lift, e.args))
        if isinstance(e, sp.exp):
            return self._exp(e.args[0])
        if e.is_Pow:
            return self._pow(e.base, e.exp)
        if isinstance(e, sp.log) and len(e.args) == 1:
            U = self._lift(e.args[0])
            return self._generator(("log", U), e, "log", "log",
                                   lambda G, c: self._total(U, c) / U)
        if isinstance(e, (sp.sin, sp.cos)):
            sn, cs = self._sin_cos(e.args[0])
            return sn if isinstance(e, sp.sin) else cs
        if isinstance(e, AppliedUndef):
            return self._jet(e, ())
        if isinstance(e, sp.Derivative) and isinstance(e.expr, AppliedUndef):
            f = e.expr
            if len(set(f.args)) != len(f.args) or not set(e.variables) <= set(f.args) \
                    or not set(f.args) <= self._work:
                raise NotRational(f"the derivative {e} (only of a function of coordinates)")
            return self._jet(f, tuple(sorted(f.args.index(v) for v in e.variables)))
        if isinstance(e, sp.Function) and not isinstance(e, _NOT_GENERATORS):
            return self._special(e)
        name = getattr(getattr(e, "func", None), "__name__", type(e).__name__)
        raise NotRational(f"`{name}`")

    def _special(self, e: sp.Function) -> sp.Symbol:
        """A function sympy can differentiate (besselj, LambertW, erf, gamma, ...) as a
        generator G = f(u_1..u_k) with dG/dc = sum_j f_j(u) du_j/dc, the partials f_j from
        sympy's own ``fdiff``, lifted in turn (besselj(0, r)' brings besselj(1, r));
        derivatives are made to the depth the curvature needs (the metric's, then d and d^2),
        as for jets.  Relations among them (J_2 = 2 J_1/r - J_0) are not known: not exact."""
        U = [self._lift(a) for a in e.args]
        name, depth = e.func.__name__, self._special_depth

        def derivative(G, c):
            parts = [(j, self._total(u, c)) for j, u in enumerate(U)]
            parts = [(j, du) for j, du in parts if du != 0]
            if not parts:
                return 0
            if depth >= self.order:
                return None
            out = 0
            for j, du in parts:
                try:
                    fj = e.fdiff(j + 1)
                except Exception:  # noqa: BLE001 - ArgumentIndexError, NotImplementedError
                    raise NotRational(f"`{name}`") from None
                if fj.has(sp.Derivative, sp.Subs, *_NOT_GENERATORS):
                    raise NotRational(f"`{name}`")
                self._special_depth = depth + 1
                try:
                    out += self._lift(fj) * du
                finally:
                    self._special_depth = depth
            return out

        return self._generator(("special", e.func, tuple(U)), e, "special", name, derivative)

    def _exp(self, u):
        out = sp.Integer(1)
        for c, m in self._exp_terms(u):
            L = self._exp_scale.get(m, 1)
            M = self._lift(m / L)
            E = self._generator(("exp", M), sp.exp(m / L), "exp", "exp",
                                lambda G, c, M=M: G * self._total(M, c))
            out *= E ** (c * L)
        return out

    def _sqrt(self, B, b):
        """y = sqrt(b) (B: b lifted), with the relation y^2 = B."""
        key = ("sqrt", B)
        made = key in self._made
        y = self._generator(key, sp.sqrt(b, evaluate=False), "sqrt", "sqrt",
                            lambda G, c: G * self._total(B, c) / (2 * B))
        if not made:
            self.relations.append((y, B))
        return y

    def _pow(self, b, ex):
        if ex.is_Integer:
            return self._lift(b) ** ex
        B = self._lift(b)
        if ex.is_Rational:
            k, r = divmod(ex.p, ex.q)  # floor: b**(-1/2) = b**-1 * sqrt(b)
            if ex.q == 2:
                return B ** k * self._sqrt(B, b)
            y = self._generator(("root", B, ex.q), b ** sp.Rational(1, ex.q), "root", "root",
                                lambda G, c: G * self._total(B, c) / (ex.q * B))
            return B ** k * y ** r
        q, rest = ex.as_coeff_Add()
        c, s = rest.as_coeff_Mul()
        if not (q.is_Rational and c.is_Rational):
            raise NotRational(f"the floating-point exponent in {b ** ex}")
        S = self._lift(s)
        if not c.is_Integer:
            c, s, S = sp.Integer(1), c * s, c * S
        if S.free_symbols & (self._work | self.chain.keys()):
            # a varying exponent: b**s = exp(s log b)
            Lg = self._lift(sp.log(b))
            G = self._generator(("powexp", B, S), b ** s, "power", "pow",
                                lambda G, cc: G * self._total(S * Lg, cc))
        else:
            G = self._generator(("pow", B, S), b ** s, "power", "pow",
                                lambda G, cc: S * G * self._total(B, cc) / B)
        return self._lift(b ** q) * G ** c if q else G ** c

    def _sin_cos(self, u):
        U = self._lift(u)
        key = ("sin", U)
        if key not in self._made:
            cs_key = ("cos", U)
            sn = self._generator(key, sp.sin(u), "trig", "sin", lambda G, c: 0)
            cs = self._generator(cs_key, sp.cos(u), "trig", "cos", lambda G, c: 0)
            for c in self.work_coords:
                du = self._total(U, c)
                if du != 0:
                    self.chain[sn][c], self.chain[cs][c] = cs * du, -sn * du
            self.relations.append((cs, 1 - sn ** 2))
        return self._made[key], self._made[("cos", U)]

    def _jet(self, f: AppliedUndef, combo: tuple[int, ...]) -> sp.Symbol:
        """The generator for d^|combo| F / d args[combo] at f = F(args) (positions, sorted)."""
        A = tuple(self._lift(a) for a in f.args)
        plain = len(set(f.args)) == len(f.args) and all(a.is_Symbol for a in f.args)
        if not combo:
            back = f
        elif plain:
            back = sp.Derivative(f, *[f.args[i] for i in combo])
        else:  # F'(u) at u = r_s: sympy's own form, Subs(Derivative(F(xi), xi), xi, r_s)
            xis = sp.symbols(f"_xi1:{len(A) + 1}", cls=sp.Dummy)
            back = sp.Subs(sp.Derivative(f.func(*xis), *[xis[i] for i in combo]),
                           xis, f.args)
        label = "".join(str(f.args[i]) if plain else str(i + 1) for i in combo)
        name = f.func.__name__ + ("_" + label if combo else "")

        def derivative(G, c):
            parts = [(j, self._total(a, c)) for j, a in enumerate(A)]
            parts = [(j, da) for j, da in parts if da != 0]
            if not parts:
                return 0
            if len(combo) >= self.order:
                return None
            return sp.Add(*[self._jet(f, tuple(sorted(combo + (j,)))) * da for j, da in parts])

        return self._generator(("jet", f.func, A, combo), back, "jet", name, derivative)

    def _reductions(self, K) -> list:
        """The relations as reductions v^2 -> w.  For y = sqrt(c v^2 + w0), v a coordinate
        that appears nowhere else under a root (r = sqrt(x^2 + y^2 + z^2) in Kerr-Schild form),
        the same relation is used the other way, x^2 -> r^2 - y^2 - z^2: the field is the same
        (QQ(x, y, z)(r) = QQ(r, y, z)(x)), but the denominators become powers of r instead of
        powers of x^2 + y^2 + z^2, so every gcd is cheap."""
        out, used = [], set()
        for y, u in self.relations:
            others = set().union(*(getattr(w, "free_symbols", set())
                                   for z, w in self.relations if z is not y))
            v = None
            if self.kind[y] == "sqrt":
                for cand in sorted(getattr(u, "free_symbols", set()) & self._work - others - used,
                                   key=sp.default_sort_key):
                    try:
                        poly = sp.Poly(u, cand)
                    except sp.PolynomialError:
                        continue
                    lc = poly.coeff_monomial(cand ** 2)
                    if poly.degree() == 2 and poly.coeff_monomial(cand) == 0 and lc.is_Rational:
                        v, rest, c = cand, poly.coeff_monomial(1), lc
                        break
            if v is None:
                out.append((self.gen[y], K.from_expr(u)))
            else:
                used.add(v)
                out.append((self.gen[v], K.from_expr((y ** 2 - rest) / c)))
        return out

    def _roots_independent(self) -> bool:
        """No product of the radicands u_i is a square in K (then K[y]/(y_i^2 - u_i) is a
        field of degree 2^m): each u_i's odd-multiplicity irreducible factors (and the
        square-free part of its rational constant, -1 included) as a vector over GF(2), the
        vectors linearly independent.  A radicand that contains another root (a tower) is not
        decided here: False."""
        roots = {y for y, _ in self.relations}
        basis: dict[str, set] = {}
        for y, u in self.relations:
            if self.kind[y] != "sqrt" or (getattr(u, "free_symbols", set()) & roots):
                return False
            vector: set = set()
            uf = self.raw.from_expr(u)
            for part in (uf.numer, uf.denom):
                coeff, factors = part.factor_list()
                coeff = sp.Rational(coeff)
                if coeff < 0:
                    vector ^= {"-1"}
                for p, e in {**sp.factorint(coeff.p), **sp.factorint(coeff.q)}.items():
                    if e % 2 and p != 1:
                        vector ^= {f"prime {p}"}
                for poly, e in factors:
                    if e % 2:
                        vector ^= {str(poly.monic() if poly.LC != 0 else poly)}
            while vector:  # Gaussian elimination over GF(2), pivot = the largest element
                pivot = max(vector)
                if pivot not in basis:
                    basis[pivot] = vector
                    break
                vector = vector ^ basis[pivot]
            else:
                return False
        return True

    def _with_sines(self, factored) -> sp.Expr:
        """Rebuild a factored polynomial, turning (x - 1)^m (x + 1)^m into (-sin^2 theta)^m."""
        coeff, factors = factored
        powers = {base: exp for base, exp in factors}
        out = coeff  # already sympy's (the domain's to_sympy)
        for t in self.trig.values():
            lo, hi = t.x - 1, t.x + 1
            m = min(powers.get(lo, 0), powers.get(hi, 0))
            if m:
                powers[lo] -= m
                powers[hi] -= m
                out *= (-1) ** m * sp.sin(t.theta) ** (2 * m)
        return out * sp.Mul(*[b ** e for b, e in powers.items()])

    # -- calculus in the field -----------------------------------------------------------------

    def dot(self, pairs):
        """sum of x*y over pairs, with one cancel per distinct denominator instead of one per
        product and one per addition (the products of a curvature sum mostly share their
        denominators); with square roots, one reduction modulo y^2 = u per denominator."""
        groups: dict = {}
        reduced = self._reduce is not None
        for x, y in pairs:
            if reduced:
                x, y = x.f, y.f
            den = x.denom * y.denom
            groups[den] = groups.get(den, 0) + x.numer * y.numer
        total = self.K.zero
        for den, num in groups.items():
            if num:
                total += (self.K.reduce_fraction(num, den) if reduced else self.raw.new(num, den))
        return total

    def d(self, f, i: int):
        """Total derivative along work coordinate i (chain rule through the generators)."""
        c = self.work_coords[i]
        reduce = self._reduce
        raw = f.f if reduce else f
        out = raw.diff(self.gen[c])
        for G, table in self.chain_field.items():
            if c not in table:
                continue
            df = raw.diff(G)
            if df == 0:
                continue
            if table[c] is None:
                raise NotRational("a third derivative of a metric function was needed")
            out += df * table[c]
        return reduce(out) if reduce else out

    def to_expr(self, f) -> sp.Expr:
        """Back to sympy, in the caller's coordinates (cos(theta) for x, derivatives for jets)."""
        if self._reduce:
            f = f.f
        # factored on the polynomials themselves: through expressions it cost 5x more
        to_sympy = self.raw.ring.domain.to_sympy
        num, den = (self._with_sines(
            (to_sympy(c), [(q.as_expr(), k) for q, k in fs]))
            for c, fs in (p.factor_list() for p in (f.numer, f.denom)))
        e = (num / den).xreplace(self.back)
        return e.xreplace({t.x: sp.cos(t.theta) for t in self.trig.values()})


_RationalEngine = _FieldEngine  # the name before the field had generators


def _inverse(rows: list[list], zero, one) -> list[list]:
    """Gauss-Jordan inverse over a field (n <= ~10); raises ZeroDivisionError if singular."""
    n = len(rows)
    M = [list(r) + [one if i == j else zero for j in range(n)] for i, r in enumerate(rows)]
    for c in range(n):
        p = next((r for r in range(c, n) if M[r][c] != 0), None)
        if p is None:
            raise ZeroDivisionError("the metric is degenerate (det g = 0)")
        M[c], M[p] = M[p], M[c]
        inv = one / M[c][c]
        M[c] = [v * inv for v in M[c]]
        for r in range(n):
            if r != c and M[r][c] != 0:
                f = M[r][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return [row[n:] for row in M]


class Curvature:
    """All curvature of one metric, computed once in the rational field (see module docstring).

    Attributes are sympy expressions in the caller's coordinates.
    """

    def __init__(self, engine: _RationalEngine):
        self.e = engine
        n, K = engine.n, engine.K
        zero, one = K.zero, K.one
        g = engine.g
        self.ginv = _inverse(g, zero, one)
        dg = [[[engine.d(g[a][b], c) for c in range(n)] for b in range(n)] for a in range(n)]
        # Gamma^a_{bc} = 1/2 g^{ad} (d_b g_dc + d_c g_db - d_d g_bc)
        half = one / 2
        dot = engine.dot
        self.gamma = [[[dot((self.ginv[a][d], (dg[d][c][b] + dg[d][b][c] - dg[b][c][d]) * half)
                            for d in range(n) if self.ginv[a][d] != 0)
                        for c in range(n)] for b in range(n)] for a in range(n)]
        settle = getattr(engine, "settle", None)  # the general path: cancel each Gamma once
        if settle:
            self.gamma = [[[settle(v) for v in row] for row in plane] for plane in self.gamma]
        G = self.gamma
        # R^a_{b c d} for c < d only (antisymmetric in the last pair)
        self.R_up = {}
        # the zero Christoffels, once: most are zero, and a product or derivative of one
        # still costs a field operation
        nz = [[[G[a][b][c] != 0 for c in range(n)] for b in range(n)] for a in range(n)]
        for a, b, c, d in itertools.product(range(n), repeat=4):
            if c >= d:
                continue
            val = zero
            if nz[a][d][b]:
                val = engine.d(G[a][d][b], c)
            if nz[a][c][b]:
                val = val - engine.d(G[a][c][b], d)
            pairs = ([(G[a][c][e], G[e][d][b]) for e in range(n) if nz[a][c][e] and nz[e][d][b]]
                     + [(-G[a][d][e], G[e][c][b]) for e in range(n)
                        if nz[a][d][e] and nz[e][c][b]])
            if pairs:
                val = val + dot(pairs)
            if val != 0:
                self.R_up[a, b, c, d] = val
        terms: dict = {}
        for (e, b, c, d), val in self.R_up.items():
            for a in range(n):
                if g[a][e] != 0:
                    terms.setdefault((a, b, c, d), []).append((g[a][e], val))
        self.R_down = {k: v for k, pairs in terms.items() if (v := dot(pairs)) != 0}

    def _riemann_down(self, a, b, c, d):
        zero = self.e.K.zero
        if c == d:
            return zero
        if c > d:
            return -self.R_down.get((a, b, d, c), zero)
        return self.R_down.get((a, b, c, d), zero)

    @cached_property
    def ricci_field(self):
        n, zero = self.e.n, self.e.K.zero
        out = [[zero] * n for _ in range(n)]
        for (a, b, c, d), val in self.R_up.items():
            if a == c:          # R_{bd} += R^a_{b a d}
                out[b][d] += val
            if a == d:          # R^a_{b c a} = -R^a_{b a c}
                out[b][c] -= val
        return out

    @cached_property
    def scalar_field(self):
        n, Ric = self.e.n, self.ricci_field
        return self.e.dot((self.ginv[a][b], Ric[a][b]) for a in range(n) for b in range(n)
                          if self.ginv[a][b] != 0)

    @cached_property
    def kretschmann_field(self):
        r"""R_{abcd} R^{abcd} = R^{ab}{}_{cd} R^{cd}{}_{ab} = 4 tr(M^2) over the bivectors
        A = (a < b), with M_{A B} = R^{ab}{}_{cd} = g^{bf} R^a{}_{fcd} (one index raised, from the
        stored c < d components; antisymmetric in each pair, so the pairs a < b, c < d carry
        all of it, a quarter each)."""
        n, gi, dot = self.e.n, self.ginv, self.e.dot
        terms: dict = {}
        for (a, f, c, d), v in self.R_up.items():
            for b in range(a + 1, n):
                if gi[b][f] != 0:
                    terms.setdefault(((a, b), (c, d)), []).append((gi[b][f], v))
        M = {k: v for k, pairs in terms.items() if (v := dot(pairs)) != 0}
        return 4 * dot([(v, M[B, A] * (1 if A == B else 2)) for (A, B), v in M.items()
                        if A <= B and (B, A) in M])

    def _in_original_coordinates(self, value, lower: Sequence[int], upper: Sequence[int] = ()):
        """A tensor component in theta coordinates from its x = cos(theta) component: times
        (dx/dtheta)^k for each lower theta index and (dtheta/dx) for each upper one, i.e.
        (-sin theta)^(k_lower - k_upper), with sin^2 = 1 - x^2 applied in the field first."""
        factor, odd = self.e.K.one, sp.Integer(1)
        for t in self.e.trig.values():
            k = (sum(1 for i in lower if self.e.coords[i] == t.theta)
                 - sum(1 for i in upper if self.e.coords[i] == t.theta))
            factor *= (1 - self.e.gen[t.x] ** 2) ** (k // 2)  # floor: k = -1 gives 1/(1-x^2)
            if k % 2:
                odd *= -sp.sin(t.theta)
        return self.e.to_expr(value * factor) * odd

    def christoffel(self) -> list:
        """Gamma^a_{bc} as nested lists [a][b][c] in the caller's coordinates."""
        n = self.e.n
        out = [[[self._in_original_coordinates(self.gamma[a][b][c], (b, c), (a,))
                 for c in range(n)] for b in range(n)] for a in range(n)]
        for t in self.e.trig.values():  # the inhomogeneous term of x = cos(theta)
            k = self.e.coords.index(t.theta)
            out[k][k][k] += sp.cos(t.theta) / sp.sin(t.theta)
        return out

    @cached_property
    def all_components(self) -> dict[tuple[int, int, int, int], Any]:
        """Every R_{abcd}, each computed from eq. (49) on its own: no symmetry is used, so the
        symmetries can be checked on the result (:func:`check_symmetries`)."""
        n, zero, G, d = self.e.n, self.e.K.zero, self.gamma, self.e.d
        up = {}
        for a, b, c, dd in itertools.product(range(n), repeat=4):
            val = d(G[a][dd][b], c) - d(G[a][c][b], dd)
            val += sum((G[a][c][e] * G[e][dd][b] - G[a][dd][e] * G[e][c][b] for e in range(n)), zero)
            up[a, b, c, dd] = val
        g = self.e.g
        return {(a, b, c, dd): sum((g[a][e] * up[e, b, c, dd] for e in range(n) if g[a][e] != 0), zero)
                for a, b, c, dd in itertools.product(range(n), repeat=4)}

    def riemann_down(self) -> dict[tuple[int, int, int, int], sp.Expr]:
        """Non-zero R_{abcd} with a < b, c < d, (a, b) <= (c, d): the independent components."""
        out = {}
        n = self.e.n
        pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
        for p, q in itertools.combinations_with_replacement(pairs, 2):
            v = self._riemann_down(*p, *q)
            if v != 0:
                out[p + q] = self._in_original_coordinates(v, p + q)
        return out

    def riemann_up(self) -> dict[tuple[int, int, int, int], sp.Expr]:
        """Non-zero mixed components R^a_{bcd} with c < d (the rest by antisymmetry)."""
        return {idx: self._in_original_coordinates(v, idx[1:], idx[:1])
                for idx, v in self.R_up.items()}

    def ricci(self) -> sp.Matrix:
        n = self.e.n
        return sp.Matrix(n, n, lambda i, j: self._in_original_coordinates(self.ricci_field[i][j],
                                                                          (i, j)))

    def ricci_scalar(self) -> sp.Expr:
        return self.e.to_expr(self.scalar_field)

    def kretschmann(self) -> sp.Expr:
        return self.e.to_expr(self.kretschmann_field)


class Metric:
    """A metric ``g`` (sympy Matrix, symmetric, non-degenerate) in coordinates ``coords``.

    ``Metric(sp.diag(1, sp.sin(th)**2), [th, ph]).ricci_scalar() == 2``.  Curvature is computed
    once, on first use, in the exact rational representation, or on the general path for a
    metric outside it (module docstring; ``path`` says which).
    """

    def __init__(self, g: sp.Matrix, coords: Sequence[sp.Symbol]):
        g = sp.Matrix(g)
        coords = list(coords)
        if g.rows != g.cols:
            raise ValueError(f"the metric must be square, got {g.rows} x {g.cols}")
        if g.rows != len(coords):
            raise ValueError(f"{g.rows} x {g.rows} metric but {len(coords)} coordinates")
        if len(set(coords)) != len(coords) or not all(isinstance(c, sp.Symbol) for c in coords):
            raise ValueError("coordinates must be distinct symbols")
        # entry by entry: g - g.T as matrices costs more than a small metric's curvature
        if any(g[i, j] != g[j, i] and sp.expand(g[i, j] - g[j, i]) != 0
               for i in range(g.rows) for j in range(i + 1, g.rows)):
            raise ValueError("the metric must be symmetric")
        self.g, self.coords = g, coords

    def __repr__(self) -> str:
        g = self.g
        shown = f"diag({', '.join(map(sp.sstr, g.diagonal()))})" if g.is_diagonal() else sp.sstr(g.tolist())
        return f"Metric({shown}, [{', '.join(map(str, self.coords))}])"

    __str__ = __repr__

    def _repr_latex_(self) -> str:
        coords = ", ".join(sp.latex(c) for c in self.coords)
        return rf"$$g_{{ab}} = {sp.latex(self.g, mat_delim='', mat_str='bmatrix')}, \quad " \
            rf"x^a = ({coords})$$"

    def _repr_html_(self) -> str:
        import html
        return f"<p>metric in coordinates ({html.escape(', '.join(map(str, self.coords)))}): " \
            f"<code>{html.escape(repr(self))}</code></p>"

    @cached_property
    def curvature(self) -> Curvature:
        try:
            engine = _FieldEngine(self.g, self.coords)
            self.generators = [engine.back[G] for G, kind in engine.kind.items() if kind != "jet"]
            self.path = "field" if self.generators else "rational"
        except NotRational as exc:
            # special functions, floats, nested forms: plain sympy
            engine = _GeneralEngine(self.g, self.coords)
            self.path, self.general_reason = "general", str(exc)
        return Curvature(engine)

    #: which path computed the curvature (set on first use): "rational" (QQ(coordinates,
    #: parameters, jets of functions)), "field" (that field extended by exp, roots, powers,
    #: log, sin/cos generators: :class:`_FieldEngine`) or "general" (sympy, cancel throughout)
    path: str = ""
    #: the non-jet generators of the "field" path (exp(2*Phi(r)), sqrt(2*M/r), ...)
    generators: list = []
    #: on the general path: what the field could not take (``Abs``, a float, ...)
    general_reason: str = ""

    def riemann(self) -> dict[tuple[int, int, int, int], sp.Expr]:
        """The independent non-zero components R_{abcd} (a<b, c<d, (a,b)<=(c,d))."""
        return self.curvature.riemann_down()

    def riemann_mixed(self) -> dict[tuple[int, int, int, int], sp.Expr]:
        """The non-zero mixed components R^a_{bcd} with c < d (eq. 49; the rest follow from
        antisymmetry in c, d)."""
        return self.curvature.riemann_up()

    def christoffel(self) -> list:
        """Christoffel symbols of the second kind, ``[a][b][c]`` = Gamma^a_{bc}."""
        return self.curvature.christoffel()

    def ricci(self) -> sp.Matrix:
        """Ricci tensor R_{bd} = R^a_{bad}."""
        return self.curvature.ricci()

    def einstein(self) -> sp.Matrix:
        """Einstein tensor G_{ab} = R_{ab} - R g_{ab} / 2."""
        R = self.ricci_scalar()
        return (self.ricci() - R * self.g / 2).applyfunc(sp.factor)

    def ricci_scalar(self) -> sp.Expr:
        """Scalar curvature g^{bd} R_{bd}."""
        return self.curvature.ricci_scalar()

    def kretschmann(self) -> sp.Expr:
        """Kretschmann scalar R_{abcd} R^{abcd}."""
        return self.curvature.kretschmann()


SYMMETRIES = {
    "antisymmetric in the last pair": lambda R, a, b, c, d: R[a, b, c, d] + R[a, b, d, c],
    "antisymmetric in the first pair": lambda R, a, b, c, d: R[a, b, c, d] + R[b, a, c, d],
    "pair exchange": lambda R, a, b, c, d: R[a, b, c, d] - R[c, d, a, b],
    "first Bianchi (cyclic)": lambda R, a, b, c, d: R[a, b, c, d] + R[a, c, d, b] + R[a, d, b, c],
}


def check_symmetries(R: dict, n: int) -> dict[str, list]:
    """The four identities of eq. (51), component by component.

    ``R`` maps every index tuple (a, b, c, d) to R_{abcd} (exact field elements, or sympy
    expressions that are exactly 0 when the identity holds).  Returns, for each identity, the
    residuals ``(indices, value)`` that are not 0: an empty list means the identity holds at
    all n^4 components.  Source: https://kexue.fm/archives/4026, eq. (51).
    """
    out = {}
    for name, residual in SYMMETRIES.items():
        bad = []
        for idx in itertools.product(range(n), repeat=4):
            v = residual(R, *idx)
            if v != 0:
                bad.append((idx, v))
        out[name] = bad
    return out


def riemann_of_general_jet(n: int) -> dict[tuple[int, int, int, int], sp.Expr]:
    """R_abcd at a point of a completely general metric in n dimensions, from its 2-jet.

    Curvature at a point depends only on g, dg and d^2 g there.  A linear change of
    coordinates (Gram-Schmidt) makes g = I at the point, and eq. (51) is a tensor identity, so
    it is enough to take ``g_ij(x) = delta_ij + A_ijk x_k + B_ijkl x_k x_l / 2`` with arbitrary
    coefficients (A symmetric in ij, B symmetric in ij and in kl) and evaluate at x = 0.  Every
    component is then a polynomial in the A's and B's, computed from eq. (49) with no symmetry
    of R used: g^-1 = I - A.x + O(x^2) suffices because Gamma is needed to first order.
    """
    idx = range(n)
    A = {}
    B = {}
    for i, j in itertools.combinations_with_replacement(idx, 2):
        for k in idx:
            A[i, j, k] = A[j, i, k] = sp.Symbol(f"A_{i}{j}_{k}")
        for k, l in itertools.combinations_with_replacement(idx, 2):
            B[i, j, k, l] = B[j, i, k, l] = B[i, j, l, k] = B[j, i, l, k] = \
                sp.Symbol(f"B_{i}{j}_{k}{l}")
    # d_c g_ij = A_ijc + B_ijcl x_l (exact); Gamma to first order: constant part and x_e part
    def dg0(i, j, c):
        return A[i, j, c]

    def dg1(i, j, c, e):
        return B[i, j, c, e]

    def christoffel_first(d, b, c, order_e=None):
        if order_e is None:
            return (dg0(d, c, b) + dg0(d, b, c) - dg0(b, c, d)) / 2
        return (dg1(d, c, b, order_e) + dg1(d, b, c, order_e) - dg1(b, c, d, order_e)) / 2

    gamma0 = {(a, b, c): christoffel_first(a, b, c) for a, b, c in itertools.product(idx, repeat=3)}
    # d_e Gamma^a_bc at 0 = d_e [(delta_ad - A_ade x_e) Gamma_dbc(x)] = Gamma1_abc,e - A_ade Gamma0_dbc
    dgamma = {(a, b, c, e): christoffel_first(a, b, c, e)
              - sum(A[a, d, e] * christoffel_first(d, b, c) for d in idx)
              for a, b, c, e in itertools.product(idx, repeat=4)}
    out = {}
    for a, b, c, d in itertools.product(idx, repeat=4):
        val = dgamma[a, d, b, c] - dgamma[a, c, b, d]
        val += sum(gamma0[a, c, e] * gamma0[e, d, b] - gamma0[a, d, e] * gamma0[e, c, b] for e in idx)
        out[a, b, c, d] = sp.expand(val)  # g = I at the point: lowering changes nothing
    return out


def independent_components(n: int) -> int:
    """Dimension of the space of 4-tensors with the symmetries of eq. (51), by linear algebra.

    Solves the linear constraints (antisymmetry in each pair, pair exchange, cyclic identity)
    on the n^4 components exactly: the two-term ones by merging variables, the cyclic ones by
    the rank over QQ of what remains -- not the closed formula n^2 (n^2 - 1) / 12 it is
    compared with.
    Source: https://kexue.fm/archives/4026, eqs. (51)-(53).
    """
    from sympy.polys.matrices import DomainMatrix

    # the two-term constraints x = +-y are solved exactly by merging variables (union-find
    # with signs); a variable forced to equal its own negative is 0
    parent: dict = {}

    def find(t):
        sign = 1
        while parent.get(t, (t, 1))[0] != t:
            t, s_ = parent[t]
            sign *= s_
        return t, sign

    zero = set()

    def merge(x, y, sign):  # x = sign * y
        (rx, sx), (ry, sy) = find(x), find(y)
        if rx == ry:
            if sx != sign * sy:
                zero.add(rx)  # x = -x
            return
        parent[rx] = (ry, sx * sign * sy)

    tuples = list(itertools.product(range(n), repeat=4))
    for a, b, c, d in tuples:
        merge((a, b, c, d), (a, b, d, c), -1)
        merge((a, b, c, d), (b, a, c, d), -1)
        merge((a, b, c, d), (c, d, a, b), 1)
    free = sorted({find(t)[0] for t in tuples} - zero)
    column = {t: i for i, t in enumerate(free)}
    rows = []
    for a, b, c, d in tuples:  # the cyclic identity, in the surviving variables
        row: dict[int, int] = {}
        for key in ((a, b, c, d), (a, c, d, b), (a, d, b, c)):
            root, sign = find(key)
            if root in column:
                row[column[root]] = row.get(column[root], 0) + sign
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    if not free:
        return 0
    if not rows:
        return len(free)
    dense = [[sp.QQ(r.get(j, 0)) for j in range(len(free))] for r in rows]
    return len(free) - DomainMatrix(dense, (len(dense), len(free)), sp.QQ).rank()


# the catalogue, reachable as ``kexue_sym.riemann.metrics`` after ``from kexue_sym import riemann``
from . import metrics  # noqa: E402 - it imports Metric from this module
