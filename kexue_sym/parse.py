"""A restricted parser for expressions and metrics typed by users.

sympy's ``sympify``/``parse_expr`` evaluate their input as Python (reference/PEERS.md), so user
text goes through Python's ``ast`` parser instead -- which only builds a syntax tree -- and the
tree is translated node by node from an allow-list: numbers, names, + - * / ** (and ^ as a
power), unary minus, calls of known functions, calls of undefined functions of the coordinates
(``a(t)``) and their derivatives as sympy prints them (``Derivative(a(t), (t, 2))``), lists
for matrices and ``diag(...)``.  Anything else (attributes, subscripts,
strings, keywords, lambdas, names starting with an underscore ...) is refused with a one-line
:class:`ParseError`; nothing is ever executed.

Bounded work: the text is at most :data:`MAX_CHARS` characters, every number it builds has at
most :data:`MAX_BITS` bits (``((10**30)**1000)**1000`` is refused before it is computed), no
power exceeds :data:`MAX_EXPONENT`, and the translation is iterative (a sum of thousands of
terms is fine; nesting deeper than :data:`MAX_DEPTH` is refused).

Exact numbers: ``0.1`` is the rational 1/10 and ``1e-400`` is 10**-400, read from the literal's
own text (never through a binary float).  The output of kexue-sym (curvature components, ...)
reads back through :func:`parse_expression` to the same expression.  Names that sympy's own
parser would read as something else are refused as parameters (``I``, ``oo``, ``nan``, ``zoo``,
``S``) or are functions here too (``gamma(x)``, ``erf(x)``, ``Abs(x)`` are sympy's); a
*parameter* may still be called ``gamma`` or ``Q`` (give sympy's ``parse_expr`` a
``local_dict`` of real symbols to read such output).
"""
from __future__ import annotations

import ast
import re
import sys
from typing import Any, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["ParseError", "parse_expression", "parse_metric", "parse_coords", "FUNCTIONS"]

MAX_CHARS = 20_000
MAX_EXPONENT = 1_000
#: Largest numerator or denominator, in bits, of any number the parser builds (~10,000 digits).
MAX_BITS = 32_768
#: Digits allowed in one literal (numerator or denominator of its exact value).
MAX_LITERAL_DIGITS = 1_000
#: Largest root (denominator of a rational exponent) taken of a number, and the largest
#: base in bits: sympy factors the base to extract exact roots.
MAX_ROOT = 1_000
MAX_ROOT_BITS = 4_096
#: Deepest nesting of calls, powers and parentheses (long + and * chains are flat, not deep).
MAX_DEPTH = 100

#: name -> (sympy function, number of arguments)
FUNCTIONS: dict[str, tuple[Any, int]] = {
    "sin": (sp.sin, 1), "cos": (sp.cos, 1), "tan": (sp.tan, 1), "cot": (sp.cot, 1),
    "sec": (sp.sec, 1), "csc": (sp.csc, 1), "asin": (sp.asin, 1), "acos": (sp.acos, 1),
    "atan": (sp.atan, 1), "acot": (sp.acot, 1), "sinh": (sp.sinh, 1), "cosh": (sp.cosh, 1),
    "tanh": (sp.tanh, 1), "coth": (sp.coth, 1), "sech": (sp.sech, 1), "csch": (sp.csch, 1),
    "asinh": (sp.asinh, 1), "acosh": (sp.acosh, 1), "atanh": (sp.atanh, 1),
    "exp": (sp.exp, 1), "log": (sp.log, 1), "sqrt": (sp.sqrt, 1), "abs": (sp.Abs, 1),
    "Abs": (sp.Abs, 1), "erf": (sp.erf, 1), "erfc": (sp.erfc, 1), "gamma": (sp.gamma, 1),
    "besselj": (sp.besselj, 2), "bessely": (sp.bessely, 2), "besseli": (sp.besseli, 2),
    "besselk": (sp.besselk, 2), "LambertW": (sp.LambertW, 1),
}
CONSTANTS = {"pi": sp.pi, "E": sp.E}
_WORDS = {1: "one", 2: "two"}
#: Names sympy reads as its own singletons: as parameters they would not read back.
RESERVED = {"I": "sympy's imaginary unit", "oo": "infinity", "zoo": "complex infinity",
            "nan": "not-a-number", "S": "sympy's singleton registry", "inf": "infinity",
            "diag": "the diagonal-matrix constructor"}
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_DECIMAL = re.compile(r"^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$")
#: sympy function names: a call to one of them as an undefined function would read back as
#: sympy's function, so such calls must be sympy's (FUNCTIONS) or are refused
#: Every callable name of sympy's namespace (functions, classes such as Symbol and Matrix,
#: Order as O ...): a user function so named would print as text that sympy reads as its own.
_SYMPY_FUNCTIONS = {n for n in dir(sp) if not n.startswith("_") and callable(getattr(sp, n, None))}


class ParseError(ValueError):
    """The text is not an expression of the allowed form (the message says what and where)."""


def _column(node: ast.AST) -> str:
    return f" (at column {getattr(node, 'col_offset', 0) + 1})"


def _bits(q: sp.Rational) -> int:
    return max(abs(q.p).bit_length(), q.q.bit_length())


def _check_size(value: Any, node: ast.AST) -> Any:
    """Refuse numbers beyond MAX_BITS and powers beyond MAX_EXPONENT in a result."""
    if isinstance(value, list):
        return value
    if isinstance(value, sp.MatrixBase):
        for entry in value:
            _check_size(entry, node)
        return value
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParseError("the expression is undefined (a division by zero or an infinite value)"
                         + _column(node))
    parts = [value] + (list(value.args) if isinstance(value, (sp.Mul, sp.Add)) else [])
    for part in parts:
        if part.is_Rational and _bits(part) > MAX_BITS:
            raise ParseError(f"a number in the expression has more than {MAX_BITS} bits"
                             + _column(node))
        if isinstance(part, sp.Pow) and part.exp.is_Number and abs(part.exp) > MAX_EXPONENT:
            raise ParseError(f"exponent {part.exp} is too large (at most {MAX_EXPONENT})"
                             + _column(node))
    return value


def _exact_literal(text: str, node: ast.Constant) -> sp.Rational:
    """The exact value of a numeric literal, from its source text (no binary rounding)."""
    if isinstance(node.value, complex):
        raise ParseError("complex numbers are not supported" + _column(node))
    if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
        raise ParseError(f"only numbers are allowed as constants, got {node.value!r}"
                         + _column(node))
    source = (ast.get_source_segment(text, node) or "").replace("_", "")
    if isinstance(node.value, int):
        if len(source) > MAX_LITERAL_DIGITS + 2:
            raise ParseError(f"integer literal with more than {MAX_LITERAL_DIGITS} digits"
                             + _column(node))
        return sp.Integer(node.value)
    match = _DECIMAL.match(source)
    if not match or not (match.group(1) or match.group(2)):
        raise ParseError(f"cannot read the number {source!r}" + _column(node))
    if len(match.group(3) or "") > 6:
        raise ParseError(f"the exponent of {source[:20]}... is out of range" + _column(node))
    whole, frac, exponent = match.group(1) or "", match.group(2) or "", int(match.group(3) or 0)
    digits = (whole + frac).lstrip("0") or "0"
    shift = exponent - len(frac)
    if abs(shift) > MAX_LITERAL_DIGITS or len(digits) > MAX_LITERAL_DIGITS:
        raise ParseError(f"the number {source} is out of range (exponents up to "
                         f"+-{MAX_LITERAL_DIGITS})" + _column(node))
    value = sp.Integer(int(digits))
    return value * sp.Integer(10) ** shift if shift >= 0 else value / sp.Integer(10) ** -shift


class _Translator:
    """Builds sympy objects from an ``ast`` tree, iteratively (no Python recursion)."""

    def __init__(self, text: str, coords: Sequence[sp.Symbol]):
        self.text = text
        self.coords = {c.name: c for c in coords}
        self.params: dict[str, sp.Symbol] = {}

    # -- leaves ----------------------------------------------------------------------------

    def name(self, ident: str, node: ast.AST) -> sp.Expr:
        if not _IDENT.match(ident):
            raise ParseError(f"name '{ident}' is not allowed (letters, digits and _ only, "
                             "not starting with _)")
        if ident in self.coords:
            return self.coords[ident]
        if ident in CONSTANTS:
            return CONSTANTS[ident]
        if ident in FUNCTIONS:
            raise ParseError(f"'{ident}' is a function: write {ident}(...)")
        if ident in RESERVED:
            raise ParseError(f"'{ident}' is reserved ({RESERVED[ident]}); use another name"
                             + _column(node))
        return self.params.setdefault(ident, sp.Symbol(ident, real=True))

    # -- the tree --------------------------------------------------------------------------

    def children(self, node: ast.AST) -> list[ast.AST]:
        if isinstance(node, ast.Expression):
            return [node.body]
        if isinstance(node, ast.BinOp):
            return list(_chain(node))[1] if _chain_op(node) else [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ParseError(f"calling {type(node.func).__name__} is not allowed "
                                 "(only plain function names)" + _column(node))
            if node.keywords:
                raise ParseError("keyword arguments are not allowed" + _column(node))
            if any(isinstance(a, ast.Starred) for a in node.args):
                raise ParseError("* arguments are not allowed" + _column(node))
            return list(node.args)
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts)
        if isinstance(node, (ast.Constant, ast.Name)):
            return []
        raise ParseError(f"{type(node).__name__} is not allowed in an expression" + _column(node))

    def __call__(self, root: ast.AST) -> Any:
        results: list[Any] = []
        stack: list[tuple[ast.AST, bool, int]] = [(root, False, 0)]
        while stack:
            node, ready, depth = stack.pop()
            if depth > MAX_DEPTH:
                raise ParseError(f"the expression is nested more than {MAX_DEPTH} levels deep")
            kids = self.children(node)
            if not ready:
                stack.append((node, True, depth))
                flat = isinstance(node, ast.BinOp) and _chain_op(node)
                for child in reversed(kids):
                    stack.append((child, False, depth if flat else depth + 1))
                continue
            args = results[len(results) - len(kids):] if kids else []
            del results[len(results) - len(kids):]
            results.append(_check_size(self.build(node, args), node))
        return results[0]

    def build(self, node: ast.AST, args: list[Any]) -> Any:
        if isinstance(node, ast.Expression):
            return args[0]
        if isinstance(node, ast.Constant):
            return _exact_literal(self.text, node)
        if isinstance(node, ast.Name):
            return self.name(node.id, node)
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(args)
        if isinstance(node, ast.Call) and node.func.id == "Derivative":
            return self.derivative(node, args)
        if any(isinstance(a, (list, sp.MatrixBase)) for a in args):
            raise ParseError("a matrix or a list (matrix row) cannot be used inside an "
                             "expression" + _column(node))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -args[0]
            if isinstance(node.op, ast.UAdd):
                return args[0]
            raise ParseError(f"operator {type(node.op).__name__} is not allowed" + _column(node))
        if isinstance(node, ast.BinOp):
            if _chain_op(node):
                ops, _ = _chain(node)
                return _fold(ops, args, node)
            return _binary(node.op, args[0], args[1], node)
        if isinstance(node, ast.Call):
            return self.call(node, args)
        raise ParseError(f"{type(node).__name__} is not allowed in an expression" + _column(node))

    def derivative(self, node: ast.Call, args: list[Any]) -> sp.Expr:
        """``Derivative(f(x), x)``, ``Derivative(f(x, y), (x, 2), y)``: how sympy prints the
        derivatives of metric functions in kexue-sym's output, so that the output reads back.
        Only undefined functions of the coordinates, differentiated by coordinates, order <= 8."""
        if not args or not isinstance(args[0], AppliedUndef):
            raise ParseError("Derivative(...) takes an undefined function of the coordinates "
                             "first, e.g. Derivative(a(t), t)" + _column(node))
        spec, order = [], 0
        for a in args[1:]:
            var, k = (a[0], a[1]) if isinstance(a, list) and len(a) == 2 else (a, sp.Integer(1))
            if var not in args[0].args or not (isinstance(k, sp.Integer) and k >= 1):
                raise ParseError("Derivative(f(x), ...) differentiates by the function's own "
                                 "coordinates: x or (x, 2)" + _column(node))
            spec.append((var, k))
            order += int(k)
        if not spec or order > 8:
            raise ParseError("Derivative(...) needs between 1 and 8 differentiations"
                             + _column(node))
        return sp.Derivative(args[0], *spec)

    def call(self, node: ast.Call, args: list[Any]) -> Any:
        fname = node.func.id
        if not _IDENT.match(fname):
            raise ParseError(f"function name '{fname}' is not allowed")
        if fname in FUNCTIONS:
            fn, arity = FUNCTIONS[fname]
            if len(args) != arity:
                raise ParseError(f"{fname} takes {_WORDS[arity]} argument{'s' * (arity > 1)}, got "
                                 f"{len(args)}" + _column(node))
            return fn(*args)
        if fname == "diag":
            if not args:
                raise ParseError("diag() needs at least one entry")
            return sp.diag(*args)
        if fname in self.coords or fname in CONSTANTS or fname in RESERVED:
            raise ParseError(f"'{fname}' is not a function" + _column(node))
        if fname in _SYMPY_FUNCTIONS:
            raise ParseError(f"'{fname}' is a sympy name the parser does not support; "
                             "name your own function differently" + _column(node))
        # an undefined function of the coordinates, e.g. a(t) in FLRW
        if not args or not all(a in self.coords.values() for a in args):
            raise ParseError(f"unknown function '{fname}': an undefined function must take "
                             "coordinates as its arguments, e.g. a(t)" + _column(node))
        if len(set(args)) != len(args):
            raise ParseError(f"'{fname}' takes each coordinate at most once" + _column(node))
        if fname in self.params:
            raise ParseError(f"'{fname}' is used both as a parameter and as a function")
        return sp.Function(fname, real=True)(*args)


def _chain_op(node: ast.BinOp) -> bool:
    return isinstance(node.op, (ast.Add, ast.Sub, ast.Mult))


def _same_level(a: ast.operator, b: ast.operator) -> bool:
    additive = (ast.Add, ast.Sub)
    return isinstance(a, additive) == isinstance(b, additive) and \
        isinstance(a, (ast.Add, ast.Sub, ast.Mult)) and isinstance(b, (ast.Add, ast.Sub, ast.Mult))


def _chain(node: ast.BinOp) -> tuple[list[ast.operator], list[ast.AST]]:
    """A left-deep chain ``t0 op1 t1 op2 t2 ...`` of + and - (or of *) as its operators and
    operands, gathered iteratively."""
    ops: list[ast.operator] = []
    operands: list[ast.AST] = []
    cur: ast.AST = node
    while isinstance(cur, ast.BinOp) and _same_level(cur.op, node.op):
        ops.append(cur.op)
        operands.append(cur.right)
        cur = cur.left
    operands.append(cur)
    return ops[::-1], operands[::-1]


def _fold(ops: list[ast.operator], values: list[Any], node: ast.AST) -> Any:
    if isinstance(ops[0], ast.Mult):
        out = values[0]
        for v in values[1:]:
            out = _check_size(out * v, node)
        return out
    terms = [values[0]] + [v if isinstance(op, ast.Add) else -v for op, v in zip(ops, values[1:])]
    return sp.Add(*terms)


def _binary(op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
    if isinstance(op, ast.Div):
        if right == 0:
            raise ParseError("division by zero" + _column(node))
        return left / right
    if isinstance(op, (ast.Pow, ast.BitXor)):
        if right.is_Number:
            if abs(right) > MAX_EXPONENT:
                raise ParseError(f"exponent {right} is too large (at most {MAX_EXPONENT})"
                                 + _column(node))
            base = str(left) if left.is_Rational and _bits(left) < 64 else \
                f"(a {_bits(left)}-bit number)" if left.is_Rational else ""
            # sympy computes a rational power p/q of a number as (left**p)**(1/q), looking for
            # exact roots by factoring: bound both (0.99..9**0.99..9 took minutes)
            numerator = abs(right.p) if right.is_Rational else abs(sp.floor(right))
            if left.is_Rational and _bits(left) * numerator > MAX_BITS:
                raise ParseError(f"{base}**{right} would have more than {MAX_BITS} bits"
                                 + _column(node))
            if left.is_Rational and right.is_Rational and not right.is_Integer and (
                    right.q > MAX_ROOT or _bits(left) > MAX_ROOT_BITS):
                raise ParseError(f"{base}**{right}: exact roots of numbers are limited to "
                                 f"denominators up to {MAX_ROOT} and {MAX_ROOT_BITS}-bit bases"
                                 + _column(node))
            if left == 0 and right.is_negative:
                raise ParseError("division by zero (0 to a negative power)" + _column(node))
        return left ** right
    raise ParseError(f"operator {type(op).__name__} is not allowed" + _column(node))


def _tree(text: str) -> tuple[ast.AST, str]:
    if not isinstance(text, str):
        raise ParseError("expected text")
    if len(text) > MAX_CHARS:
        raise ParseError(f"input longer than {MAX_CHARS} characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("the input is not valid UTF-8") from None
    text = text.strip()
    if not text:
        raise ParseError("empty expression")
    old = sys.getrecursionlimit()
    # Python builds a chain a + b + c ... as a left-deep tree: a long sum needs a deep parse
    sys.setrecursionlimit(max(old, 6 * MAX_CHARS))
    try:
        return ast.parse(text, mode="eval"), text
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        raise ParseError(f"syntax error{where}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise ParseError("the expression is nested too deeply to parse") from None
    except ValueError as exc:  # null bytes, integer literals too long for Python itself
        raise ParseError(f"cannot parse the input: {str(exc).splitlines()[0]}") from None
    finally:
        sys.setrecursionlimit(old)


def parse_coords(text: str) -> list[sp.Symbol]:
    """'t r theta phi' or 't, r, theta, phi' -> real symbols (distinct identifiers)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError("the coordinates are not valid UTF-8") from None
    names = [n for n in re.split(r"[\s,]+", text.strip()) if n]
    if not names:
        raise ParseError("no coordinates given")
    for n in names:
        if not _IDENT.match(n) or n in FUNCTIONS or n in CONSTANTS or n in RESERVED:
            raise ParseError(f"'{n}' cannot be a coordinate name")
    if len(set(names)) != len(names):
        raise ParseError("coordinate names must be distinct")
    if len(names) > 16:
        raise ParseError("at most 16 coordinates")
    return [sp.Symbol(n, real=True) for n in names]


def parse_expression(text: str, coords: Sequence[sp.Symbol] = ()) -> sp.Expr:
    """A scalar expression in the coordinates (other names become real parameters)."""
    tree, clean = _tree(text)
    out = _Translator(clean, coords)(tree)
    if isinstance(out, (list, sp.MatrixBase)):
        raise ParseError("expected a scalar expression, got a matrix")
    return out


def parse_metric(text: str, coords: Sequence[sp.Symbol]) -> sp.Matrix:
    """``diag(a, b, ...)`` or ``[[g00, g01], [g10, g11]]`` -> a sympy Matrix (shape checked by
    the caller together with symmetry and the number of coordinates)."""
    tree, clean = _tree(text)
    out = _Translator(clean, coords)(tree)
    if isinstance(out, sp.MatrixBase):
        return out
    if isinstance(out, list):
        if not out or not all(isinstance(r, list) for r in out):
            raise ParseError("a matrix is a list of rows: [[g00, g01], [g10, g11]]")
        width = {len(r) for r in out}
        if len(width) != 1 or 0 in width:
            raise ParseError(f"rows of different lengths: {sorted(width)}")
        if any(isinstance(e, list) for r in out for e in r):
            raise ParseError("matrix entries must be scalars")
        return sp.Matrix(out)
    raise ParseError("the metric must be diag(...) or a matrix [[...], ...]")
