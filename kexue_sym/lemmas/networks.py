"""Layered networks: the chain rule through one layer, on explicit networks whose activation is
an undefined sympy function (so an identity proved on them holds for every activation)."""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .. import check
from ..verdict import Verdict
from .core import Lemma


@dataclass
class SymbolicMLP:
    """h^(t+1) = g(W^(t) h^(t) + b^(t)), h^(1) = x, f = F(h^(l+1)), with symbolic weights,
    biases and inputs, an undefined activation ``g`` and an undefined scalar function ``F``.

    ``z[t]``, ``h[t]`` are the pre-activation z^(t+1) and the input h^(t) of layer t (0-based
    lists: layer t = 1 is index 0)."""

    x: sp.Matrix
    W: list[sp.Matrix]
    b: list[sp.Matrix]
    h: list[sp.Matrix]
    z: list[sp.Matrix]
    f: sp.Expr

    def grad_x(self) -> sp.Matrix:
        """nabla_x f as a row (the article's convention for the gradient of a scalar)."""
        return sp.Matrix([[sp.diff(self.f, v) for v in self.x]])

    def grad_W(self, t: int) -> sp.Matrix:
        """[df/dw_mn], the gradient in the shape of W^(t)."""
        W = self.W[t]
        return sp.Matrix(W.rows, W.cols, lambda m, n: sp.diff(self.f, W[m, n]))

    def grad_b(self, t: int) -> sp.Matrix:
        """[df/db_m] as a column."""
        return sp.Matrix([sp.diff(self.f, v) for v in self.b[t]])

    def grad_z(self, t: int) -> sp.Matrix:
        """[df/dz_m^(t+1)] as a column: f written through fresh symbols for z^(t+1), differentiated,
        and the symbols put back."""
        Z = sp.Matrix(sp.symbols(f"Z_1:{self.z[t].rows + 1}", real=True))
        h = Z.applyfunc(_g)
        for s in range(t + 1, len(self.W)):
            h = (self.W[s] * h + self.b[s]).applyfunc(_g)
        f_of_z = _F(*h)
        back = dict(zip(Z, self.z[t]))
        return sp.Matrix([sp.diff(f_of_z, v).subs(back) for v in Z])

    def jacobian(self, t: int) -> sp.Matrix:
        """dh^(t)/dx (rows: components of h^(t))."""
        return self.h[t].jacobian(self.x)


_g, _F = sp.Function("g"), sp.Function("F")


def symbolic_mlp(widths: list[int], name: str = "") -> SymbolicMLP:
    """An MLP with layer widths ``widths`` = [d_x, d_2, ..., d_{l+1}]."""
    x = sp.Matrix(sp.symbols(f"x_1:{widths[0] + 1}", real=True))
    h, W, b, hs, zs = x, [], [], [], []
    for t, (a, c) in enumerate(zip(widths[:-1], widths[1:]), 1):
        Wt = sp.Matrix(c, a, lambda i, j: sp.Symbol(f"w{name}{t}_{i + 1}{j + 1}", real=True))
        bt = sp.Matrix(sp.symbols(f"b{name}{t}_1:{c + 1}", real=True))
        hs.append(h)
        z = Wt * h + bt
        zs.append(z)
        W.append(Wt)
        b.append(bt)
        h = z.applyfunc(_g)
    return SymbolicMLP(x, W, b, hs, zs, _F(*h))


def _layer_instances() -> list[Verdict]:
    out = []
    for widths in ([2, 2, 2], [2, 3, 2]):
        net = symbolic_mlp(widths)
        for t in range(len(net.W)):
            out.append(check.equal(net.h[t] * net.grad_x(),
                                   net.grad_W(t).T * net.W[t] * net.jacobian(t), numeric=False))
            out.append(check.equal(net.grad_x(), net.grad_b(t).T * net.W[t] * net.jacobian(t),
                                   numeric=False))
    return out


CHAIN_RULE_LAYER = Lemma(
    "chain_rule_layer", "the chain rule through layer t",
    "h^(t) (nabla_x f) = G_t^T W^(t) J_t and nabla_x f = (nabla_b f)^T W^(t) J_t, G_t = "
    "[df/dw_mn] (every path from x to f passes through z^(t+1) = W^(t) h^(t) + b^(t))",
    "the chain rule, kexue.fm/archives/8796 (l)",
    instance=lambda h, q, G, W, J, part="weights": (
        (h.T * h * q, "=", h.T * G.T * W * J) if part == "weights" else (q, "=", G.T * W * J)),
    self_check=_layer_instances,
    checked_on="networks of widths (2, 2, 2) and (2, 3, 2) with an undefined activation g and an "
               "undefined F, every layer, both identities")


def _outer_instances() -> list[Verdict]:
    out = []
    for h, q in ((sp.Matrix([1, 2]), sp.Matrix([[3, -1, 2]])),
                 (sp.Matrix([2, -1, 2]), sp.Matrix([[1, 1]]))):
        v = h.T * h * q
        out.append(check.equal(sp.sqrt(sum(e ** 2 for e in v)),
                               sum(e ** 2 for e in h) * sp.sqrt(sum(e ** 2 for e in q)),
                               numeric=False))
    return out


NORM_OF_OUTER = Lemma(
    "norm_of_outer", "h^T h = ||h||^2",
    "||h^T h q|| = ||h||^2 ||q|| for a column h and a row q", "homogeneity of the norm",
    instance=lambda h, q: (_norm()(h.T * h * q), "=", _norm()(h) ** 2 * _norm()(q)),
    self_check=_outer_instances, checked_on="two integer (h, q) pairs, exactly")


def _norm():
    from ..notation import norm

    return norm
