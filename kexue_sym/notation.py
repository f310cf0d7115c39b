"""Display-only notation: unevaluated sympy functions that print the way papers write them.

They stand in a step's ``display`` form (what the report and the LaTeX show); checkers never see
them.  ``str`` gives a readable name (``norm(a_1)``), LaTeX the usual symbol (``\\|a_1\\|``).
"""
from __future__ import annotations

import sympy as sp


class _Notation(sp.Function):
    """An unevaluated function printed by ``template % args`` in LaTeX."""

    template = ""

    def _latex(self, printer, exp=None):
        body = self.template % tuple(printer._print(a) for a in self.args)
        return f"{body}^{{{exp}}}" if exp else body


class norm(_Notation):
    r"""``norm(v)``: the Euclidean norm, printed ``\left\| v \right\|``."""

    nargs = 1
    template = r"\left\| %s \right\|"


class inner(_Notation):
    r"""``inner(u, v)``: the inner product, printed ``\left\langle u, v \right\rangle``."""

    nargs = 2
    template = r"\left\langle %s, %s \right\rangle"


class cross(_Notation):
    r"""``cross(u, v)``: the vector product, printed ``\left(u \times v\right)``."""

    nargs = 2
    template = r"\left(%s \times %s\right)"
