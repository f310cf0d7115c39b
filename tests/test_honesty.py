"""The checker's honesty table: true, false, true-only-under-assumptions and hard claims.

A false claim must come out REFUTED (with a witness) or UNDECIDED, never PROVED or CHECKED; a
true claim must never be REFUTED.  Expected verdicts are written by hand from the mathematics,
not from the checker's output.
"""
import pytest
import sympy as sp

from kexue_sym import check
from kexue_sym.verdict import Status

x, y = sp.symbols("x y")                      # complex: sympy's default
a, b = sp.symbols("a b", real=True)
p, q = sp.symbols("p q", positive=True)
n, k = sp.symbols("n k", integer=True, positive=True)
f = sp.Function("f")
M = sp.Matrix(2, 2, sp.symbols("m:4", real=True))
N = sp.Matrix(2, 2, sp.symbols("n:4", real=True))

P, C, R, U = Status.PROVED, Status.CHECKED, Status.REFUTED, Status.UNDECIDED
TRUE = {P, C}
EQ, LE = "eq", "le"

# (id, relation, lhs, rhs, allowed verdicts, options)
TABLE = [
    # --- true, exact ------------------------------------------------------------------------------
    ("binomial square", EQ, (a + b) ** 2, a**2 + 2*a*b + b**2, {P}, {}),
    ("binomial cube, complex", EQ, (x + y) ** 3, x**3 + 3*x**2*y + 3*x*y**2 + y**3, {P}, {}),
    ("pythagoras trig", EQ, sp.sin(x) ** 2 + sp.cos(x) ** 2, 1, {P}, {}),
    ("rational cancel", EQ, (x**2 - 1) / (x - 1), x + 1, {P}, {}),
    ("partial fractions", EQ, 1 / (x * (x + 1)), 1 / x - 1 / (x + 1), {P}, {}),
    ("exp of a sum", EQ, sp.exp(x + y), sp.exp(x) * sp.exp(y), {P}, {}),
    ("log of product, positive", EQ, sp.log(p * q), sp.log(p) + sp.log(q), {P}, {}),
    ("sqrt of product, positive", EQ, sp.sqrt(p * q), sp.sqrt(p) * sp.sqrt(q), {P}, {}),
    ("sqrt of square, real", EQ, sp.sqrt(a**2), sp.Abs(a), {P}, {}),
    ("sqrt of square, positive", EQ, sp.sqrt(p**2), p, {P}, {}),
    ("double angle", EQ, sp.cos(2 * x), 1 - 2 * sp.sin(x) ** 2, {P}, {}),
    ("hyperbolic pythagoras", EQ, sp.cosh(x) ** 2 - sp.sinh(x) ** 2, 1, {P}, {}),
    ("gamma recurrence", EQ, sp.gamma(x + 1), x * sp.gamma(x), {P}, {}),
    ("exp log, complex", EQ, sp.exp(sp.log(x)), x, {P}, {}),
    ("log exp, real", EQ, sp.log(sp.exp(a)), a, {P}, {}),
    ("denesting", EQ, sp.sqrt(2) + sp.sqrt(3), sp.sqrt(5 + 2 * sp.sqrt(6)), TRUE, {}),
    ("transpose of product", EQ, (M * N).T, N.T * M.T, {P}, {}),
    ("chain rule, undefined f", EQ, sp.diff(f(x) ** 2, x), 2 * f(x) * sp.diff(f(x), x), {P}, {}),
    ("square non-negative", LE, 0, a**2, {P}, {}),
    ("2ab <= a^2 + b^2", LE, 2 * a * b, a**2 + b**2, {P}, {}),
    ("AM-GM with certificate", LE, sp.sqrt(p * q), (p + q) / 2, {P},
     {"certificate": [(sp.sqrt(p) - sp.sqrt(q)) ** 2 / 2]}),
    ("Lagrange n=2 with certificate", LE, M.det() ** 2,
     (M[0, 0]**2 + M[1, 0]**2) * (M[0, 1]**2 + M[1, 1]**2), {P},
     {"certificate": [(M[0, 0] * M[0, 1] + M[1, 0] * M[1, 1]) ** 2]}),
    # --- true, hard for sympy: numeric evidence only ---------------------------------------------
    ("log p <= p - 1", LE, sp.log(p), p - 1, TRUE, {}),
    ("exp(a) >= 1 + a", LE, 1 + a, sp.exp(a), TRUE, {}),
    ("p/(1+p) <= log(1+p)", LE, p / (1 + p), sp.log(1 + p), TRUE, {}),
    ("sin p <= p", LE, sp.sin(p), p, TRUE, {}),
    ("atan p + atan 1/p", EQ, sp.atan(p) + sp.atan(1 / p), sp.pi / 2, TRUE, {}),
    ("cos pi/7 product", EQ, sp.cos(sp.pi / 7) * sp.cos(2 * sp.pi / 7) * sp.cos(4 * sp.pi / 7),
     sp.Rational(-1, 8), TRUE, {}),
    ("|a| >= a", LE, a, sp.Abs(a), TRUE, {}),
    ("x(1-x) <= 1/4 on (0, 1)", LE, x * (1 - x), sp.Rational(1, 4), TRUE,
     {"domain": {x: (0, 1)}}),
    # --- true only under assumptions: the classic traps ----------------------------------------
    ("sqrt(xy) unrestricted", EQ, sp.sqrt(x * y), sp.sqrt(x) * sp.sqrt(y), {R}, {}),
    ("log(xy) unrestricted", EQ, sp.log(x * y), sp.log(x) + sp.log(y), {R}, {}),
    ("sqrt(a^2) = a, real", EQ, sp.sqrt(a**2), a, {R}, {}),
    ("sqrt(x^2) = x, complex", EQ, sp.sqrt(x**2), x, {R}, {}),
    ("log exp, complex", EQ, sp.log(sp.exp(x)), x, {R}, {}),
    ("asin sin, real", EQ, sp.asin(sp.sin(a)), a, {R}, {}),
    ("atan tan, real", EQ, sp.atan(sp.tan(a)), a, {R}, {}),
    ("(x^2)^(1/2) power rule", EQ, (x**2) ** sp.Rational(1, 2), x, {R}, {}),
    ("a <= a^2, real", LE, a, a**2, {R}, {}),
    ("x(1-x) <= 1/4 becomes false off the domain? no: true for all reals", LE, a * (1 - a),
     sp.Rational(1, 4), TRUE, {}),
    # --- false ----------------------------------------------------------------------------------
    ("freshman's dream", EQ, (a + b) ** 2, a**2 + b**2, {R}, {}),
    ("sin 2x = 2 sin x", EQ, sp.sin(2 * x), 2 * sp.sin(x), {R}, {}),
    ("Ramanujan's near-integer", EQ, sp.exp(sp.pi * sp.sqrt(163)), 640320**3 + 744, {R}, {}),
    ("pi = 355/113", EQ, sp.pi, sp.Rational(355, 113), {R}, {}),
    ("difference 1e-40", EQ, a, a + sp.Rational(1, 10**40), {R}, {}),
    ("exp(-1000p) = 0", EQ, sp.exp(-1000 * p), 0, {R}, {}),
    ("x <= y", LE, a, b, {R}, {}),
    ("log p <= p - 2", LE, sp.log(p), p - 2, {R}, {}),
    ("matrices commute", EQ, M * N, N * M, {R}, {}),
    ("det is additive", EQ, (M + N).det(), M.det() + N.det(), {R}, {}),
    ("Hadamard reversed", LE, (M[0, 0]**2 + M[1, 0]**2) * (M[0, 1]**2 + M[1, 1]**2),
     M.det() ** 2, {R}, {}),
    ("floor a = a", EQ, sp.floor(a), a, {R}, {}),
    ("wrong certificate", LE, 2 * a * b, a**2 + b**2, {R, U}, {"certificate": [(a + b) ** 2]}),
    ("sum of squares formula wrong", EQ, sp.Sum(k**2, (k, 1, n)), n**3 / 3, {R, U}, {}),
    ("derivative of f^2 wrong", EQ, sp.diff(f(x) ** 2, x), 2 * f(x), {R, U}, {}),
]


@pytest.mark.parametrize("name, rel, lhs, rhs, allowed, options", TABLE,
                         ids=[row[0] for row in TABLE])
def test_honesty_table(name, rel, lhs, rhs, allowed, options):
    assert_verdict_in(name, rel, lhs, rhs, allowed, options)


def assert_verdict_in(name, rel, lhs, rhs, allowed, options):
    """The claim's verdict is one of ``allowed``, with the evidence its status promises."""
    verdict = (check.equal if rel == EQ else check.le)(lhs, rhs, **options)
    assert verdict.status in allowed, f"{name}: {verdict}"
    if verdict.status is R:
        assert verdict.witness is not None and verdict.witness_value is not None
    if verdict.status is C:
        assert verdict.points and verdict.digits, "numeric evidence must say points and digits"


def test_table_size_and_mix():
    assert len(TABLE) >= 40
    falses = [row for row in TABLE if row[4] <= {R, U}]
    trues = [row for row in TABLE if row[4] <= TRUE]
    assert len(falses) >= 15 and len(trues) >= 20


def test_false_claims_are_never_proved_or_checked():
    """The invariant itself, restated over the false rows (a guard against table edits)."""
    for name, rel, lhs, rhs, allowed, options in TABLE:
        if allowed <= {R, U}:
            assert not allowed & TRUE, name


def test_refuted_witness_is_exact_point():
    v = check.equal((a + b) ** 2, a**2 + b**2)
    assert v.status is R
    point = {sp.Symbol(k, real=True): sp.Rational(val) for k, val in v.witness.items()}
    gap = ((a + b) ** 2 - a**2 - b**2).xreplace(point)
    assert gap != 0 and str(gap) == v.witness_value


def test_timeout_really_stops_runaway_work():
    import time

    from kexue_sym.timeout import CheckTimeout, call_with_timeout

    def forever():
        while True:
            pass

    start = time.perf_counter()
    with pytest.raises(CheckTimeout):
        call_with_timeout(forever, seconds=0.5)
    assert time.perf_counter() - start < 3


def test_check_timeout_gives_undecided():
    # a true identity whose expansion has millions of terms: the checker must give up in time
    s = sp.Add(*sp.symbols("z:8"))
    v = check.equal(s**30 - 1, (s**15 - 1) * (s**15 + 1), timeout=0.5, numeric=False)
    assert v.status is U and "stopped" in v.detail


def test_text_is_never_evaluated(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    for fn in (check.equal, check.le):
        with pytest.raises(TypeError, match="got text"):
            fn(payload, 1)
    assert not marker.exists()


def test_counterexample_search_never_passes():
    """check.counterexample backs checkers whose own evidence failed: a false claim gets a
    witness, a true one stays UNDECIDED (numeric agreement is not evidence there)."""
    false = check.counterexample(sp.log(p * q), sp.log(p) + 2 * sp.log(q), timeout=10)
    assert false.status is R and false.witness
    true = check.counterexample(sp.log(p * q), sp.log(p) + sp.log(q), timeout=10)
    assert true.status is U
