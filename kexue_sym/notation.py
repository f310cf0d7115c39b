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


class KL(_Notation):
    r"""``KL(p, q)``: the Kullback-Leibler divergence, printed ``\mathrm{KL}(p \,\|\, q)``."""

    nargs = 2
    template = r"\mathrm{KL}\left(%s \,\middle\|\, %s\right)"


class BD(_Notation):
    r"""``BD(p, q)``: the Bhattacharyya distance, printed ``D_B(p, q)``."""

    nargs = 2
    template = r"D_{B}\left(%s, %s\right)"


class W2(_Notation):
    r"""``W2(p, q)``: the Wasserstein-2 distance, printed ``W_2(p, q)``."""

    nargs = 2
    template = r"W_{2}\left(%s, %s\right)"


class entropy(_Notation):
    r"""``entropy(p)``: the differential entropy, printed ``H(p)``."""

    nargs = 1
    template = r"H\left(%s\right)"


class minimum(_Notation):
    r"""``minimum(e)``: the smallest value of ``e`` over the cases at hand, ``\min(e)``."""

    nargs = 1
    template = r"\min\left(%s\right)"


class dim_solutions(_Notation):
    r"""``dim_solutions(eq)``: the dimension of the solution space of the numbered system
    ``eq`` (an integer), printed ``\dim\{R : (eq)\}``."""

    nargs = 1
    template = r"\dim\left\{R : (%s)\right\}"


class mixed_component(_Notation):
    r"""``mixed_component(R, a, b, c, d)``: a tensor component with one index up,
    printed ``R^{a}{}_{bcd}``."""

    nargs = 5
    template = r"{%s}^{%s}{}_{%s%s%s}"


class laplacian(_Notation):
    r"""``laplacian(f)``: the flat Laplacian :math:`\partial_0^2 f + \partial_1^2 f + \dots`,
    printed ``\Delta f`` (``\Delta\left(\ln f\right)`` for a compound argument)."""

    nargs = 1

    def _latex(self, printer, exp=None):
        arg = self.args[0]
        inner_tex = printer._print(arg)
        body = rf"\Delta {inner_tex}" if arg.is_Symbol or isinstance(arg, sp.core.function.AppliedUndef) \
            else rf"\Delta\left({inner_tex}\right)"
        return rf"\left({body}\right)^{{{exp}}}" if exp else body


#: names that print as words: a display of "the article's value minus ours" reads as such
printed_value = sp.Symbol("R_printed")
correct_value = sp.Symbol("R_correct")
