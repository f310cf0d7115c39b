"""The restricted parser and `kexue-sym riemann`: new metrics computed, bad input refused."""
import json

import pytest
import sympy as sp
from click.testing import CliRunner

from kexue_sym.cli import main
from kexue_sym.parse import ParseError, parse_coords, parse_expression, parse_metric

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("text, expected", [
    ("x**2 + 3*y", x**2 + 3 * y),
    ("x^2", x**2),
    ("sin(x)**2 + cos(x)**2", sp.sin(x) ** 2 + sp.cos(x) ** 2),
    ("0.5*x", x / 2),
    ("-(1 - 2*M/x)", -(1 - 2 * sp.Symbol("M", real=True) / x)),
    ("a(x)**2", sp.Function("a", real=True)(x) ** 2),
    ("pi*E", sp.pi * sp.E),
])
def test_parse_expr(text, expected):
    assert parse_expression(text, [x, y]) == expected


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('true')", "not allowed"),
    ("x.real", "Attribute"),
    ("(lambda: 1)()", "not allowed"),
    ("'text'", "only numbers"),
    ("x[0]", "Subscript"),
    ("sin(x, y)", "one argument"),
    ("foo(M)", "unknown function"),
    ("x**100000", "too large"),
    ("open('f')", "only numbers"),
    ("open(M)", "unknown function"),
    ("x +", "syntax error"),
    ("f(x=1)", "keyword"),
    ("_x + 1", "not allowed"),
])
def test_parse_refuses(text, message):
    with pytest.raises(ParseError, match=message):
        parse_expression(text, [x, y])


def test_parse_metric_and_coords():
    assert parse_coords("t, r theta  phi") == list(sp.symbols("t r theta phi", real=True))
    assert parse_metric("diag(1, x**2)", [x, y]) == sp.diag(1, x**2)
    assert parse_metric("[[1, x], [x, 2]]", [x, y]) == sp.Matrix([[1, x], [x, 2]])
    with pytest.raises(ParseError, match="different lengths"):
        parse_metric("[[1, x], [x]]", [x, y])
    with pytest.raises(ParseError, match="distinct"):
        parse_coords("x x")


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args), catch_exceptions=False)


def test_riemann_cli_schwarzschild_json(run):
    result = run("riemann", "--coords", "t r theta phi", "--metric",
                 "diag(-(1-2*M/r), 1/(1-2*M/r), r**2, r**2*sin(theta)**2)", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["coords"] == ["t", "r", "theta", "phi"]
    M, r = sp.symbols("M r", real=True)
    assert sp.simplify(parse_expression(data["kretschmann"], []) - 48 * M**2 / r**6) == 0
    assert data["ricci_scalar"] == "0"
    assert set(data["riemann"]) >= {"R_{t r t r}", "R_{theta phi theta phi}"}


def test_riemann_cli_metric_not_in_catalogue(run, tmp_path):
    """A warped product dr^2 + (r^2 + 1) dphi^2, never seen: K = -1/(r^2 + 1)^2."""
    f = tmp_path / "g.txt"
    f.write_text("[[1, 0], [0, r**2 + 1]]")
    result = run("riemann", "--coords", "r phi", "--metric-file", str(f), "--json")
    assert result.exit_code == 0
    R = parse_expression(json.loads(result.output)["ricci_scalar"], sp.symbols("r phi", real=True))
    r = sp.Symbol("r", real=True)
    assert sp.simplify(R - (-2 / (r**2 + 1) ** 2)) == 0


def test_riemann_cli_de_sitter_flat_slicing(run):
    result = run("riemann", "--coords", "t x y z", "--metric",
                 "diag(-1, exp(2*H*t), exp(2*H*t), exp(2*H*t))", "--json")
    assert result.exit_code == 0
    H = sp.Symbol("H", real=True)
    assert parse_expression(json.loads(result.output)["ricci_scalar"], []) == 12 * H**2


def test_riemann_cli_latex(run):
    result = run("riemann", "--coords", "theta phi", "--metric", "diag(1, sin(theta)**2)",
                 "--latex")
    assert result.exit_code == 0 and r"\sin^{2}{\left(\theta \right)}" in result.output


@pytest.mark.parametrize("args, message", [
    (["--coords", "x y", "--metric", "diag(1, 2, 3)"], "3 x 3 metric but 2 coordinates"),
    (["--coords", "x y", "--metric", "[[1, x], [0, 1]]"], "symmetric"),
    (["--coords", "x y", "--metric", "[[1, x], [x, x**2]]"], "degenerate"),
    (["--coords", "x y", "--metric", "[[1, 2, 3], [4, 5, 6]]"], "square"),
    (["--coords", "x y", "--metric", "diag(1,"], "syntax error"),
    (["--coords", "x y", "--metric", "__import__('os').system('touch pwned')"], "not allowed"),
    (["--coords", "x y", "--metric", "diag(1, y.__class__)"], "Attribute"),
    (["--coords", "x y"], "exactly one of"),
    (["--coords", "x sin", "--metric", "diag(1, 1)"], "cannot be a coordinate"),
])
def test_riemann_cli_bad_input(run, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("riemann", *args)
    assert result.exit_code == 2, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and message in lines[0]
    assert not (tmp_path / "pwned").exists()


def test_riemann_cli_path_is_labelled(run):
    """Painleve-Gullstrand (a radical of the coordinate off the diagonal) is computed in the
    field, exactly, and the output says so; Abs takes the general path, which names it."""
    r = run("riemann", "--coords", "t r theta phi", "--metric",
            "[[-(1-2*M/r), sqrt(2*M/r), 0, 0], [sqrt(2*M/r), 1, 0, 0], [0, 0, r**2, 0], "
            "[0, 0, 0, r**2*sin(theta)**2]]")
    assert r.exit_code == 0, r.output
    assert "(field path, generators sqrt(2), sqrt(M/r): exact)" in r.output
    assert "Kretschmann R_abcd R^abcd = 48*M**2/r**6" in r.output
    assert "Ricci scalar R = 0" in r.output
    r = run("riemann", "--coords", "u v", "--metric", "diag(1, 1 + abs(v))")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("(general path: `Abs` is outside the differential field")
    assert "Ricci scalar R = 0" in r.output


def test_riemann_cli_timeout_is_one_line_exit_2(run):
    """A metric no path finishes within --timeout: one line, exit 2 (Kerr in Boyer-Lindquist
    coordinates takes seconds; 0.2 CPU seconds are not enough)."""
    S, D = "(r**2 + a**2*cos(theta)**2)", "(r**2 - 2*M*r + a**2)"
    tphi = f"-2*M*a*r*sin(theta)**2/{S}"
    r = run("riemann", "--coords", "t r theta phi", "--timeout", "0.2", "--metric",
            f"[[-(1 - 2*M*r/{S}), 0, 0, {tphi}], [0, {S}/{D}, 0, 0], [0, 0, {S}, 0], "
            f"[{tphi}, 0, 0, (r**2 + a**2 + 2*M*a**2*r*sin(theta)**2/{S})*sin(theta)**2]]")
    assert r.exit_code == 2
    assert [line for line in r.output.splitlines() if line.strip()] == [
        "kexue-sym: error: timed out after 0.2 CPU seconds: no path finished the curvature of "
        "this metric (raise --timeout to wait longer)"]


def test_long_scalars_name_their_repeated_subexpressions():
    """The terminal shows a long scalar with sizeable repeated parts named (the JSON keeps the
    whole); putting the names back gives the expression exactly."""
    from kexue_sym.cli import _shown
    r, M, g = sp.symbols("r M g")
    F = (1 - 2 * M / (g * r)) ** (3 * g - 2)
    expr = sp.expand(sum((k + 1) * M ** k * r ** (5 - k) * F for k in range(12)) + F ** 2)
    out = _shown(expr)
    assert out["where"] and len(out["value"]) < len(sp.sstr(expr))
    names = {sp.Symbol(k): parse_expression(v, [r, M, g]) for k, v in reversed(out["where"])}
    back = parse_expression(out["value"], [r, M, g, *names])
    for _ in names:
        back = back.xreplace(names)
    assert sp.expand(back - expr) == 0
    assert _shown(M * r) == {"value": "M*r", "where": []}
