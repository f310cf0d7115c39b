r"""An inequality between the input-gradient and the parameter-gradient penalty of an MLP.

Title
    输入梯度惩罚与参数梯度惩罚的一个不等式 (An inequality between input-gradient and
    parameter-gradient penalties), Su Jianlin, 2021-12-11.

Main results
    * The chain-rule identities on explicit networks (widths 2-2-2 and 2-3-2) with an
      **undefined** activation g and an undefined output function F, so they hold for every
      activation: :math:`\partial f/\partial w_{mn} = (\partial f/\partial z_m) h_n`, the bias
      gradient is the z-gradient, (l), :math:`h^{(t)}\nabla_x f = G_t^\top W^{(t)} J_t` and
      :math:`\nabla_x f = (\nabla_b f)^\top W^{(t)} J_t` (PROVED, every layer).
    * Cauchy-Schwarz in 2 and 3 dimensions and :math:`\|Gv\|^2 \le \|G\|_F^2\|v\|^2` for 2 x 2
      (PROVED by SOS certificates).
    * (w) :math:`\|\nabla_x f\|^2\|h\|^2/(\|W\|_2^2\|J\|_2^2) \le \|\nabla_W f\|_F^2`,
      (b) :math:`\|\nabla_x f\|^2/(\|W\|_2^2\|J\|_2^2) \le \|\nabla_b f\|^2` for a general layer
      and their sum (f) over l layers (PROVED modulo named lemmas: the chain rule through a
      layer, the operator-norm bounds, each self-checked), with the case h = 0.
    * The variant with the smallest singular value of W in place of the spectral norm is false
      (REFUTED on a linear 2 x 2 instance, declared with ``expect=``).

Assumptions
    Real weights, biases and inputs; h^(t+1) = g(W^(t) h^(t) + b^(t)) with g applied
    elementwise and differentiable; f a differentiable scalar function of the last layer;
    the article's convention: gradients of column vectors are rows, and
    :math:`[\nabla_W f]_{nm} = \partial f/\partial w_{mn}` (so :math:`\nabla_W f = G^\top`).
    In the general-layer chain the norms are named a, q, gamma, omega, j > 0 (case h != 0,
    W != 0, J != 0; W = 0 or J = 0 makes the input gradient 0).

Not machine-checked
    The chain rule through a layer for general widths and depths (the lemma is checked on the
    explicit networks only), the operator-norm lemmas (checked on exact integer matrices), and
    the step from the per-sample sum to :math:`\|\nabla_\theta f\|^2` (the definition of the
    l2 norm of all parameters).

References
    https://kexue.fm/archives/8796, eqs. (l), (w), (b), (f); after Dherin et al.,
    arXiv:2111.15090.  The proof of (b) is a reconstruction (the article says only
    "similar"); the identity :math:`\partial f/\partial w_{mn} = (\partial f/\partial z_m)h_n`
    replaces the article's division by :math:`h_n`, which fails at :math:`h_n = 0`.
"""
from __future__ import annotations

import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.justify import ByChain, ByLemmas, ByRenaming, BySlack
from kexue_sym.lemmas import (CHAIN_RULE_LAYER, DIVIDE_POSITIVE, NORM_OF_OUTER, OP_LE_FROBENIUS,
                              OP_NORM_VECTOR, OP_SUBMULTIPLICATIVE, SQUARE_MONO, SUM_MONO,
                              symbolic_mlp)
from kexue_sym.notation import frobenius, gradient, gradient_row, norm, opnorm
from kexue_sym.registry import derivation

SOURCE = "https://kexue.fm/archives/8796"


@derivation("gradient-penalty", title="Input-gradient vs parameter-gradient penalty of an MLP",
            source=SOURCE,
            summary="||nabla_x f||^2 sum_t (1 + ||h_t||^2)/(||W_t||^2 ||J_t||^2) <= "
                    "||nabla_theta f||^2",
            crosscheck="kexue_sym.crosscheck.gradient_penalty:run")
def build(d: Derivation) -> None:
    _chain_rule(d)
    _small_norms(d)
    per_layer = _per_layer(d)
    _sum_over_layers(d, per_layer)
    _strengthened_variant(d)


def _chain_rule(d: Derivation) -> None:
    for widths in ([2, 2, 2], [2, 3, 2]):
        d.section(f"the chain rule for every activation: widths {'-'.join(map(str, widths))}")
        net = symbolic_mlp(widths)
        grad_row = gradient_row("f", "x", widths[0])
        scope = (f"widths {'-'.join(map(str, widths))}: x in R^{widths[0]}, symbolic W, b, an "
                 "undefined activation g and output function F, f = F(h^(3))")
        for t in range(len(net.W)):
            layer = t + 1
            h, W = sp.MatrixSymbol(f"h_{layer}", widths[t], 1), net.W[t]
            Wd = sp.MatrixSymbol(f"W_{layer}", widths[t + 1], widths[t])
            J = sp.MatrixSymbol(f"J_{layer}", widths[t], widths[0])
            G = sp.MatrixSymbol(f"G_{layer}", widths[t + 1], widths[t])
            dz = net.grad_z(t)
            d.step(net.grad_W(t), "=", dz * net.h[t].T, scope=scope,
                   by=f"df/dw_mn = (df/dz_m) h_n at layer {layer}: no division by h_n",
                   display=(G, sp.MatrixSymbol("delta", widths[t + 1], 1) * h.T))
            d.step(net.grad_b(t), "=", dz, scope=scope,
                   by=f"the bias gradient is the z-gradient at layer {layer}",
                   display=(gradient(sp.Symbol("f"), sp.Symbol(f"b_{layer}")),
                            sp.MatrixSymbol("delta", widths[t + 1], 1)))
            d.step(net.grad_x(), "=", dz.T * W * net.jacobian(t), scope=scope,
                   by=f"(l): every path from x to f passes through z^({layer + 1})",
                   display=(grad_row, sp.MatrixSymbol("delta", widths[t + 1], 1).T * Wd * J))
            d.step(net.h[t] * net.grad_x(), "=", net.grad_W(t).T * W * net.jacobian(t),
                   scope=scope, by="the article's matrix identity (an outer product on the left)",
                   display=(h * grad_row, G.T * Wd * J))


def _small_norms(d: Derivation) -> None:
    d.section("norm steps in small dimensions (certificates)")
    for n in (2, 3):
        u = sp.Matrix(sp.symbols(f"u_1:{n + 1}", real=True))
        v = sp.Matrix(sp.symbols(f"v_1:{n + 1}", real=True))
        lagrange = [(u[i] * v[k] - u[k] * v[i]) ** 2 for i in range(n) for k in range(i + 1, n)]
        d.step(u.dot(v) ** 2, "<=", u.dot(u) * v.dot(v), certificate=lagrange,
               by=f"Cauchy-Schwarz in {n} dimensions: Lagrange's identity",
               display=(sp.Function("inner")(sp.Symbol("u"), sp.Symbol("v")) ** 2,
                        norm(sp.Symbol("u")) ** 2 * norm(sp.Symbol("v")) ** 2))
    G = sp.Matrix(2, 2, sp.symbols("g_11 g_12 g_21 g_22", real=True))
    v = sp.Matrix(sp.symbols("v_1:3", real=True))
    Gv = G * v
    rows = [(G[i, 0] * v[1] - G[i, 1] * v[0]) ** 2 for i in range(2)]
    Gs, vs = sp.MatrixSymbol("G", 2, 2), sp.MatrixSymbol("v", 2, 1)
    d.step(Gv.dot(Gv), "<=", sum(e ** 2 for e in G) * v.dot(v), certificate=rows,
           by="||G v|| <= ||G||_F ||v||: Cauchy-Schwarz row by row",
           display=(norm(Gs * vs) ** 2, frobenius(Gs) ** 2 * norm(vs) ** 2))


def _per_layer(d: Derivation):
    d.section("one layer t: the inequalities (w) and (b)")
    n, e, k = sp.symbols("d_t d_s d_x", integer=True, positive=True)  # d_s: width of layer t + 1
    h, q = sp.MatrixSymbol("h", n, 1), gradient_row("f", "x", k)
    G, W, J = sp.MatrixSymbol("G", e, n), sp.MatrixSymbol("W", e, n), sp.MatrixSymbol("J", n, k)
    beta = sp.MatrixSymbol("beta", e, 1)
    scope = ("layer t of any MLP: h = h^(t), W = W^(t), J = nabla_x h^(t), G = [df/dw_mn] "
             "(so nabla_W f = G^T), beta = nabla_b f; gradients are rows")
    sub_GWJ = d.step(opnorm(G.T * W * J), "<=", opnorm(G.T) * opnorm(W * J), scope=scope,
                     by=ByLemmas((OP_SUBMULTIPLICATIVE, dict(A=G.T, B=W * J))))
    sub_WJ = d.step(opnorm(W * J), "<=", opnorm(W) * opnorm(J), scope=scope,
                    by=ByLemmas((OP_SUBMULTIPLICATIVE, dict(A=W, B=J))))
    frob = d.step(opnorm(G.T), "<=", frobenius(G.T), scope=scope,
                  by=ByLemmas((OP_LE_FROBENIUS, dict(A=G.T))))
    weights = (
        d.calc(norm(h) ** 2 * norm(q))
         .eq(norm(h.T * h * q), by=ByLemmas((NORM_OF_OUTER, dict(h=h, q=q))), scope=scope)
         .eq(norm(h.T * G.T * W * J),
             by=ByLemmas((CHAIN_RULE_LAYER, dict(h=h, q=q, G=G, W=W, J=J))), scope=scope)
         .le(norm(h) * opnorm(G.T * W * J),
             by=ByLemmas((OP_NORM_VECTOR, dict(v=h, A=G.T * W * J))), scope=scope)
         .le(norm(h) * opnorm(G.T) * opnorm(W * J), by=BySlack(sub_GWJ), scope=scope)
         .le(norm(h) * opnorm(G.T) * opnorm(W) * opnorm(J), by=BySlack(sub_WJ), scope=scope)
         .le(norm(h) * frobenius(G.T) * opnorm(W) * opnorm(J), by=BySlack(frob), scope=scope))
    t = sp.Symbol("t", integer=True, positive=True)
    a, qn, gam, om, jn, B = (sp.IndexedBase(s, positive=True)[t] if s != "q" else
                             sp.Symbol("q", positive=True)
                             for s in ("a", "q", "gamma", "omega", "j", "B"))
    names = {norm(h): a, norm(q): qn, frobenius(G.T): gam, opnorm(W): om, opnorm(J): jn}
    case = "layer t, case h != 0: a_t = ||h||, q = ||nabla_x f||, gamma_t = ||G||_F, " \
           "omega_t = ||W||_2, j_t = ||J||_2, B_t = ||beta||, all > 0"
    weights_bound = d.step(weights.links[0].lhs, "<=", weights.last.rhs, scope=scope,
                           by=ByChain(weights.links))
    named = d.step(a ** 2 * qn, "<=", a * gam * om * jn, scope=case,
                   by=ByRenaming(weights_bound, names, note="name the norms"))
    divided = d.step(a * qn, "<=", gam * om * jn, scope=case,
                     by=ByLemmas((DIVIDE_POSITIVE, dict(c=a, u=a * qn, v=gam * om * jn)),
                                 premises=[named], note="divide by ||h|| > 0"))
    squared = d.step((a * qn) ** 2, "<=", (gam * om * jn) ** 2, scope=case,
                     by=ByLemmas((SQUARE_MONO, dict(u=a * qn, v=gam * om * jn)),
                                 premises=[divided]))
    w_lhs = qn ** 2 * a ** 2 / (om ** 2 * jn ** 2)
    w_step = d.step(w_lhs, "<=", gam ** 2, scope=case, name="w",
                    by=ByLemmas((DIVIDE_POSITIVE, dict(c=om ** 2 * jn ** 2, u=w_lhs, v=gam ** 2)),
                                premises=[squared], note="(w): divide by ||W||^2 ||J||^2"))
    d.step(qn ** 2 * 0 / (om ** 2 * jn ** 2) + 0 * a, "<=", gam ** 2, scope=case.replace(
        "case h != 0", "case h = 0"), by="(w) with h = 0: the left side is 0",
           display=(sp.Integer(0), gam ** 2))
    bias = (
        d.calc(norm(q))
         .eq(norm(beta.T * W * J),
             by=ByLemmas((CHAIN_RULE_LAYER, dict(h=h, q=q, G=beta, W=W, J=J, part="bias"))),
             scope=scope)
         .le(norm(beta) * opnorm(W * J), by=ByLemmas((OP_NORM_VECTOR, dict(v=beta, A=W * J))),
             scope=scope)
         .le(norm(beta) * opnorm(W) * opnorm(J), by=BySlack(sub_WJ), scope=scope))
    bias_bound = d.step(bias.links[0].lhs, "<=", bias.last.rhs, scope=scope,
                        by=ByChain(bias.links))
    b_named = d.step(qn, "<=", B * om * jn, scope=case,
                     by=ByRenaming(bias_bound, {**names, norm(beta): B}, note="name the norms"))
    b_sq = d.step(qn ** 2, "<=", (B * om * jn) ** 2, scope=case,
                  by=ByLemmas((SQUARE_MONO, dict(u=qn, v=B * om * jn)), premises=[b_named]))
    b_lhs = qn ** 2 / (om ** 2 * jn ** 2)
    b_step = d.step(b_lhs, "<=", B ** 2, scope=case, name="b",
                    by=ByLemmas((DIVIDE_POSITIVE, dict(c=om ** 2 * jn ** 2, u=b_lhs, v=B ** 2)),
                                premises=[b_sq], note="(b): divide by ||W||^2 ||J||^2"))
    layer_sum = d.step(sp.Add(w_lhs, b_lhs), "<=", gam ** 2 + B ** 2, scope=case,
                       by=BySlack(w_step, b_step, note="(w) + (b)"),
                       display=(qn ** 2 * (1 + a ** 2) / (om ** 2 * jn ** 2), gam ** 2 + B ** 2))
    return layer_sum, t, (a, qn, gam, om, jn, B)


def _sum_over_layers(d: Derivation, per_layer) -> None:
    d.section("all layers: the inequality (f)")
    layer_sum, t, (a, qn, gam, om, jn, B) = per_layer
    l_ = sp.Symbol("l", integer=True, positive=True)
    f_term = layer_sum.lhs
    d.step(sp.Sum(f_term, (t, 1, l_)), "<=", sp.Sum(gam ** 2 + B ** 2, (t, 1, l_)),
           by=ByLemmas((SUM_MONO, dict(f=f_term, g=gam ** 2 + B ** 2, t=t, l=l_)),
                       premises=[layer_sum],
                       note="(f): add the layers; the right side is ||nabla_theta f||^2, every "
                            "weight and bias"),
           scope="an MLP of l layers, case h^(t) != 0 for every t (a layer with h^(t) = 0 "
                 "keeps only its (b) term)",
           display=(norm(gradient(sp.Symbol("f"), sp.Symbol("x"))) ** 2 * sp.Sum(
               (1 + a ** 2) / (om ** 2 * jn ** 2), (t, 1, l_)),
               norm(gradient(sp.Symbol("f"), sp.Symbol("theta"))) ** 2))


def _strengthened_variant(d: Derivation) -> None:
    d.section("a strengthened variant is false")
    s1, s2 = sp.symbols("sigma_1 sigma_2", positive=True)
    c1, c2 = sp.symbols("c_1 c_2", real=True)
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    scope = ("one hidden linear layer: f = c^T (W x + b), W = diag(sigma_1, sigma_1 + sigma_2), "
             "so sigma_min(W) = sigma_1")
    W = sp.diag(s1, s1 + s2)
    c, x = sp.Matrix([c1, c2]), sp.Matrix([x1, x2])
    grad_x = W.T * c
    grad_W = c * x.T
    lhs = grad_x.dot(grad_x) * x.dot(x) / s1 ** 2
    rhs = sum(e ** 2 for e in grad_W)
    d.step(lhs, "<=", rhs, scope=scope, expect="REFUTED",
           by="[variant] (w) with sigma_min(W) in place of ||W||_2: false when c leans on the "
              "larger singular direction",
           display=(norm(gradient(sp.Symbol("f"), sp.Symbol("x"))) ** 2 * norm(sp.Symbol("x")) ** 2
                    / sp.Symbol("sigma_min") ** 2,
                    frobenius(gradient(sp.Symbol("f"), sp.Symbol("W"))) ** 2))
    W2 = sp.diag(s1 + s2, s1)  # the same matrix with the spectral norm sigma_1 + sigma_2 first
    grad_x = W2.T * c
    d.step(grad_x.dot(grad_x) * x.dot(x) / (s1 + s2) ** 2, "<=", rhs, scope=scope.replace(
        "diag(sigma_1, sigma_1 + sigma_2), so sigma_min(W) = sigma_1",
        "diag(sigma_1 + sigma_2, sigma_1), ||W||_2 = sigma_1 + sigma_2"),
           certificate=[c2 ** 2 * (2 * s1 * s2 + s2 ** 2) * x.dot(x) / (s1 + s2) ** 2],
           by="(w) itself on the same layer, for comparison: it holds",
           display=(norm(gradient(sp.Symbol("f"), sp.Symbol("x"))) ** 2 * norm(sp.Symbol("x")) ** 2
                    / opnorm(sp.Symbol("W")) ** 2,
                    frobenius(gradient(sp.Symbol("f"), sp.Symbol("W"))) ** 2))
