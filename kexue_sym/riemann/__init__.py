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

A metric outside that class (``exp`` of a function, ``sqrt`` of a coordinate, symbolic
exponents, ``log``, special functions, ...) takes the *general path*: plain sympy, every
component normalised by ``cancel`` as it is computed (exact: ``cancel`` is an identity-preserving
rewrite, but with exp/roots/special functions as opaque generators a zero may go unrecognised,
which costs time, never correctness); the final results are put through ``simplify`` when they
are small enough (:data:`SIMPLIFY_MAX_OPS`).  ``Metric.path`` says which path ran.

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


#: results of the general path with at most this many operations get a closing ``simplify``
SIMPLIFY_MAX_OPS = 400


def _normal(e: sp.Expr) -> sp.Expr:
    """The general path's normal form: powsimp first (x**a * x**b = x**(a + b) holds for every
    base, principal branch; without it cancel keeps x**g, x**(1 - g), x**(2g - 2) as unrelated
    generators), then cancel."""
    return sp.cancel(sp.powsimp(e, combine="exp"))


class _Expr:
    """A sympy expression as a field element for the general path: every operation's result
    is in :func:`_normal` form (a metric component or a derivative in ``cancel`` form), so
    ``!= 0`` compares that form with 0."""

    __slots__ = ("e",)

    def __init__(self, e):
        self.e = e

    @staticmethod
    def _of(v):
        # the other operand is an element or a small integer from the curvature code
        return v.e if isinstance(v, _Expr) else sp.sympify(v, strict=True)

    def _new(self, e):
        return _Expr(_normal(e))

    def __add__(self, o):
        return self._new(self.e + self._of(o))

    __radd__ = __add__

    def __sub__(self, o):
        return self._new(self.e - self._of(o))

    def __neg__(self):
        return _Expr(-self.e)

    def __mul__(self, o):
        return self._new(self.e * self._of(o))

    __rmul__ = __mul__

    def __truediv__(self, o):
        return self._new(self.e / self._of(o))

    def __eq__(self, o):
        other = self._of(o)
        return self.e == 0 if other == 0 else _normal(self.e - other) == 0

    def __ne__(self, o):
        return not self.__eq__(o)

    __hash__ = None


class _Field:
    zero, one = _Expr(sp.Integer(0)), _Expr(sp.Integer(1))


class _GeneralEngine:
    """The general path: the metric's components as sympy expressions, ``cancel`` throughout."""

    def __init__(self, g: sp.Matrix, coords: Sequence[sp.Symbol]):
        self.n, self.coords, self.work_coords = len(coords), list(coords), list(coords)
        self.K, self.trig, self.exact = _Field, {}, False
        self.g = [[_Expr(sp.cancel(g[i, j])) for j in range(self.n)] for i in range(self.n)]

    def d(self, f: _Expr, i: int) -> _Expr:
        return _Expr(sp.cancel(sp.diff(f.e, self.coords[i])))

    def to_expr(self, f: _Expr) -> sp.Expr:
        e = sp.powsimp(sp.factor(f.e), combine="exp")
        if sp.count_ops(e) > 4 * SIMPLIFY_MAX_OPS:
            e = f.e
        if sp.count_ops(e) <= SIMPLIFY_MAX_OPS:
            e = sp.simplify(e)
        return e


@dataclass(frozen=True)
class _Trig:
    """theta -> x = cos(theta): the transformation applied to one polar coordinate."""

    theta: sp.Symbol
    x: sp.Symbol


class _RationalEngine:
    """The metric's components as elements of QQ(coords, params, jets)."""

    def __init__(self, g: sp.Matrix, coords: Sequence[sp.Symbol]):
        self.n = len(coords)
        self.coords = list(coords)
        self.chain: dict[sp.Symbol, dict] = {}  # generator -> {coordinate: its derivative}
        self.back: dict[sp.Symbol, Any] = {}    # generator -> what it stands for
        g, self.trig = self._polar_to_cos(g)
        self.work_coords = [t.x if (t := self.trig.get(c)) else c for c in self.coords]
        g = self._functions_to_jets(g)
        g = self._atoms_to_generators(g)
        found = set(g.free_symbols)
        for table in self.chain.values():
            for v in table.values():
                found |= getattr(v, "free_symbols", set())
        params = sorted(found - set(self.work_coords) - set(self.back), key=sp.default_sort_key)
        gens = self.work_coords + params + sorted(self.back, key=sp.default_sort_key)
        try:
            self.K, *self.gens = sp.field(gens, sp.QQ)
        except Exception as exc:  # noqa: BLE001 - no field for these generators
            raise NotRational(str(exc)) from None
        self.gen = dict(zip(gens, self.gens))
        try:
            self.g = [[self.K.from_expr(g[i, j]) for j in range(self.n)] for i in range(self.n)]
            # chain rule in the field: None marks a derivative beyond the jets (never needed)
            self.chain_field = {self.gen[G]: {c: (None if v is None else self.K.from_expr(v))
                                              for c, v in table.items()}
                                for G, table in self.chain.items()}
        except Exception as exc:  # noqa: BLE001 - a component is not rational in the generators
            raise NotRational(str(exc)) from None
        #: True when the generators obey no hidden algebraic relation, so that field equality
        #: is equality of functions (coordinates, parameters, cos(theta), jets only)
        self.exact = all(isinstance(v, (AppliedUndef, sp.Derivative)) for v in self.back.values())

    # -- preparation ---------------------------------------------------------------------------

    def _polar_to_cos(self, g: sp.Matrix) -> tuple[sp.Matrix, dict]:
        """theta -> x = cos(theta) where theta enters only through cos and sin^2 (and has no
        off-diagonal components); other trigonometric coordinates are left to
        :meth:`_atoms_to_generators`."""
        trig: dict[sp.Symbol, _Trig] = {}
        for c in self.coords:
            if not g.has(sp.sin(c), sp.cos(c)):
                continue
            # a Dummy: a user's own symbol named cos_theta must not be mistaken for it
            s, x = sp.Dummy("s"), sp.Dummy(f"cos_{c}", real=True)
            h = g.applyfunc(lambda e: e.subs({sp.sin(c): s, sp.cos(c): x}))
            k = self.coords.index(c)
            if (h.has(c) or (h.subs(s, -s) - h).applyfunc(sp.expand) != sp.zeros(self.n)
                    or any(g[k, j] != 0 for j in range(self.n) if j != k)):
                continue
            h = h.applyfunc(lambda e: sp.expand(e).subs(s**2, 1 - x**2))
            if h.has(s):
                continue
            h[k, k] = h[k, k] / (1 - x**2)  # d theta = -dx / sin(theta)
            trig[c] = _Trig(c, x)
            g = h
        return g, trig

    def _atoms_to_generators(self, g: sp.Matrix) -> sp.Matrix:
        """exp(u), u**(p/q) and sin(u)/cos(u), u rational in the coordinates and parameters,
        become generators with their derivatives in :attr:`chain`.  Algebraic relations
        between them (sqrt(u)^2 = u, sin^2 + cos^2 = 1) are not known to the field: results
        stay exact but may not be in lowest terms, so such metrics are computed, not used as
        proofs."""
        replace: dict[Any, sp.Symbol] = {}
        work = set(self.work_coords)
        count = itertools.count()
        # hyperbolic functions through exp, the other trigonometric ones through sin and cos
        g = g.applyfunc(lambda e: e.rewrite(sp.exp) if e.has(sp.sinh, sp.cosh, sp.tanh) else e)
        ratios = {sp.tan: lambda u: sp.sin(u) / sp.cos(u), sp.cot: lambda u: sp.cos(u) / sp.sin(u),
                  sp.sec: lambda u: 1 / sp.cos(u), sp.csc: lambda u: 1 / sp.sin(u)}
        g = g.xreplace({a: ratios[type(a)](a.args[0])
                        for a in g.atoms(sp.tan, sp.cot, sp.sec, sp.csc)})

        def rational(u):
            return not u.atoms(sp.Function, sp.Pow) or all(
                isinstance(p, sp.Pow) and p.exp.is_Integer for p in u.atoms(sp.Pow)) and \
                not u.atoms(sp.Function)

        def total(u, c):
            """du/dc through the jets of the metric functions in u (the chain rule):
            exp(2 x f(x)) differentiates to exp(2 x f) (2 f + 2 x f_x), not exp(2 x f) 2 f."""
            out = sp.diff(u, c)
            for G in u.free_symbols & set(self.chain):
                partial = sp.diff(u, G)
                if partial == 0 or c not in self.chain[G]:
                    continue
                if self.chain[G][c] is None:
                    raise NotRational("a third derivative of a metric function would be needed")
                out += partial * self.chain[G][c]
            return out

        varying = work | set(self.chain)  # coordinates and the jets of metric functions
        for atom in sorted(g.atoms(sp.exp, sp.Pow, sp.sin, sp.cos), key=sp.default_sort_key):
            if not atom.free_symbols & varying:  # sin(2 f(x)) varies too: a generator
                continue
            if isinstance(atom, sp.Pow):
                if atom.exp.is_Integer:
                    continue
                base, expo = atom.base, atom.exp
                if not (expo.is_Rational and rational(base)):
                    raise NotRational(f"{atom}")
                sym = sp.Dummy(f"pow{next(count)}")
                replace[atom] = sym
                self.chain[sym] = {c: expo * sym / base * total(base, c) for c in work}
                self.back[sym] = atom
            elif isinstance(atom, sp.exp):
                u = atom.args[0]
                if not rational(u):
                    raise NotRational(f"{atom}")
                sym = sp.Dummy(f"exp{next(count)}")
                replace[atom] = sym
                self.chain[sym] = {c: sym * total(u, c) for c in work}
                self.back[sym] = atom
            else:
                u = atom.args[0]
                if not rational(u):
                    raise NotRational(f"{atom}")
                k = next(count)
                sn, cs = sp.Dummy(f"sin{k}"), sp.Dummy(f"cos{k}")
                replace[sp.sin(u)], replace[sp.cos(u)] = sn, cs
                self.chain[sn] = {c: cs * total(u, c) for c in work}
                self.chain[cs] = {c: -sn * total(u, c) for c in work}
                self.back[sn], self.back[cs] = sp.sin(u), sp.cos(u)
        return g.xreplace(replace)

    def _functions_to_jets(self, g: sp.Matrix) -> sp.Matrix:
        """F(u, v) -> generators F, F_u, F_v, F_uu, F_uv, F_vv (order <= 2), with the chain
        rule d_u F = F_u ... in :attr:`chain` (a third derivative is never needed)."""
        replace: dict[Any, sp.Symbol] = {}
        work = set(self.work_coords)
        if g.has(sp.Derivative):
            raise NotRational("derivatives inside the metric")
        jets: dict[tuple, sp.Dummy] = {}
        for f in sorted(g.atoms(AppliedUndef), key=str):
            if not set(f.args) <= work or len(set(f.args)) != len(f.args):
                raise NotRational(f"{f} is not a function of distinct coordinates")
            name = f.func.__name__

            def jet(combo, f=f, name=name):
                # Dummies: a plain Symbol("f") beside the function f(r) must stay apart
                key = (f, combo)
                if key not in jets:
                    jets[key] = sp.Dummy(name + ("_" + "".join(map(str, combo)) if combo else ""))
                return jets[key]

            for order in range(3):
                for combo in itertools.combinations_with_replacement(f.args, order):
                    sym = jet(combo)
                    self.back[sym] = sp.Derivative(f, *combo) if combo else f
                    self.chain[sym] = {
                        c: (jet(tuple(sorted(combo + (c,), key=f.args.index))) if order < 2
                            else None) for c in f.args}
            replace[f] = jet(())
        return g.xreplace(replace)

    def _with_sines(self, factored) -> sp.Expr:
        """Rebuild a factored polynomial, turning (x - 1)^m (x + 1)^m into (-sin^2 theta)^m."""
        coeff, factors = factored
        powers = {base: exp for base, exp in factors}
        out = sp.Integer(coeff)
        for t in self.trig.values():
            lo, hi = t.x - 1, t.x + 1
            m = min(powers.get(lo, 0), powers.get(hi, 0))
            if m:
                powers[lo] -= m
                powers[hi] -= m
                out *= (-1) ** m * sp.sin(t.theta) ** (2 * m)
        return out * sp.Mul(*[b ** e for b, e in powers.items()])

    # -- calculus in the field -----------------------------------------------------------------

    def d(self, f, i: int):
        """Total derivative along work coordinate i (chain rule through the generators)."""
        c = self.work_coords[i]
        out = f.diff(self.gen[c])
        for G, table in self.chain_field.items():
            if c not in table:
                continue
            df = f.diff(G)
            if df == 0:
                continue
            if table[c] is None:
                raise NotRational("a third derivative of a metric function was needed")
            out += df * table[c]
        return out

    def to_expr(self, f) -> sp.Expr:
        """Back to sympy, in the caller's coordinates (cos(theta) for x, derivatives for jets)."""
        num, den = (self._with_sines(sp.factor_list(p.as_expr())) for p in (f.numer, f.denom))
        e = num / den
        back = dict(self.back)
        back.update({t.x: sp.cos(t.theta) for t in self.trig.values()})
        # twice: a generator stands for exp/sin/... of an expression in the jets, cos(theta)
        e = e.xreplace(back).xreplace(back)
        if not self.exact:  # exp / roots / trig generators: let sympy use their relations
            return sp.simplify(e)
        return e


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
        self.gamma = [[[sum((self.ginv[a][d] * (dg[d][c][b] + dg[d][b][c] - dg[b][c][d])
                             for d in range(n) if self.ginv[a][d] != 0), zero) * half
                        for c in range(n)] for b in range(n)] for a in range(n)]
        G = self.gamma
        # R^a_{b c d} for c < d only (antisymmetric in the last pair)
        self.R_up = {}
        for a, b, c, d in itertools.product(range(n), repeat=4):
            if c >= d:
                continue
            val = engine.d(G[a][d][b], c) - engine.d(G[a][c][b], d)
            val += sum((G[a][c][e] * G[e][d][b] - G[a][d][e] * G[e][c][b] for e in range(n)), zero)
            if val != 0:
                self.R_up[a, b, c, d] = val
        self.R_down = {}
        for (e, b, c, d), val in self.R_up.items():
            for a in range(n):
                if g[a][e] != 0:
                    self.R_down[a, b, c, d] = self.R_down.get((a, b, c, d), zero) + g[a][e] * val
        self.R_down = {k: v for k, v in self.R_down.items() if v != 0}

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
        n, zero = self.e.n, self.e.K.zero
        Ric = self.ricci_field
        return sum((self.ginv[a][b] * Ric[a][b] for a in range(n) for b in range(n)
                    if self.ginv[a][b] != 0), zero)

    @cached_property
    def kretschmann_field(self):
        """R_{abcd} R^{abcd}, raising one index at a time over the sparse inverse metric."""
        n, zero, gi = self.e.n, self.e.K.zero, self.ginv
        tensor = {}  # every non-zero R_{abcd}: the stored c < d ones and their partners
        for (a, b, c, d), v in self.R_down.items():
            tensor[a, b, c, d], tensor[a, b, d, c] = v, -v
        for slot in range(4):
            raised = {}
            for idx, v in tensor.items():
                for m in range(n):
                    if gi[m][idx[slot]] != 0:
                        key = idx[:slot] + (m,) + idx[slot + 1:]
                        raised[key] = raised.get(key, zero) + gi[m][idx[slot]] * v
            tensor = {k: v for k, v in raised.items() if v != 0}
        return sum((self._riemann_down(*idx) * v for idx, v in tensor.items()), zero)

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
        if (g - g.T).applyfunc(sp.expand) != sp.zeros(g.rows):
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
            engine = _RationalEngine(self.g, self.coords)
            self.path = "rational"
        except NotRational:
            # exp of a function, radicals, symbolic powers, special functions: plain sympy
            engine = _GeneralEngine(self.g, self.coords)
            self.path = "general"
        return Curvature(engine)

    #: which path computed the curvature: "rational" (the exact field) or "general" (sympy
    #: with cancel on every component); set on first use
    path: str = ""

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
