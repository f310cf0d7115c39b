"""sympy -> torch: lambdify wrapped so the result is always a proper tensor.

``torchify(expr, symbols)`` returns a function of tensors (or numbers) that
  * accepts only a tested allow-list of sympy operations and says "not supported yet" for the
    rest (complex numbers, special functions torch lacks, boolean logic in conditions);
  * broadcasts its arguments, returns a tensor of the broadcast shape even when the expression
    is a constant or ignores an argument, on the arguments' device, in their floating dtype
    (integers become the default float dtype);
  * is differentiable with autograd wherever the expression is;
  * fixes what sympy's own torch printer gets wrong: ``Max``/``Min`` printed as Python's
    builtins (wrong on tensors; ``Max`` of three arguments), ``sign``/``Heaviside``/
    ``Piecewise`` printed as Python ``if`` expressions, and constants returned as Python numbers.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable, Sequence

import sympy as sp
import torch
from sympy.printing.lambdarepr import LambdaPrinter

from .check import as_expr


def _lift(torch_fn: Callable, math_fn: Callable) -> Callable:
    """Apply ``torch_fn`` when any argument is a tensor (numbers are lifted to its dtype)."""
    def f(*args: Any) -> Any:
        ref = next((a for a in args if isinstance(a, torch.Tensor)), None)
        if ref is None:
            return math_fn(*args)
        return torch_fn(*[a if isinstance(a, torch.Tensor)
                          else torch.as_tensor(a, dtype=ref.dtype, device=ref.device) for a in args])
    return f


def _math_sign(x: float) -> float:
    return 0.0 if x == 0 else math.copysign(1.0, x)


def _where(cond: Any, a: Any, b: Any) -> Any:
    if not isinstance(cond, torch.Tensor):
        return a if cond else b
    ref = next((t for t in (a, b) if isinstance(t, torch.Tensor)), None)
    dtype = ref.dtype if ref is not None else torch.get_default_dtype()
    a, b = (t if isinstance(t, torch.Tensor) else torch.as_tensor(t, dtype=dtype, device=cond.device)
            for t in (a, b))
    return torch.where(cond, a, b)


_NAMESPACE: dict[str, Any] = {
    "exp": _lift(torch.exp, math.exp), "log": _lift(torch.log, math.log),
    "sqrt": _lift(torch.sqrt, math.sqrt),
    "sin": _lift(torch.sin, math.sin), "cos": _lift(torch.cos, math.cos),
    "tan": _lift(torch.tan, math.tan), "asin": _lift(torch.asin, math.asin),
    "acos": _lift(torch.acos, math.acos), "atan": _lift(torch.atan, math.atan),
    "atan2": _lift(torch.atan2, math.atan2), "sinh": _lift(torch.sinh, math.sinh),
    "cosh": _lift(torch.cosh, math.cosh), "tanh": _lift(torch.tanh, math.tanh),
    "asinh": _lift(torch.asinh, math.asinh), "acosh": _lift(torch.acosh, math.acosh),
    "atanh": _lift(torch.atanh, math.atanh), "erf": _lift(torch.special.erf, math.erf),
    "erfc": _lift(torch.special.erfc, math.erfc), "lgamma": _lift(torch.lgamma, math.lgamma),
    "floor": _lift(torch.floor, math.floor), "ceil": _lift(torch.ceil, math.ceil),
    "abs": _lift(torch.abs, abs), "sign": _lift(torch.sign, _math_sign),
    "max": lambda *a: functools.reduce(_lift(torch.maximum, max), a),
    "min": lambda *a: functools.reduce(_lift(torch.minimum, min), a),
    "where": _where, "pi": math.pi, "e": math.e, "E": math.e, "math": math,
}

_ALLOWED: tuple[type, ...] = (
    sp.Symbol, sp.Number, sp.NumberSymbol, sp.Add, sp.Mul, sp.Pow,
    sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot, sp.asin, sp.acos, sp.atan,
    sp.atan2, sp.sinh, sp.cosh, sp.tanh, sp.asinh, sp.acosh, sp.atanh, sp.erf, sp.erfc,
    sp.loggamma, sp.floor, sp.ceiling, sp.Abs, sp.sign, sp.Max, sp.Min, sp.Heaviside,
    sp.Piecewise, sp.core.relational.Relational, sp.logic.boolalg.BooleanTrue,
    sp.functions.elementary.piecewise.ExprCondPair, sp.Tuple,
)


class _Printer(LambdaPrinter):
    """LambdaPrinter with vectorised sign, Heaviside and Piecewise."""

    def _print_sign(self, e):
        return f"sign({self._print(e.args[0])})"

    def _print_Heaviside(self, e):
        x = self._print(e.args[0])
        half = self._print(e.args[1]) if len(e.args) > 1 else "0.5"
        return f"where({x} < 0, 0.0, where({x} > 0, 1.0, {half}))"

    def _print_Piecewise(self, e):
        *pieces, (last_expr, last_cond) = e.args
        if last_cond is not sp.true:
            raise NotImplementedError("torchify: a Piecewise without a final True branch is not "
                                      "supported yet (its value would be undefined there)")
        out = self._print(last_expr)
        for expr, cond in reversed(pieces):
            out = f"where({self._print(cond)}, {self._print(expr)}, {out})"
        return out


def _validate(expr: sp.Expr, symbols: Sequence[sp.Symbol]) -> None:
    extra = expr.free_symbols - set(symbols)
    if extra:
        names = ", ".join(sorted(map(str, extra)))
        raise ValueError(f"torchify: invalid input: the expression has free symbols {names} "
                         "that are not among the arguments")
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Piecewise,)):
            for _, cond in node.args:
                if not isinstance(cond, (sp.core.relational.Relational,
                                         sp.logic.boolalg.BooleanTrue)):
                    raise NotImplementedError(
                        f"torchify: the condition {cond} is not supported yet (only single "
                        "comparisons such as x > 0)")
        if node.is_Number and not node.is_real:
            raise NotImplementedError(f"torchify: complex constant {node} is not supported yet")
        if not isinstance(node, _ALLOWED):
            raise NotImplementedError(
                f"torchify: {type(node).__name__} is not supported yet; supported: "
                + ", ".join(sorted({t.__name__ for t in _ALLOWED})))


class TorchFunction:
    """A compiled closed form: call it with one tensor (or number) per symbol."""

    def __init__(self, expr: Any, symbols: Sequence[sp.Symbol], name: str = ""):
        expr = as_expr(expr)
        self.expr, self.symbols, self.name = expr, tuple(symbols), name or str(expr)[:40]
        _validate(expr, self.symbols)
        # the settings lambdify itself gives its default printers: names from our namespace
        printer = _Printer({"fully_qualified_modules": False, "inline": True,
                            "allow_unknown_functions": True,
                            "user_functions": {k: k for k in _NAMESPACE}})
        self._fn = sp.lambdify(self.symbols, expr, modules=[_NAMESPACE], printer=printer)

    def __repr__(self) -> str:
        return f"TorchFunction({self.name}; args {', '.join(map(str, self.symbols))})"

    def __call__(self, *args: Any) -> torch.Tensor:
        if len(args) != len(self.symbols):
            raise TypeError(f"{self!r} takes {len(self.symbols)} arguments, got {len(args)}")
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        devices = {t.device for t in tensors}
        if len(devices) > 1:
            raise ValueError(f"arguments on different devices: {sorted(map(str, devices))}")
        device = devices.pop() if devices else torch.device("cpu")
        floats = [t.dtype for t in tensors if t.is_floating_point()]
        dtype = functools.reduce(torch.promote_types, floats) if floats else torch.get_default_dtype()
        inputs = [torch.as_tensor(a, dtype=dtype, device=device) for a in args]
        shape = torch.broadcast_shapes(*(t.shape for t in inputs)) if inputs else torch.Size()
        out = self._fn(*inputs)
        if not isinstance(out, torch.Tensor):
            return torch.full(shape, float(out), dtype=dtype, device=device)
        if out.dtype != dtype:
            out = out.to(dtype)
        return out if out.shape == shape else out.expand(shape)


def torchify(expr: Any, symbols: Sequence[sp.Symbol], name: str = "") -> TorchFunction:
    """Compile a scalar sympy expression into a batched, differentiable torch function.

    ``symbols`` fixes the argument order.  Raises ``NotImplementedError`` ("not supported yet")
    for operations outside the tested allow-list and ``ValueError`` for free symbols that are
    not arguments.
    """
    return TorchFunction(expr, symbols, name)
