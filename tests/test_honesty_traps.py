"""The honesty table, part 2: the traps of issue 12, classes 1 and 2.

Class 1: sympy "evaluates" an integral, sum, product or limit, and is wrong where an
antiderivative jumps inside the interval, an integral diverges, or a pole sits on the path.
Class 2: false claims that sampling misses unless it is careful: (a) a gap far below the working
precision, (b) a counterexample outside a small sampling box, (c) a claim false only on a thin
set (breakpoints of sign/Abs/floor/Heaviside/Piecewise/Max/Min, branch cuts, isolated points).

Every false row must come out REFUTED or UNDECIDED, never PROVED or CHECKED; every true row
must not be REFUTED.  Expected verdicts are written from the mathematics (the true value of
each integral is in the row's name or right-hand side), not from the checker's output.
"""
import pytest
import sympy as sp

from kexue_sym.verdict import Status
from test_honesty import EQ, LE, assert_verdict_in

x, y = sp.symbols("x y")                      # complex
a, b, t = sp.symbols("a b t", real=True)
p = sp.Symbol("p", positive=True)
n, k = sp.symbols("n k", integer=True, positive=True)
m = sp.Symbol("m", integer=True)
I, S, Pr, L = sp.Integral, sp.Sum, sp.Product, sp.Limit
pi, oo = sp.pi, sp.oo
tiny = lambda e: sp.Rational(1, 10**e)  # noqa: E731

P, C, R, U = Status.PROVED, Status.CHECKED, Status.REFUTED, Status.UNDECIDED
F_ = {R}          # false, and an exact or re-checked counterexample exists in reach
F_HARD = {R, U}   # false, but divergent / a limit: honest UNDECIDED is allowed
T_ = {P, C}       # true, decidable by the engine's stages
T_HARD = {P, C, U}

# (id, class, relation, lhs, rhs, allowed, options)
TRAPS = [
    # --- class 1: evaluations sympy gets wrong, and their true counterparts ----------------------
    ("atan(tan t) on [0, pi] = -pi^2/2 (sympy's value)", 1, EQ,
     I(sp.atan(sp.tan(t)), (t, 0, pi)), -pi**2 / 2, F_, {}),
    ("atan(tan t) on [0, pi] = 0", 1, EQ, I(sp.atan(sp.tan(t)), (t, 0, pi)), 0, T_, {}),
    ("1/(2 + cos t) on [0, 2pi] = 0 (jumping antiderivative)", 1, EQ,
     I(1 / (2 + sp.cos(t)), (t, 0, 2 * pi)), 0, F_, {}),
    ("1/(2 + cos t) on [0, 2pi] = 2pi/sqrt 3", 1, EQ,
     I(1 / (2 + sp.cos(t)), (t, 0, 2 * pi)), 2 * pi / sp.sqrt(3), T_, {}),
    ("1/(1 + sin^2 t) on [0, 2pi] = 0", 1, EQ, I(1 / (1 + sp.sin(t)**2), (t, 0, 2 * pi)), 0, F_, {}),
    ("1/(1 + sin^2 t) on [0, 2pi] = sqrt 2 pi", 1, EQ,
     I(1 / (1 + sp.sin(t)**2), (t, 0, 2 * pi)), sp.sqrt(2) * pi, T_, {}),
    ("1/(5 - 4 cos t) on [0, 2pi] = 2pi/3", 1, EQ,
     I(1 / (5 - 4 * sp.cos(t)), (t, 0, 2 * pi)), 2 * pi / 3, T_, {}),
    ("1/(5 - 4 cos t) on [0, 2pi] = 0", 1, EQ, I(1 / (5 - 4 * sp.cos(t)), (t, 0, 2 * pi)), 0, F_, {}),
    ("1/t^2 on [-1, 1] = -2 (divergent)", 1, EQ, I(1 / t**2, (t, -1, 1)), -2, F_HARD,
     {"timeout": 4}),
    ("1/t on [-1, 1] = 0 (only a principal value)", 1, EQ, I(1 / t, (t, -1, 1)), 0, F_HARD,
     {"timeout": 4}),
    ("tan t on [0, pi] = 0 (divergent)", 1, EQ, I(sp.tan(t), (t, 0, pi)), 0, F_HARD, {"timeout": 4}),
    ("|sin t| on [0, 2pi] = 4", 1, EQ, I(sp.Abs(sp.sin(t)), (t, 0, 2 * pi)), 4, T_, {}),
    ("|sin t| on [0, 2pi] = 0", 1, EQ, I(sp.Abs(sp.sin(t)), (t, 0, 2 * pi)), 0, F_, {}),
    ("sqrt(1 - cos^2 t) on [0, 2pi] = 0", 1, EQ,
     I(sp.sqrt(1 - sp.cos(t)**2), (t, 0, 2 * pi)), 0, F_HARD, {}),
    ("sqrt(1 - cos^2 t) on [0, 2pi] = 4", 1, EQ,
     I(sp.sqrt(1 - sp.cos(t)**2), (t, 0, 2 * pi)), 4, T_HARD, {}),
    ("Gaussian integral = sqrt pi", 1, EQ, I(sp.exp(-t**2), (t, -oo, oo)), sp.sqrt(pi), {P}, {}),
    ("Gaussian integral = pi", 1, EQ, I(sp.exp(-t**2), (t, -oo, oo)), pi, F_, {}),
    ("Dirichlet integral = pi/2", 1, EQ, I(sp.sin(t) / t, (t, 0, oo)), pi / 2, T_HARD, {}),
    ("Cauchy density = pi", 1, EQ, I(1 / (1 + t**2), (t, -oo, oo)), pi, {P}, {}),
    ("Cauchy density = 2 pi", 1, EQ, I(1 / (1 + t**2), (t, -oo, oo)), 2 * pi, F_, {}),
    ("t e^-t on [0, oo) = 1", 1, EQ, I(t * sp.exp(-t), (t, 0, oo)), 1, {P}, {}),
    ("sign t on [-1, 2] = 1", 1, EQ, I(sp.sign(t), (t, -1, 2)), 1, T_, {}),
    ("sign t on [-1, 2] = 3", 1, EQ, I(sp.sign(t), (t, -1, 2)), 3, F_, {}),
    ("floor t on [0, 3] = 3", 1, EQ, I(sp.floor(t), (t, 0, 3)), 3, T_HARD, {}),
    ("floor t on [0, 3] = 9/2", 1, EQ, I(sp.floor(t), (t, 0, 3)), sp.Rational(9, 2), F_HARD, {}),
    ("1/(1 + t^2) on [0, p] = atan p", 1, EQ, I(1 / (1 + t**2), (t, 0, p)), sp.atan(p), {P}, {}),
    ("1/(1 + t^2) on [0, p] = atan p + 1e-40", 1, EQ,
     I(1 / (1 + t**2), (t, 0, p)), sp.atan(p) + tiny(40), F_, {}),
    ("Basel sum = pi^2/6", 1, EQ, S(1 / k**2, (k, 1, oo)), pi**2 / 6, T_, {}),
    ("Basel sum = pi^2/5", 1, EQ, S(1 / k**2, (k, 1, oo)), pi**2 / 5, F_, {}),
    ("alternating harmonic = log 2", 1, EQ, S((-1)**(k + 1) / k, (k, 1, oo)), sp.log(2), T_, {}),
    ("alternating harmonic = -log 2", 1, EQ, S((-1)**(k + 1) / k, (k, 1, oo)), -sp.log(2), F_, {}),
    ("sum k to n = n(n+1)/2", 1, EQ, S(k, (k, 1, n)), n * (n + 1) / 2, {P}, {}),
    ("sum k to n = n(n-1)/2", 1, EQ, S(k, (k, 1, n)), n * (n - 1) / 2, F_, {}),
    ("sum 1/(k(k+1)) to n = 1 - 1/(n+1)", 1, EQ, S(1 / (k * (k + 1)), (k, 1, n)), 1 - 1 / (n + 1),
     T_, {}),
    ("sum 1/(k(k+1)) to n = 1 - 1/n", 1, EQ, S(1 / (k * (k + 1)), (k, 1, n)), 1 - 1 / n, F_, {}),
    ("geometric series of 1/2 = 1", 1, EQ, S(sp.Rational(1, 2)**k, (k, 1, oo)), 1, T_, {}),
    ("telescoping product = n + 1", 1, EQ, Pr(1 + 1 / k, (k, 1, n)), n + 1, T_, {}),
    ("telescoping product = n", 1, EQ, Pr(1 + 1 / k, (k, 1, n)), n, F_, {}),
    ("limit sin t / t = 1", 1, EQ, L(sp.sin(t) / t, t, 0), 1, T_HARD, {}),
    ("limit sin t / t = 0", 1, EQ, L(sp.sin(t) / t, t, 0), 0, F_HARD, {}),
    ("limit (1 + 1/t)^t = e", 1, EQ, L((1 + 1 / t)**t, t, oo), sp.E, T_HARD, {}),
    ("limit (1 + 1/t)^t = e + 1e-50", 1, EQ, L((1 + 1 / t)**t, t, oo), sp.E + tiny(50), F_HARD, {}),
    # --- class 2a: gaps below any fixed working precision ----------------------------------------
    ("exp(a) = (1 + 1e-60) exp(a)", "2a", EQ, sp.exp(a), (1 + tiny(60)) * sp.exp(a), F_, {}),
    ("pi = pi + 1e-50", "2a", EQ, pi, pi + tiny(50), F_, {}),
    ("sqrt 2 = its 60-digit decimal", "2a", EQ, sp.sqrt(2),
     sp.Rational(141421356237309504880168872420969807856967187537694807317667, 10**59), F_, {}),
    ("e^(pi sqrt 163) = its 32-digit decimal", "2a", EQ, sp.exp(pi * sp.sqrt(163)),
     sp.Rational(26253741264076874399999999999925, 10**14), F_, {}),
    ("log(1 + 1e-80) = 1e-80", "2a", EQ, sp.log(1 + tiny(80)), tiny(80), F_, {}),
    ("sin p = sin p + 1e-70", "2a", EQ, sp.sin(p), sp.sin(p) + tiny(70), F_, {}),
    ("a (1 + 1e-100) = a", "2a", EQ, a * (1 + tiny(100)), a, F_, {}),
    ("cos(1e-30) = 1", "2a", EQ, sp.cos(tiny(30)), 1, F_, {}),
    ("atan p + atan(1/p) = pi/2 + 1e-55", "2a", EQ, sp.atan(p) + sp.atan(1 / p), pi / 2 + tiny(55),
     F_, {}),
    ("x^3000 = 2 x^3000 (a huge witness)", "2a", EQ, x**3000, 2 * x**3000, F_, {}),
    ("e^pi - pi = 19.999099979189475767", "2a", EQ, sp.exp(pi) - pi,
     sp.Rational(19999099979189475767, 10**18), F_, {}),
    ("gamma(1/2)^2 = pi", "2a", EQ, sp.gamma(sp.Rational(1, 2))**2, pi, T_, {}),
    ("Max(a, 2 - a) >= 1 + 1e-30", "2a", LE, 1 + tiny(30), sp.Max(a, 2 - a), F_, {}),
    ("|a + 1| + |a - 1| >= 2 + 1e-40", "2a", LE, 2 + tiny(40), sp.Abs(a + 1) + sp.Abs(a - 1), F_, {}),
    ("2 floor(a/2) <= a - 1e-30", "2a", LE, 2 * sp.floor(a / 2), a - tiny(30), F_, {}),
    # --- class 2b: counterexamples outside a small box -------------------------------------------
    ("Min(p, 1000) = p", "2b", EQ, sp.Min(p, 1000), p, F_, {}),
    ("Min(n, 1000) = n, n a positive integer", "2b", EQ, sp.Min(n, 1000), n, F_, {}),
    ("Max(a, -1000) = a", "2b", EQ, sp.Max(a, -1000), a, F_, {}),
    ("Min(p, 10^20) = p", "2b", EQ, sp.Min(p, 10**20), p, F_, {}),
    ("Min(p, 1e-25) = 1e-25", "2b", EQ, sp.Min(p, tiny(25)), tiny(25), F_, {}),
    ("floor(p / 1000) = 0", "2b", EQ, sp.floor(p / 1000), 0, F_, {}),
    ("Heaviside(a - 500) = 0", "2b", EQ, sp.Heaviside(a - 500), 0, F_, {}),
    ("Heaviside(a - 10^12) = 0", "2b", EQ, sp.Heaviside(a - 10**12), 0, F_, {}),
    ("|a - 10^6| = 10^6 - a", "2b", EQ, sp.Abs(a - 10**6), 10**6 - a, F_, {}),
    ("Min(1, exp(-p/10^8) + 1/2) = 1", "2b", EQ, sp.Min(1, sp.exp(-p / 10**8) + sp.Rational(1, 2)),
     1, F_, {}),
    ("Mod(n, 1000) = n", "2b", EQ, sp.Mod(n, 1000), n, F_, {}),
    ("Min(m, 25) = m, m an integer", "2b", EQ, sp.Min(m, 25), m, F_, {}),
    ("Max(m, -25) = m", "2b", EQ, sp.Max(m, -25), m, F_, {}),
    ("Min(m, 10^7) = m", "2b", EQ, sp.Min(m, 10**7), m, F_, {}),
    ("Min(n, 10^9) = n", "2b", EQ, sp.Min(n, 10**9), n, F_, {}),
    ("Max(m, -10^8) = m", "2b", EQ, sp.Max(m, -10**8), m, F_, {}),
    # --- class 2c: false only on a thin set, and true neighbours ---------------------------------
    ("sign(a)^2 = 1 (false at 0)", "2c", EQ, sp.sign(a)**2, 1, F_, {}),
    ("sign(a - 3)^2 = 1 (false at 3)", "2c", EQ, sp.sign(a - 3)**2, 1, F_, {}),
    ("sign(a^2 - 2)^2 = 1 (false at +-sqrt 2)", "2c", EQ, sp.sign(a**2 - 2)**2, 1, F_, {}),
    ("|sign a| = 1 (false at 0)", "2c", EQ, sp.Abs(sp.sign(a)), 1, F_, {}),
    ("sign(a) |a| = a", "2c", EQ, sp.sign(a) * sp.Abs(a), a, T_, {}),
    ("floor(a) + floor(-a) = -1 (false at integers)", "2c", EQ, sp.floor(a) + sp.floor(-a), -1, F_, {}),
    ("ceiling(a) - floor(a) = 1 (false at integers)", "2c", EQ, sp.ceiling(a) - sp.floor(a), 1, F_, {}),
    ("floor(p) = ceiling(p) - 1", "2c", EQ, sp.floor(p), sp.ceiling(p) - 1, F_, {}),
    ("floor(a + 1) = floor(a) + 1", "2c", EQ, sp.floor(a + 1), sp.floor(a) + 1, T_, {}),
    ("frac(a) + frac(-a) = 1 (false at integers)", "2c", EQ, sp.frac(a) + sp.frac(-a), 1, F_, {}),
    ("frac(a) = a - floor(a)", "2c", EQ, sp.frac(a), a - sp.floor(a), T_, {}),
    ("Mod(a, 1) = a - floor(a)", "2c", EQ, sp.Mod(a, 1), a - sp.floor(a), T_, {}),
    ("Mod(m, 2)^2 = Mod(m, 2)", "2c", EQ, sp.Mod(m, 2)**2, sp.Mod(m, 2), T_, {}),
    ("2 floor(a/2) <= a", "2c", LE, 2 * sp.floor(a / 2), a, T_, {}),
    ("H(a) + H(-a) = 1 (H(0) = 1/2)", "2c", EQ, sp.Heaviside(a) + sp.Heaviside(-a), 1, T_, {}),
    ("H(a^3 - a) + H(a - a^3) = 1", "2c", EQ, sp.Heaviside(a**3 - a) + sp.Heaviside(a - a**3), 1,
     T_, {}),
    ("H(a)^2 = H(a) (false at 0)", "2c", EQ, sp.Heaviside(a)**2, sp.Heaviside(a), F_, {}),
    ("H(a - 1) H(1 - a) = 0 (false at 1)", "2c", EQ, sp.Heaviside(a - 1) * sp.Heaviside(1 - a), 0,
     F_, {}),
    ("Piecewise((1, Eq(a, 0)), (0, True)) = 0", "2c", EQ,
     sp.Piecewise((1, sp.Eq(a, 0)), (0, True)), 0, F_, {}),
    ("Piecewise at a < 1 vs a <= 1, continuous", "2c", EQ,
     sp.Piecewise((a, a < 1), (a**2, True)), sp.Piecewise((a, a <= 1), (a**2, True)), T_, {}),
    ("Piecewise at a < 1 vs a <= 1, with a jump", "2c", EQ,
     sp.Piecewise((a, a < 1), (2, True)), sp.Piecewise((a, a <= 1), (2, True)), F_, {}),
    ("Piecewise with Eq(a, 7/3)", "2c", EQ,
     sp.Piecewise((a**2, sp.Eq(a, sp.Rational(7, 3))), (a, True)), a, F_, {}),
    ("Piecewise with And(a > 0, a < 2)", "2c", EQ,
     sp.Piecewise((1, sp.And(a > 0, a < 2)), (0, True)), sp.Heaviside(a) * sp.Heaviside(2 - a),
     F_, {}),  # at 0 and 2: 0 vs 1/2
    ("sign(a)|a|^2 = a|a| + [a = 5]", "2c", EQ, sp.sign(a) * sp.Abs(a)**2,
     a * sp.Abs(a) + sp.Piecewise((1, sp.Eq(a, 5)), (0, True)), F_, {}),
    ("KroneckerDelta(m, 3) = 0", "2c", EQ, sp.KroneckerDelta(m, 3), 0, F_, {}),
    ("Max(a, b) + Min(a, b) = a + b", "2c", EQ, sp.Max(a, b) + sp.Min(a, b), a + b, T_, {}),
    ("Max(a, 0) = (a + |a|)/2", "2c", EQ, sp.Max(a, 0), (a + sp.Abs(a)) / 2, T_, {}),
    ("|a| = Max(a, -a)", "2c", EQ, sp.Abs(a), sp.Max(a, -a), T_, {}),
    ("Max(a, b) = a", "2c", EQ, sp.Max(a, b), a, F_, {}),
    ("Max(a, 2 - a) >= 1", "2c", LE, 1, sp.Max(a, 2 - a), T_, {}),
    ("Min(a^2, 1) = a^2", "2c", EQ, sp.Min(a**2, 1), a**2, F_, {}),
    ("|a + 1| + |a - 1| >= 2", "2c", LE, 2, sp.Abs(a + 1) + sp.Abs(a - 1), T_, {}),
    ("|a - 1| = a - 1", "2c", EQ, sp.Abs(a - 1), a - 1, F_, {}),
    ("|a^2 - 2| = a^2 - 2", "2c", EQ, sp.Abs(a**2 - 2), a**2 - 2, F_, {}),
    ("sqrt(1/x) = 1/sqrt(x) (false on the negative axis)", "2c", EQ, sp.sqrt(1 / x),
     1 / sp.sqrt(x), F_, {}),
    ("log(1/x) = -log(x) (false on the negative axis)", "2c", EQ, sp.log(1 / x), -sp.log(x), F_, {}),
    ("sqrt(x) sqrt(x) = x", "2c", EQ, sp.sqrt(x) * sp.sqrt(x), x, T_, {}),
    ("log(x^2) = 2 log(x)", "2c", EQ, sp.log(x**2), 2 * sp.log(x), F_, {}),
    ("(x^3)^(1/3) = x", "2c", EQ, (x**3)**sp.Rational(1, 3), x, F_, {}),
    ("sqrt(x^2 y^2) = sqrt(x^2) sqrt(y^2)", "2c", EQ, sp.sqrt(x**2 * y**2),
     sp.sqrt(x**2) * sp.sqrt(y**2), F_, {}),
    ("(x y)^(1/2) = x^(1/2) y^(1/2)", "2c", EQ, (x * y)**sp.Rational(1, 2),
     x**sp.Rational(1, 2) * y**sp.Rational(1, 2), F_, {}),
    ("sqrt(-p) = i sqrt(p)", "2c", EQ, sp.sqrt(-p), sp.I * sp.sqrt(p), T_, {}),
    ("log(a^2) = 2 log|a|", "2c", EQ, sp.log(a**2), 2 * sp.log(sp.Abs(a)), T_, {}),
    ("log(-p) = log(p) + i pi", "2c", EQ, sp.log(-p), sp.log(p) + sp.I * pi, T_, {}),
    ("log(-a^2 - 1) = log(a^2 + 1) + i pi", "2c", EQ, sp.log(-a**2 - 1), sp.log(a**2 + 1) + sp.I * pi,
     T_, {}),
    ("atan(x) + atan(1/x) = pi/2, complex x", "2c", EQ, sp.atan(x) + sp.atan(1 / x), pi / 2, F_, {}),
    ("asin(a) + acos(a) = pi/2", "2c", EQ, sp.asin(a) + sp.acos(a), pi / 2, T_, {}),
    ("acos(cos a) = a", "2c", EQ, sp.acos(sp.cos(a)), a, F_, {}),
    ("|x| = sqrt(x conj(x))", "2c", EQ, sp.Abs(x), sp.sqrt(x * sp.conjugate(x)), T_, {}),
    ("arg(-p) = pi", "2c", EQ, sp.arg(-p), pi, T_, {}),
    ("LambertW(x e^x) = x", "2c", EQ, sp.LambertW(x * sp.exp(x)), x, F_, {}),
    ("(-1)^(2n) = 1", "2c", EQ, (-1)**(2 * n), 1, T_, {}),
    ("(-1)^n = 1", "2c", EQ, (-1)**n, 1, F_, {}),
    ("cos(pi n) = (-1)^n", "2c", EQ, sp.cos(pi * n), (-1)**n, T_, {}),
    ("sin(pi a) = 0", "2c", EQ, sp.sin(pi * a), 0, F_, {}),
    ("sin(pi m) = 0", "2c", EQ, sp.sin(pi * m), 0, T_, {}),
]


@pytest.mark.parametrize("name, cls, rel, lhs, rhs, allowed, options", TRAPS,
                         ids=[row[0] for row in TRAPS])
def test_trap(name, cls, rel, lhs, rhs, allowed, options):
    assert_verdict_in(name, rel, lhs, rhs, allowed, options)


def test_traps_cover_the_classes():
    from collections import Counter
    falses = Counter(str(row[1]) for row in TRAPS if not row[5] & {P, C})
    assert sum(1 for row in TRAPS if not row[5] & {P, C}) >= 40
    for cls in ("1", "2a", "2b", "2c"):
        assert falses[cls] >= 8, cls
    assert len({row[0] for row in TRAPS}) == len(TRAPS)


def test_honesty_tables_hold_150_claims():
    from test_honesty import TABLE
    assert len(TABLE) + len(TRAPS) >= 150


def test_a_reciprocal_sum_of_exponentials_is_factored_before_its_limit():
    """sympy writes the antiderivative of exp(-(1 + A) u) as -1/(A e^u e^{Au} + e^u e^{Au}); the
    growth rules factor the sum exactly, so the integral (the Gumbel step of softmax, after
    t = e^-eps) is PROVED, a wrong value REFUTED, and an exponent of unknown sign (divergent
    for B <= 0) left UNDECIDED."""
    from kexue_sym import check
    A, u, B = sp.Symbol("A", positive=True), sp.Symbol("u", positive=True), sp.Symbol("B", real=True)
    integral = I(sp.exp(-(1 + A) * u), (u, 0, oo))
    assert check.equal(integral, 1 / (1 + A), timeout=30).status is P
    assert check.equal(integral, 1 / (2 + A), timeout=30).status is R
    assert check.equal(I(sp.exp(-B * u), (u, 0, oo)), 1 / B, timeout=5).status in (U, R)


def test_double_exponential_growth_rule():
    """exp(c e^{g(y)}) with c < 0, g -> oo vanishes (faster than any polynomial grows); a
    decaying e^{g} drops out of the exponent; a growing term of positive or unknown sign has
    no rule.  It certifies the Gumbel CDF and the Gumbel integral before any substitution."""
    from kexue_sym import check
    from kexue_sym.evaluate import NotCertified, limit_at_infinity
    x, t = sp.Symbol("x", real=True), sp.Symbol("t", real=True)
    A = sp.Symbol("A", positive=True)
    assert limit_at_infinity(sp.exp(-sp.exp(-x)), x, -1) == 0
    assert limit_at_infinity(sp.exp(-sp.exp(-x)), x, 1) == 1
    assert limit_at_infinity(x ** 5 * sp.exp(x - A * sp.exp(x)), x, 1) == 0
    for grows in (sp.exp(sp.exp(x)), sp.exp(t * sp.exp(x)), sp.exp(sp.exp(x) - sp.exp(2 * x))):
        with pytest.raises(NotCertified):
            limit_at_infinity(grows, x, 1)
    gumbel_density = sp.exp(-x - sp.exp(-x))
    assert check.equal(I(gumbel_density, (x, -oo, t)), sp.exp(-sp.exp(-t)), timeout=30).status is P
    assert check.equal(I(gumbel_density, (x, -oo, oo)), 1, timeout=30).status is P
    assert check.equal(I(gumbel_density, (x, -oo, oo)), 2, timeout=30).status is R
