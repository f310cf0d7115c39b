"""Hostile inputs for the parser and the CLI, shared by tests/test_fuzz.py (bounded, in the
suite) and tests/fuzz_long.py (a long run whose figures go into the release notes).

The grammar mixes what users type (metrics, functions, numbers) with what attackers type
(dunders, attribute access, lambdas, huge powers, deep nesting, invalid unicode, lists where
scalars belong), so that a generated input is usually *almost* valid."""
from hypothesis import strategies as st

NAMES = ["r", "t", "x", "y", "theta", "phi", "M", "a", "f", "Q", "gamma", "cos_theta", "_x",
         "__class__", "I", "oo", "nan", "S", "E", "pi", "diag", "sin", "exp", "open",
         "__import__", "lambda", "eval", "besselj", "LambertW", "Abs", "zeta", "Symbol"]
NUMBERS = ["0", "1", "2", "0.5", "1e999", "1e-400", "1_000", "0x1f", "0.999999999999999999999",
           "10**30", "2**1000", "1j", "1e308", "-0.0", "00", "1.", ".5", "3e5000"]
FUNCS = ["sin", "cos", "exp", "log", "sqrt", "tanh", "Abs", "erf", "gamma", "besselj", "a",
         "f", "diag", "foo", "__import__", "getattr", "Symbol"]
BINOPS = ["+", "-", "*", "/", "**", "^", "//", "%", "@", "==", "<", " and ", " if 1 else ",
          ",", "."]
JUNK = ["[", "]", "(", ")", "'", '"', "\\", "\x00", "\ufffd", "é", "θ", "#", ";", "\n",
        "lambda: 0", "[1]", "{}", "x.real", "x[0]", "f(x=1)", "*x", "**x", ":=", "..."]


def expressions(max_leaves: int = 30):
    leaf = st.sampled_from(NAMES + NUMBERS)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(BINOPS), inner).map(lambda t: "".join(t)),
            st.tuples(st.sampled_from(FUNCS), st.lists(inner, min_size=0, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"),
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"-{e}"),
            st.tuples(inner, st.sampled_from(JUNK)).map(lambda t: t[0] + t[1]),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        ),
        max_leaves=max_leaves)


def clean_expressions(max_leaves: int = 8):
    """Well-formed expressions in r and y (a metric a user could mean)."""
    leaf = st.sampled_from(["r", "y", "M", "a(r)", "f(r, y)", "1", "2", "0.5", "1e-3", "pi",
                            "cos_theta", "sin(y)", "exp(r)", "3/7"])
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "**2", "**(1/2)"]), inner).map(
            lambda t: t[0] + t[1] + t[2] if not t[1].startswith("**") else f"({t[0]}){t[1]}"),
        st.tuples(st.sampled_from(["sin", "cos", "exp", "sqrt", "log", "tanh"]), inner).map(
            lambda t: f"{t[0]}({t[1]})")), max_leaves=max_leaves)


def metrics():
    """diag(...) and [[...]] forms, mostly the right size for two coordinates."""
    two = st.lists(expressions(8), min_size=1, max_size=3)
    return st.one_of(
        st.lists(clean_expressions(), min_size=2, max_size=2).map(
            lambda xs: "diag(" + ", ".join(xs) + ")"),
        st.tuples(clean_expressions(4), clean_expressions(4), clean_expressions(4)).map(
            lambda t: f"[[{t[0]}, {t[1]}], [{t[1]}, {t[2]}]]"),
        two.map(lambda xs: "diag(" + ", ".join(xs) + ")"),
        st.tuples(expressions(6), expressions(6), expressions(6)).map(
            lambda t: f"[[{t[0]}, {t[1]}], [{t[1]}, {t[2]}]]"),
        expressions(10),
        st.text(max_size=60),
    )


def coords():
    return st.one_of(st.just("r y"), st.just("r y"),
                     st.sampled_from(["r y", "t r", "theta phi", "x y", "r r", "sin y", "",
                                      "x, y", "θ φ", "_x y", "I y"]),
                     st.text(max_size=12))


def raw_bytes():
    """Argument bytes that need not be UTF-8."""
    return st.binary(max_size=40)
