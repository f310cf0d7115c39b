"""Display-only notation: unevaluated sympy functions that print the way papers write them.

They stand in a step's ``display`` form (what the report and the LaTeX show); checkers never see
them.  ``str`` gives a readable name (``norm(a_1)``), LaTeX the usual symbol (``\\|a_1\\|``).
"""
from __future__ import annotations

import sympy as sp


class norm(sp.Function):
    r"""``norm(v)``: the Euclidean norm, printed ``\left\| v \right\|``."""

    nargs = 1

    def _latex(self, printer, exp=None):
        body = r"\left\| %s \right\|" % printer._print(self.args[0])
        return f"{body}^{{{exp}}}" if exp else body


class inner(sp.Function):
    r"""``inner(u, v)``: the inner product, printed ``\left\langle u, v \right\rangle``."""

    nargs = 2

    def _latex(self, printer, exp=None):
        body = r"\left\langle %s, %s \right\rangle" % tuple(printer._print(a) for a in self.args)
        return f"{body}^{{{exp}}}" if exp else body


class cross(sp.Function):
    r"""``cross(u, v)``: the vector product, printed ``\left(u \times v\right)``."""

    nargs = 2

    def _latex(self, printer, exp=None):
        body = r"\left(%s \times %s\right)" % tuple(printer._print(a) for a in self.args)
        return f"{body}^{{{exp}}}" if exp else body
