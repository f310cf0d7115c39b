"""The curvature engine against known invariants, limiting cases and sympy.diffgeom."""
import pytest
import sympy as sp

from kexue_sym.riemann import Metric, independent_components
from kexue_sym.riemann import metrics as cat
from kexue_sym.riemann.metrics import H, M, Q, a, k, r, t


def _zero(e):
    return sp.simplify(sp.factor(e)) == 0


@pytest.mark.parametrize("n", [2, 3, 4])
def test_sphere_scalar_curvature(n):
    R = sp.Symbol("R", positive=True)
    assert _zero(cat.sphere(n).ricci_scalar() - n * (n - 1) / R**2)


def test_two_sphere_matches_the_article():
    m = cat.sphere(2, 1)
    chi = sp.Symbol("chi1", real=True)
    assert m.riemann() == {(0, 1, 0, 1): sp.sin(chi) ** 2}
    G = m.christoffel()
    assert _zero(G[0][1][1] + sp.sin(chi) * sp.cos(chi)) and _zero(G[1][0][1] - sp.cot(chi))
    assert m.ricci() == m.g


def test_two_sphere_mixed_components_match_the_article():
    chi = sp.Symbol("chi1", real=True)
    assert cat.sphere(2, 1).riemann_mixed() == {(0, 1, 0, 1): sp.sin(chi) ** 2,
                                                (1, 0, 0, 1): -1}


def test_three_sphere_constant_curvature():
    m = cat.sphere(3, 1)
    g = m.g
    for (i, j, kk, l), v in m.riemann().items():
        assert _zero(v - (g[i, kk] * g[j, l] - g[i, l] * g[j, kk]))
    assert len(m.riemann()) == 3


def test_conformal_metric_corrected_value():
    """The article printed -lap f / f + ...; the correct value is R^0_101 = -lap(ln f) / 2."""
    m = cat.conformal_2d()
    x0, x1 = sp.symbols("x0 x1", real=True)
    f = sp.Function("f")(x0, x1)
    K = -(sp.diff(sp.log(f), x0, 2) + sp.diff(sp.log(f), x1, 2)) / (2 * f)
    assert _zero(m.ricci_scalar() - 2 * K)
    article = -sp.diff(f, x0, 2) / f - sp.diff(f, x1, 2) / f + sp.diff(f, x0) ** 2 / (2 * f**2) \
        + sp.diff(f, x1) ** 2 / (2 * f**2)
    R0101_up = m.riemann()[(0, 1, 0, 1)] / f
    assert not _zero(R0101_up - article)


def test_poincare_and_minkowski():
    assert cat.poincare_half_plane().ricci_scalar() == -2
    m = cat.minkowski(4)
    assert m.riemann() == {} and m.kretschmann() == 0


def test_schwarzschild():
    m = cat.schwarzschild()
    assert m.ricci() == sp.zeros(4)
    assert _zero(m.kretschmann() - 48 * M**2 / r**6)


def test_reissner_nordstrom_and_its_limit():
    m = cat.reissner_nordstrom()
    assert m.ricci_scalar() == 0
    assert _zero(m.kretschmann() - 8 * (6 * M**2 * r**2 - 12 * M * Q**2 * r + 7 * Q**4) / r**8)
    assert m.g.subs(Q, 0) == cat.schwarzschild().g


def test_tangherlini_is_ricci_flat_and_reduces_to_schwarzschild():
    assert cat.tangherlini(5).ricci() == sp.zeros(5)
    assert cat.tangherlini(4).g.subs(M, 2 * M) == cat.schwarzschild().g


def test_de_sitter_einstein_space():
    m = cat.de_sitter()
    assert m.ricci_scalar() == 12 * H**2
    assert (m.ricci() - 3 * H**2 * m.g).applyfunc(sp.simplify) == sp.zeros(4)


def test_flrw_scalar():
    A = sp.Function("a")(t)
    expected = 6 * (A * A.diff(t, 2) + A.diff(t) ** 2 + k) / A**2
    assert _zero(cat.flrw().ricci_scalar() - expected)


def test_kerr_kretschmann_closed_form_and_limit():
    m = cat.kerr()
    assert _zero(m.kretschmann() - cat.kerr_kretschmann())
    assert (m.g.subs(a, 0) - cat.schwarzschild().g).applyfunc(sp.simplify) == sp.zeros(4)


@pytest.mark.parametrize("n, expected", [(1, 0), (2, 1), (3, 6), (4, 20), (5, 50)])
def test_independent_components_by_linear_algebra(n, expected):
    assert independent_components(n) == expected == n**2 * (n**2 - 1) // 12


def test_against_sympy_diffgeom():
    """An independent implementation: sympy.diffgeom on a metric not in the catalogue."""
    from sympy.diffgeom import CoordSystem, Manifold, Patch, TensorProduct
    from sympy.diffgeom import metric_to_Riemann_components

    u, v = sp.symbols("u v", real=True)
    g = sp.Matrix([[1 + u**2, u * v], [u * v, 2 + v**2]])
    mine = Metric(g, [u, v])
    man = Manifold("M", 2)
    cs = CoordSystem("c", Patch("P", man), [u, v])
    U, V = cs.coord_functions()  # diffgeom differentiates its own coordinate functions
    du, dv = cs.base_oneforms()
    form = ((1 + U**2) * TensorProduct(du, du) + U * V * TensorProduct(du, dv)
            + U * V * TensorProduct(dv, du) + (2 + V**2) * TensorProduct(dv, dv))
    ref = metric_to_Riemann_components(form)
    subs = {U: u, V: v}
    R0101_down = sum(g[0, e] * ref[e, 1, 0, 1].subs(subs) for e in range(2))
    assert _zero(mine.riemann()[(0, 1, 0, 1)] - R0101_down)


@pytest.mark.parametrize("bad, message", [
    (sp.Matrix([[1, 2, 3]]), "square"),
    (sp.Matrix([[1, 2], [3, 4]]), "symmetric"),
    (sp.eye(3), "coordinates"),
])
def test_bad_metrics(bad, message):
    u, v = sp.symbols("u v")
    with pytest.raises(ValueError, match=message):
        Metric(bad, [u, v])


def test_degenerate_metric():
    u, v = sp.symbols("u v")
    with pytest.raises(ZeroDivisionError, match="degenerate"):
        Metric(sp.Matrix([[1, u], [u, u**2]]), [u, v]).ricci_scalar()


def test_log_and_besselj_are_field_generators_abs_and_floats_take_the_general_path():
    """log(u) du^2 + dv^2 is flat (s = int sqrt(log u) du makes it ds^2 + dv^2); besselj is a
    generator with sympy's own derivative (J0' = -J1, ...), and du^2 + J0(u)^2 dv^2 has scalar
    -2 G''/G for G = J0 (Gauss curvature of du^2 + G^2 dv^2, G'' from sympy's diff, not the
    engine).  Abs and floats are outside the field: the general path, which says why."""
    u, v = sp.symbols("u v")
    m = Metric(sp.diag(sp.log(u), 1), [u, v])
    assert m.ricci_scalar() == 0 and m.path == "field" and m.generators == [sp.log(u)]
    G = sp.besselj(0, u)
    bessel = Metric(sp.diag(1, G ** 2), [u, v])
    R = bessel.ricci_scalar()
    assert bessel.path == "field" and G in bessel.generators and not bessel.curvature.e.exact
    assert sp.simplify(R + 2 * sp.diff(G, u, 2) / G) == 0
    flat = Metric(sp.diag(1, 1 + sp.Abs(v)), [u, v])
    assert flat.ricci_scalar() == 0 and flat.path == "general" and "Abs" in flat.general_reason
    floats = Metric(sp.diag(1, u ** 2.5), [u, v])
    R = floats.ricci_scalar()
    assert floats.path == "general" and "floating-point" in floats.general_reason
    assert abs(sp.N(R.subs(u, 3)) - sp.Float(-0.625) / 9) < 1e-12  # G = u^1.25: -2 G''/G
    sphere = Metric(sp.diag(1, sp.sin(u) ** 2), [u, v])
    assert sphere.ricci_scalar() == 2 and sphere.path == "rational"


def test_radicals_are_exact_field_generators():
    """Painleve-Gullstrand coordinates of Schwarzschild (sqrt(2M/r) off the diagonal) and
    Schwarzschild in Kerr-Schild Cartesian coordinates (r = sqrt(x^2 + y^2 + z^2)): vacuum,
    Kretschmann 48 M^2 / r^6, both decided in the field (no simplify), which is exact here."""
    t, r, th, ph, x, y, z = sp.symbols("t r theta phi x y z", real=True)
    M = sp.Symbol("M", positive=True)
    s = sp.sqrt(2 * M / r)
    pg = Metric(sp.Matrix([[-(1 - 2 * M / r), s, 0, 0], [s, 1, 0, 0], [0, 0, r ** 2, 0],
                           [0, 0, 0, r ** 2 * sp.sin(th) ** 2]]), [t, r, th, ph])
    assert pg.ricci_scalar() == 0 and pg.path == "field" and pg.curvature.e.exact
    assert sp.cancel(pg.kretschmann() - 48 * M ** 2 / r ** 6) == 0
    R = sp.sqrt(x ** 2 + y ** 2 + z ** 2)
    ell = [1, x / R, y / R, z / R]
    ks = Metric(sp.diag(-1, 1, 1, 1) + (2 * M / R) * sp.Matrix(4, 4, lambda i, j: ell[i] * ell[j]),
                [t, x, y, z])
    assert ks.ricci() == sp.zeros(4, 4) and ks.curvature.e.exact
    assert sp.cancel(ks.kretschmann() - 48 * M ** 2 / (x ** 2 + y ** 2 + z ** 2) ** 3) == 0


def test_exp_of_a_function_agrees_with_the_jet_path():
    """Morris-Thorne with exp(2 Phi(r)) (field path) against the same metric written with a
    function A(r) (rational path), then A = exp(2 Phi) substituted."""
    t, r, th, ph = sp.symbols("t r theta phi")
    Phi, A, b = sp.Function("Phi"), sp.Function("A"), sp.Function("b")
    spatial = [1 / (1 - b(r) / r), r ** 2, r ** 2 * sp.sin(th) ** 2]
    field = Metric(sp.diag(-sp.exp(2 * Phi(r)), *spatial), [t, r, th, ph])
    rational = Metric(sp.diag(-A(r), *spatial), [t, r, th, ph])
    difference = field.ricci_scalar() - rational.ricci_scalar().subs(A(r), sp.exp(2 * Phi(r)))
    assert field.path == "field" and rational.path == "rational"
    assert sp.simplify(difference.doit()) == 0


@pytest.mark.parametrize("G2", [
    sp.exp(sp.Symbol("u")), sp.exp(2 * sp.Symbol("u")), sp.exp(sp.Symbol("u") / 2),
    sp.exp(sp.Symbol("u")) + sp.exp(sp.Symbol("u") / 3),
    sp.sqrt(1 + sp.sqrt(sp.Symbol("u"))), sp.Symbol("u") ** sp.Symbol("p"),
    sp.log(sp.Symbol("u")) ** 2, sp.cos(sp.Symbol("u")) ** 2 + 2,
])
def test_field_generators_against_gauss_curvature(G2):
    """du^2 + G(u)^2 dv^2 has R = -2 G''/G; here G'' comes from sympy's diff of sqrt(G2) and the
    difference is decided numerically at three points (50 digits), independent of the engine's
    chain rule."""
    u, v = sp.symbols("u v")
    m = Metric(sp.diag(1, G2), [u, v])
    R = m.ricci_scalar()
    G = sp.sqrt(G2)
    expected = -2 * sp.diff(G, u, 2) / G
    assert m.path != "general"  # cos(u)^2 + 2 becomes rational in x = cos(u)
    for point in ({u: sp.Rational(3, 7)}, {u: sp.Rational(5, 4)}, {u: sp.Rational(9, 5)}):
        point[sp.Symbol("p")] = sp.Rational(2, 3)
        assert abs(sp.N((R - expected).subs(point), 50)) < 1e-40


def test_independent_radicals():
    """The field's exactness flag: sqrt(x) and sqrt(x y^2) are dependent (their quotient
    sqrt(y^2) is not a generator of its own), sqrt(x) and sqrt(y) are not."""
    from kexue_sym.riemann import _FieldEngine
    x, y = sp.symbols("x y")
    assert _FieldEngine(sp.diag(sp.sqrt(x), sp.sqrt(y)), [x, y]).exact
    assert not _FieldEngine(sp.diag(sp.sqrt(x), sp.sqrt(x * y ** 2) + 1), [x, y]).exact


u_, v_ = sp.symbols("u v", real=True)


@pytest.mark.parametrize("g, coords, expected", [
    # K = -G''/G for du^2 + G(u)^2 dv^2, worked by hand
    (sp.diag(1, sp.sinh(u_) ** 2), [u_, v_], -2),                      # hyperbolic plane
    (sp.diag(1, sp.tan(u_) ** 2), [u_, v_], -4 / sp.cos(u_) ** 2),     # G = tan u
    (sp.diag(1, sp.sqrt(1 + u_**2)), [u_, v_], (u_**2 - 2) / (2 * (1 + u_**2) ** 2)),
    (sp.diag(-1, *[sp.exp(2 * H * t)] * 3), [t, *sp.symbols("x y z", real=True)], 12 * H**2),
])
def test_metrics_with_exp_roots_and_trig(g, coords, expected):
    assert _zero(Metric(g, coords).ricci_scalar() - expected)


def test_catalogue_is_an_attribute():
    from kexue_sym import riemann
    assert riemann.metrics.__name__ == "kexue_sym.riemann.metrics"
