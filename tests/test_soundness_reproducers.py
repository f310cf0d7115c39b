"""Issue 12's reproducers, one test each (and the class around each), so none comes back:
wrong curvature printed as exact, work outside every limit, tracebacks instead of a one-line
error with exit 2, shadowed user files."""
import os
import random
import subprocess
import sys
import textwrap

import pytest
import sympy as sp
from click.testing import CliRunner

from kexue_sym.cli import main
from kexue_sym.riemann import Metric

x, y, r = sp.symbols("x y r", real=True)
f = sp.Function("f", real=True)


def _plain_christoffel(g, coords):
    """Gamma^a_{bc} by the textbook formula and sympy's own diff: the independent reference."""
    n = len(coords)
    ginv = g.inv()
    return [[[sum(ginv[a, d] * (sp.diff(g[d, c], coords[b]) + sp.diff(g[d, b], coords[c])
                                 - sp.diff(g[b, c], coords[d])) for d in range(n)) / 2
              for c in range(n)] for b in range(n)] for a in range(n)]


def _plain_ricci_scalar(g, coords):
    n, G = len(coords), _plain_christoffel(g, coords)
    ginv = g.inv()

    def ricci(b, d):
        return sum(sp.diff(G[a][b][d], coords[a]) - sp.diff(G[a][b][a], coords[d])
                   + sum(G[a][a][e] * G[e][b][d] - G[a][d][e] * G[e][b][a] for e in range(n))
                   for a in range(n))
    return sum(ginv[b, d] * ricci(b, d) for b in range(n) for d in range(n))


def _same(u, v):
    """u = v: by simplify, else at 30 digits on 5 points with every undefined function replaced
    by a concrete one (sympy's simplify misses sin(2u) = 2 sin(u) cos(u) inside quotients)."""
    d = u - v
    if sp.simplify(d) == 0:
        return True
    concrete = {F: sp.Lambda(F.args[0] if len(F.args) == 1 else F.args,
                             sp.sin(sum(F.args)) / 3 + sum(F.args) ** 2 / 5 + 1)
                for F in d.atoms(sp.core.function.AppliedUndef)}
    for F, lam in concrete.items():
        d = d.replace(F.func, lam)
    d = d.doit()
    rng = random.Random(1)
    for _ in range(5):
        point = {s: sp.Rational(rng.randint(1, 999), 1000) for s in d.free_symbols}
        if abs(sp.N(d.xreplace(point), 30)) > 1e-20:
            return False
    return True


# --- finding 3a: the chain rule through exp, powers and sin/cos --------------------------------

def test_exp_of_coordinate_times_function_keeps_the_derivative_terms():
    R = Metric(sp.diag(1, sp.exp(2 * x * f(x))), [x, y]).ricci_scalar()
    F = f(x)
    expected = -2 * (F + x * F.diff(x)) ** 2 - 4 * F.diff(x) - 2 * x * F.diff(x, 2)
    assert _same(R, expected)


def _random_composition(rng):
    """exp / rational power / sin / cos of an expression mixing x with f(x)."""
    inner = rng.choice([x * f(x), x**2 + f(x), f(x) / (1 + x**2), x - 3 * f(x)**2, 2 * f(x)])
    outer = rng.choice([sp.exp, lambda u: (1 + u**2) ** sp.Rational(rng.choice([1, 3, -1]), 2),
                        lambda u: sp.sin(u)**2 + 2, lambda u: sp.cos(u)**2 + 1,
                        lambda u: sp.exp(-u) * (2 + sp.sin(u))])
    return outer(inner)


@pytest.mark.parametrize("seed", range(10))
def test_generator_derivatives_agree_with_sympy_diff(seed):
    """Christoffel symbols of diag(1, h) (first derivatives of h through the engine's jets and
    generators) against the textbook formula with sympy's own diff, on random compositions."""
    rng = random.Random(seed)
    h = _random_composition(rng)
    g = sp.diag(1 + x**2, h)
    engine = Metric(g, [x, y]).christoffel()
    plain = _plain_christoffel(g, [x, y])
    for a in range(2):
        for b in range(2):
            for c in range(2):
                assert _same(engine[a][b][c], plain[a][b][c]), (h, a, b, c)


@pytest.mark.parametrize("component", [
    sp.sqrt(sp.Function("rs", real=True)(r) / r),          # Painleve-Gullstrand, mass function
    sp.exp(-2 * sp.Function("M", real=True)(r) / r),
])
def test_mass_function_metrics_against_a_plain_loop(component):
    g = sp.diag(component, r**2)
    assert _same(Metric(g, [r, y]).ricci_scalar(), _plain_ricci_scalar(g, [r, y]))


# --- finding 3b: user names cannot collide with the engine's --------------------------------

def test_user_symbol_named_like_a_generator():
    th, ph, c = sp.symbols("theta phi cos_theta", real=True)
    R = Metric(sp.diag(c**2, c**2 * sp.sin(th) ** 2), [th, ph]).ricci_scalar()
    assert _same(R, 2 / c**2)  # a sphere of radius cos_theta


def test_plain_symbol_beside_a_function_of_the_same_name():
    fs = sp.Symbol("f", real=True)
    g = sp.diag(1 + fs * r**2, f(r) ** 2)
    assert _same(Metric(g, [r, y]).ricci_scalar(), _plain_ricci_scalar(g, [r, y]))


def test_cli_sphere_of_radius_cos_theta():
    out = CliRunner().invoke(main, ["riemann", "--coords", "theta phi", "--metric",
                                    "diag(cos_theta**2, cos_theta**2*sin(theta)**2)", "--json"])
    assert out.exit_code == 0, out.output
    import json

    from kexue_sym.parse import parse_expression
    R = parse_expression(json.loads(out.output)["ricci_scalar"], sp.symbols("theta phi", real=True))
    assert _same(R, 2 / sp.Symbol("cos_theta", real=True) ** 2)


# --- findings 4, 5 and 7: the command line --------------------------------------------------

def _cli(*args, env=None, timeout=120):
    """The installed console entry point in a subprocess (bytes arguments allowed)."""
    return subprocess.run([sys.executable, "-m", "kexue_sym.cli", *args], capture_output=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def _one_line_error(proc):
    err = proc.stderr.decode("utf-8", "replace")
    lines = [line for line in (err + proc.stdout.decode("utf-8", "replace")).splitlines()
             if line.strip()]
    assert proc.returncode == 2, (proc.returncode, err[-2000:])
    assert "Traceback" not in err and len(lines) == 1, err[-2000:]
    return lines[0]


@pytest.mark.parametrize("metric, words", [
    ("diag(((10**30)**1000)**1000)", "more than 32768 bits"),
    ("diag((((2**1000)**1000)**1000)**1000)", "more than 32768 bits"),
    ("diag(r + [1], 1)", "list"),
    ("diag(sin([r]), 1)", "list"),
    ("diag(I, 1)", "reserved"),
    ("diag(oo, 1)", "reserved"),
    ("diag(nan, 1)", "reserved"),
    ("diag(" + "+".join(["r"] * 5000) + ", 1)", ""),  # long chains: no RecursionError
    ("diag(" + "(" * 300 + "r" + ")" * 300 + ", 1)", "nested"),
])
def test_riemann_metric_errors_are_one_line(metric, words):
    proc = _cli("riemann", "--coords", "r y", "--metric", metric, "--timeout", "20")
    if words == "" and proc.returncode == 0:
        return  # 5000 r's is the flat metric diag(5000 r, 1): computing it is a fine answer
    line = _one_line_error(proc)
    assert words.lower() in line.lower(), line


def test_exact_decimal_literals():
    from kexue_sym.parse import parse_expression
    assert parse_expression("0.999999999999999999999999999999", []) == \
        sp.Rational(999999999999999999999999999999, 10**30)
    assert parse_expression("1e-400", []) == sp.Rational(1, 10**400)
    assert parse_expression("1e999", []) == sp.Integer(10) ** 999


def test_riemann_with_a_tiny_literal_is_not_degenerate():
    proc = _cli("riemann", "--coords", "r y", "--metric", "diag(1e-400, r**2)", "--json")
    assert proc.returncode == 0, proc.stderr.decode()[-500:]


def test_invalid_utf8_argument_and_file(tmp_path):
    line = _one_line_error(_cli("riemann", "--coords", "r y", "--metric", b"diag(1, \xff)"))
    assert "UTF-8" in line
    bad = tmp_path / "g.txt"
    bad.write_bytes(b"diag(1, r\xfe)")
    assert "UTF-8" in _one_line_error(_cli("riemann", "--coords", "r y", "--metric-file", str(bad)))


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e308", "abc"])
def test_timeout_must_be_a_finite_number_of_seconds(value):
    line = _one_line_error(_cli("verify", "hadamard", "--timeout", value))
    assert "timeout" in line.lower()


def test_metric_file_special_files(tmp_path):
    assert "regular file" in _one_line_error(
        _cli("riemann", "--coords", "r y", "--metric-file", "/dev/zero"))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "regular file" in _one_line_error(
        _cli("riemann", "--coords", "r y", "--metric-file", str(fifo), timeout=30))


def test_latex_output_path_checked_before_running(tmp_path):
    line = _one_line_error(_cli("latex", "hadamard", "-o", str(tmp_path / "missing" / "x.tex")))
    assert "missing" in line
    if os.path.exists("/dev/full"):
        _one_line_error(_cli("latex", "hadamard", "-o", "/dev/full"))


def test_click_usage_errors_are_one_line():
    assert "no such option" in _one_line_error(_cli("verify", "--nope")).lower()
    _one_line_error(_cli("no-such-command"))


def _write(path, body):
    path.write_text(textwrap.dedent(body))
    return str(path)


_ONE_STEP = """
    import sympy as sp
    from kexue_sym.derivation import Derivation
    from kexue_sym.registry import derivation

    @derivation("{name}", title="t", source="https://example.org")
    def build():
        d = Derivation("{name}", title="t", source="https://example.org")
        a = sp.Symbol("a", real=True)
        d.step((a + 1) ** 2, "=", a**2 + 2 * a + 1, by="expand")
        return d
"""


def test_user_files_cannot_shadow(tmp_path):
    builtin = _write(tmp_path / "b.py", _ONE_STEP.format(name="hadamard"))
    assert "hadamard" in _one_line_error(_cli("verify", "--file", builtin))
    twice = _write(tmp_path / "twice.py", _ONE_STEP.format(name="mine")
                   + _ONE_STEP.format(name="mine").replace("def build", "def build2"))
    assert "mine" in _one_line_error(_cli("verify", "--file", twice))
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = _write(tmp_path / "one" / "same.py", _ONE_STEP.format(name="first"))
    second = _write(tmp_path / "two" / "same.py", _ONE_STEP.format(name="second"))
    both = _cli("verify", "--file", first, "--file", second)
    out = both.stdout.decode()
    assert both.returncode == 0 and "first" in out and "second" in out, both.stderr.decode()
    leaving = _write(tmp_path / "leave.py", "import sys\nsys.exit(0)\n")
    assert "exit" in _one_line_error(_cli("verify", "--file", leaving)).lower()


def test_a_name_given_twice_runs_once():
    proc = _cli("verify", "hadamard", "hadamard", "--json")
    assert proc.returncode == 0
    import json
    assert [d["name"] for d in json.loads(proc.stdout)["derivations"]] == ["hadamard"]


def test_sympy_names_are_sympy_objects_or_refused():
    from kexue_sym.parse import ParseError, parse_expression
    assert parse_expression("gamma(x) + erf(x) + Abs(x)", [x]) == sp.gamma(x) + sp.erf(x) + sp.Abs(x)
    assert parse_expression("besselj(0, x)", [x]) == sp.besselj(0, x)
    for text in ("zeta(x)", "Symbol(x)", "I*x", "x + oo", "S(1)", "nan"):
        with pytest.raises(ParseError):
            parse_expression(text, [x])
    # what kexue-sym prints reads back to the same expression
    R = Metric(sp.diag(1, sp.exp(2 * x * f(x))), [x, y]).ricci_scalar()
    assert parse_expression(sp.sstr(R), [x, y]) == R
