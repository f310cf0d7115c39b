"""A restricted parser for expressions and metrics typed by users.

sympy's ``sympify``/``parse_expr`` evaluate their input as Python (reference/PEERS.md), so user
text goes through Python's ``ast`` parser instead -- which only builds a syntax tree -- and the
tree is translated node by node from an allow-list: numbers, names, + - * / ** (and ^ as a
power), unary minus, calls of known functions, calls of undefined functions of the coordinates
(``a(t)``), lists for matrices and ``diag(...)``.  Anything else (attributes, subscripts,
strings, keywords, lambdas, names starting with an underscore ...) is refused with a one-line
:class:`ParseError`; nothing is ever executed.
"""
from __future__ import annotations

import ast
import re
from typing import Sequence

import sympy as sp

__all__ = ["ParseError", "parse_expression", "parse_metric", "parse_coords"]

MAX_CHARS = 20_000
MAX_EXPONENT = 1_000
MAX_INTEGER = 10 ** 30

FUNCTIONS = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "cot": sp.cot, "sec": sp.sec, "csc": sp.csc,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "sinh": sp.sinh, "cosh": sp.cosh,
    "tanh": sp.tanh, "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs,
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class ParseError(ValueError):
    """The text is not an expression of the allowed form (the message says what and where)."""


class _Translator:
    def __init__(self, coords: Sequence[sp.Symbol]):
        self.coords = {c.name: c for c in coords}
        self.params: dict[str, sp.Symbol] = {}

    def name(self, ident: str) -> sp.Expr:
        if not _IDENT.match(ident):
            raise ParseError(f"name '{ident}' is not allowed (letters, digits and _ only, "
                             "not starting with _)")
        if ident in self.coords:
            return self.coords[ident]
        if ident in CONSTANTS:
            return CONSTANTS[ident]
        if ident in FUNCTIONS:
            raise ParseError(f"'{ident}' is a function: write {ident}(...)")
        return self.params.setdefault(ident, sp.Symbol(ident, real=True))

    def __call__(self, node: ast.AST):
        method = getattr(self, "do_" + type(node).__name__, None)
        if method is None:
            raise ParseError(f"{type(node).__name__} is not allowed in an expression "
                             f"(at column {getattr(node, 'col_offset', 0) + 1})")
        return method(node)

    def do_Expression(self, node):
        return self(node.body)

    def do_Constant(self, node):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ParseError(f"only numbers are allowed as constants, got {v!r}")
        if isinstance(v, int):
            if abs(v) > MAX_INTEGER:
                raise ParseError(f"integer {v} is too large")
            return sp.Integer(v)
        return sp.Rational(str(v))  # exact: 0.5 -> 1/2, no binary rounding

    def do_Name(self, node):
        return self.name(node.id)

    def do_UnaryOp(self, node):
        x = self(node.operand)
        if isinstance(node.op, ast.USub):
            return -x
        if isinstance(node.op, ast.UAdd):
            return x
        raise ParseError(f"operator {type(node.op).__name__} is not allowed")

    def do_BinOp(self, node):
        left, right = self(node.left), self(node.right)
        op = node.op
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.Mult):
            return left * right
        if isinstance(op, ast.Div):
            if right == 0:
                raise ParseError("division by zero")
            return left / right
        if isinstance(op, (ast.Pow, ast.BitXor)):
            if right.is_Number and abs(right) > MAX_EXPONENT:
                raise ParseError(f"exponent {right} is too large (at most {MAX_EXPONENT})")
            return left ** right
        raise ParseError(f"operator {type(op).__name__} is not allowed")

    def do_Call(self, node):
        if not isinstance(node.func, ast.Name):
            raise ParseError(f"calling {type(node.func).__name__} is not allowed "
                             "(only plain function names)")
        if node.keywords:
            raise ParseError("keyword arguments are not allowed")
        fname = node.func.id
        if not _IDENT.match(fname):
            raise ParseError(f"function name '{fname}' is not allowed")
        args = [self(a) for a in node.args]
        if fname in FUNCTIONS:
            if len(args) != 1:
                raise ParseError(f"{fname} takes one argument, got {len(args)}")
            return FUNCTIONS[fname](args[0])
        if fname == "diag":
            return sp.diag(*args)
        if fname in self.coords or fname in CONSTANTS:
            raise ParseError(f"'{fname}' is not a function")
        # an undefined function of the coordinates, e.g. a(t) in FLRW
        if not args or not all(a in self.coords.values() for a in args):
            raise ParseError(f"unknown function '{fname}': an undefined function must take "
                             "coordinates as its arguments, e.g. a(t)")
        return sp.Function(fname, real=True)(*args)

    def do_List(self, node):
        rows = [self(e) for e in node.elts]
        return rows

    do_Tuple = do_List


def _tree(text: str) -> ast.AST:
    if len(text) > MAX_CHARS:
        raise ParseError(f"input longer than {MAX_CHARS} characters")
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ParseError(f"syntax error at column {exc.offset}: {exc.msg}") from None


def parse_coords(text: str) -> list[sp.Symbol]:
    """'t r theta phi' or 't, r, theta, phi' -> real symbols (distinct identifiers)."""
    names = [n for n in re.split(r"[\s,]+", text.strip()) if n]
    if not names:
        raise ParseError("no coordinates given")
    for n in names:
        if not _IDENT.match(n) or n in FUNCTIONS or n in CONSTANTS or n == "diag":
            raise ParseError(f"'{n}' cannot be a coordinate name")
    if len(set(names)) != len(names):
        raise ParseError("coordinate names must be distinct")
    return [sp.Symbol(n, real=True) for n in names]


def parse_expression(text: str, coords: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """A scalar expression in the coordinates (other names become real parameters)."""
    out = _Translator(coords)(_tree(text))
    if isinstance(out, (list, sp.MatrixBase)):
        raise ParseError("expected a scalar expression, got a matrix")
    return out


def parse_metric(text: str, coords: Sequence[sp.Symbol]) -> sp.Matrix:
    """``diag(a, b, ...)`` or ``[[g00, g01], [g10, g11]]`` -> a sympy Matrix (shape checked by
    the caller together with symmetry and the number of coordinates)."""
    out = _Translator(coords)(_tree(text))
    if isinstance(out, sp.MatrixBase):
        return out
    if isinstance(out, list):
        if not out or not all(isinstance(r, list) for r in out):
            raise ParseError("a matrix is a list of rows: [[g00, g01], [g10, g11]]")
        width = {len(r) for r in out}
        if len(width) != 1:
            raise ParseError(f"rows of different lengths: {sorted(width)}")
        if any(isinstance(e, list) for r in out for e in r):
            raise ParseError("matrix entries must be scalars")
        return sp.Matrix(out)
    raise ParseError("the metric must be diag(...) or a matrix [[...], ...]")
