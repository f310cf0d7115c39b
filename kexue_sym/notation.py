"""Display-only notation: unevaluated sympy functions that print the way papers write them.

They stand in a step's ``display`` form (what the report and the LaTeX show); checkers never see
them.  ``str`` gives a readable name (``norm(a_1)``), LaTeX the usual symbol (``\\|a_1\\|``).
"""
from __future__ import annotations

import sympy as sp


class _Notation(sp.Function):
    """An unevaluated function printed by ``template % args`` in LaTeX."""

    template = ""
    #: a power of it is printed around parentheses (a body ending in a script of its own)
    wrap_power = False

    def _latex(self, printer, exp=None):
        body = self.template % tuple(printer._print(a) for a in self.args)
        return _power(body, exp, self.wrap_power)


def _power(body: str, exp, wrap: bool) -> str:
    if not exp:
        return body
    return rf"\left({body}\right)^{{{exp}}}" if wrap else f"{body}^{{{exp}}}"


class norm(_Notation):
    r"""``norm(v)``: the Euclidean norm, printed ``\left\| v \right\|`` (non-negative, so
    that a lemma chain can use the sign of a product of norms)."""

    nargs = 1
    template = r"\left\| %s \right\|"

    is_real = True
    is_nonnegative = True


class opnorm(norm):
    r"""``opnorm(A)``: the spectral (operator) norm, printed ``\left\| A \right\|_2``."""

    template = r"\left\| %s \right\|_{2}"
    wrap_power = True


class frobenius(norm):
    r"""``frobenius(A)``: the Frobenius norm, printed ``\left\| A \right\|_F``."""

    template = r"\left\| %s \right\|_{F}"
    wrap_power = True


class gradient(_Notation):
    r"""``gradient(f, x)``: the gradient of ``f`` with respect to ``x``, ``\nabla_{x} f``."""

    nargs = 2
    template = r"\nabla_{%s} %s"

    def _latex(self, printer, exp=None):
        f, x = (printer._print(a) for a in self.args)
        return _power(rf"\nabla_{{{x}}} {f}", exp, True)


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
        return _power(body, exp, True)


class scalar(_Notation):
    r"""``scalar(u.T * A * v)``: a 1 x 1 matrix expression of matrix symbols shown as the number
    it is, so it can stand in sums and exponents (``\Delta^T S^{-1} \Delta / 8``)."""

    nargs = 1
    template = "%s"

    def _sympystr(self, printer):
        return f"({printer._print(self.args[0])})"


class integral_over(_Notation):
    r"""``integral_over(f, x, n)``: the integral over the whole space, printed
    ``\int_{\mathbb{R}^n} f \, dx``."""

    nargs = 3

    def _latex(self, printer, exp=None):
        f, x, n = (printer._print(a) for a in self.args)
        body = rf"\int_{{\mathbb{{R}}^{{{n}}}}} {f} \, d{x}"
        return _power(body, exp, True)


class normal(_Notation):
    r"""``normal(mu, S)``: the normal distribution, printed ``\mathcal{N}(\mu, S)``."""

    nargs = 2
    template = r"\mathcal{N}\left(%s, %s\right)"


class expectation(_Notation):
    r"""``expectation(f)``: the expectation under the standard normal, ``\mathbb{E}\,f``."""

    nargs = 1
    template = r"\mathbb{E}\left[%s\right]"


class sum_over(_Notation):
    r"""``sum_over(term, index)``: a sum over an index set left implicit, ``\sum_i t_i``."""

    nargs = 2

    def _latex(self, printer, exp=None):
        term, index = (printer._print(a) for a in self.args)
        if isinstance(self.args[0], sp.Add):
            term = rf"\left({term}\right)"
        return _power(rf"\sum_{{{index}}} {term}", exp, True)


class adjugate_form(_Notation):
    r"""``adjugate_form(v, S)``: the quadratic form of the adjugate, ``v^T \operatorname{adj}(S)
    v`` (the adjugate of a matrix that may be singular, where ``S^{-1}`` is not defined)."""

    nargs = 2

    def _latex(self, printer, exp=None):
        v, S = (printer._print(a) for a in self.args)
        body = rf"{v}^{{T}} \operatorname{{adj}}\left({S}\right) {v}"
        return _power(body, exp, True)


class minor_sum(_Notation):
    r"""``minor_sum(H)``: the Cauchy-Binet sum of squared maximal minors of ``H``,
    ``\sum_{I} \det H_I^2`` (it equals :math:`\det H^T H`)."""

    nargs = 1
    template = r"\textstyle\sum_{I} \det\left(%s_{I}\right)^{2}"
    wrap_power = True


#: names that print as words: a display of "the article's value minus ours" reads as such
printed_value = sp.Symbol("R_printed")
correct_value = sp.Symbol("R_correct")


class probability(_Notation):
    r"""``probability(E)``: the probability of an event, printed ``P\left[E\right]``."""

    nargs = 1
    template = r"P\left[%s\right]"


class conditional(_Notation):
    r"""``conditional(E, C)``: a conditional probability, printed ``P\left[E \mid C\right]``."""

    nargs = 2
    template = r"P\left[%s \,\middle|\, %s\right]"


class argmax_is(_Notation):
    r"""``argmax_is(v, i)``: the event that the largest component of ``v`` is the ``i``-th,
    printed ``\operatorname{argmax}(v) = i``."""

    nargs = 2
    template = r"\operatorname{argmax}\left(%s\right) = %s"


class every_other(_Notation):
    r"""``every_other(E, j)``: the event ``E_j`` for every other class ``j``, printed
    ``\bigcap_{j} \{E_j\}``."""

    nargs = 2

    def _latex(self, printer, exp=None):
        event, j = (printer._print(a) for a in self.args)
        return _power(rf"\bigcap_{{{j}}} \left\{{{event}\right\}}", exp, True)


class _GradientRow(sp.MatrixSymbol):
    """A 1 x n matrix symbol printed as a gradient (see :func:`gradient_row`)."""

    def _latex(self, printer, exp=None):
        f, x = self.name.split("__")[1:]
        return rf"\nabla_{{{x}}} {f}" if not exp else rf"\left(\nabla_{{{x}}} {f}\right)^{{{exp}}}"


def gradient_row(f: str, x: str, n) -> sp.MatrixSymbol:
    r"""The gradient :math:`\nabla_x f` of a scalar as a 1 x n row (the article's convention),
    a matrix symbol that keeps its place in a product (``h * gradient_row("f", "x", n)`` is the
    outer product :math:`h \nabla_x f`)."""
    return _GradientRow(f"grad__{f}__{x}", 1, n)
