r"""Input-gradient and parameter-gradient penalties of an MLP, and the inequality between them.

For an l-layer MLP :math:`h^{(t+1)} = g^{(t)}(W^{(t)} h^{(t)} + b^{(t)})`, :math:`h^{(1)} = x`,
with one scalar output :math:`f = h^{(l+1)}`,

.. math::
    \|\nabla_x f\|^2 \sum_{t=1}^{l} \frac{1 + \|h^{(t)}\|^2}
        {\|W^{(t)}\|_2^2\, \|\nabla_x h^{(t)}\|_2^2} \le \|\nabla_\theta f\|^2
    \qquad (f)

(l2 norms of vectors and of the whole parameter gradient; spectral norms of :math:`W^{(t)}`
and of the Jacobian :math:`J_t = \partial h^{(t)}/\partial x`, :math:`J_1 = I`).  Source: Su
Jianlin, 输入梯度惩罚与参数梯度惩罚的一个不等式 (2021-12-11), https://kexue.fm/archives/8796,
eq. (f), after Dherin et al., arXiv:2111.15090; the derivation ``gradient-penalty`` proves the
identities used here.

How it is computed, per sample and batched with ``torch.func`` (``vmap`` over the batch, no
Python loop over samples; chunks of :data:`CHUNK_ROWS` rows bound the memory):

* one ``grad`` of f with respect to x and to a zero offset added to every pre-activation
  :math:`z^{(t+1)}` gives :math:`\nabla_x f` and :math:`\delta^{(t+1)} = \partial f/\partial
  z^{(t+1)}`;
* the parameter gradient from the proved identities :math:`\partial f/\partial w_{mn} =
  \delta_m h_n` and :math:`\partial f/\partial b_m = \delta_m`:
  :math:`\|\nabla_{W^{(t)}} f\|_F^2 = \|\delta^{(t+1)}\|^2 \|h^{(t)}\|^2` (an outer product)
  and :math:`\|\nabla_{b^{(t)}} f\|^2 = \|\delta^{(t+1)}\|^2`, so no per-sample gradient of
  every weight is ever stored;
* the Jacobians :math:`J_t` by ``jacfwd`` (one tangent per input coordinate; chunks hold at
  most :data:`CHUNK_ELEMENTS` Jacobian entries) and their squared spectral norms as the top
  eigenvalue of the smaller Gram matrix (``eigvalsh``).

Everything is differentiable (a model can be trained with these penalties), in float32 or
float64, on any device.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn
from torch.func import grad, jacfwd, vmap

#: activations applied elementwise (their derivative is diagonal): the layers a model may use
ELEMENTWISE = (nn.Tanh, nn.ReLU, nn.GELU, nn.Softplus, nn.Sigmoid, nn.SiLU, nn.ELU, nn.LeakyReLU,
               nn.Identity, nn.Mish, nn.Softsign, nn.Hardtanh, nn.CELU, nn.SELU, nn.Tanhshrink,
               nn.LogSigmoid, nn.ReLU6, nn.Hardsigmoid, nn.Hardswish, nn.Softshrink,
               nn.Hardshrink)

#: most rows of a batch evaluated at once
CHUNK_ROWS = 1024
#: largest number of Jacobian entries one chunk may hold (2^25: 256 MB in float64)
CHUNK_ELEMENTS = 2 ** 25


@dataclass(frozen=True)
class _Layer:
    linear: nn.Linear
    activations: tuple[nn.Module, ...]


def layers(model: nn.Module) -> list[_Layer]:
    """The MLP as (Linear, elementwise activations after it) pairs; ValueError naming the first
    layer that is not supported (and why), or a model whose output is not one scalar."""
    if not isinstance(model, nn.Sequential):
        raise ValueError(f"expected a torch.nn.Sequential of Linear layers and elementwise "
                         f"activations, got {type(model).__name__}")
    flat: list[nn.Module] = []

    def walk(m: nn.Module, path: str) -> None:
        for name, child in m.named_children():
            where = f"{path}.{name}" if path else name
            if isinstance(child, nn.Sequential):
                walk(child, where)
            elif isinstance(child, nn.Linear) or isinstance(child, ELEMENTWISE):
                flat.append(child)
            elif isinstance(child, nn.PReLU):
                raise ValueError(f"layer {where} (PReLU) is not supported: its slope is a "
                                 "parameter, and the inequality's theta is the Linear weights "
                                 "and biases only")
            else:
                raise ValueError(f"layer {where} ({type(child).__name__}) is not supported: "
                                 "the inequality is proved for Linear layers followed by "
                                 "elementwise activations (" + _names() + ")")

    walk(model, "")
    out: list[_Layer] = []
    for m in flat:
        if isinstance(m, nn.Linear):
            out.append(_Layer(m, ()))
        elif not out:
            raise ValueError(f"the model starts with {type(m).__name__}: the first layer must "
                             "be Linear (h^(1) = x enters W^(1))")
        else:
            out[-1] = _Layer(out[-1].linear, out[-1].activations + (m,))
    if not out:
        raise ValueError("the model has no Linear layer")
    if out[-1].linear.out_features != 1:
        raise ValueError(f"the model has {out[-1].linear.out_features} outputs: f must be one "
                         "scalar per sample (end with Linear(..., 1))")
    return out


def _names() -> str:
    return ", ".join(cls.__name__ for cls in ELEMENTWISE[:9]) + ", ..."


def _check_input(model_layers: list[_Layer], x: Any) -> torch.Tensor:
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        raise TypeError("x must be a floating-point torch.Tensor of shape (B, d_in)")
    d_in = model_layers[0].linear.in_features
    if x.ndim != 2 or x.shape[1] != d_in:
        raise ValueError(f"x must have shape (B, {d_in}), got {tuple(x.shape)}")
    return x


def _forward(model_layers: list[_Layer], x: torch.Tensor, offsets: tuple[torch.Tensor, ...]
             ) -> tuple[torch.Tensor, list[torch.Tensor]]:
    """f(x) for one sample, with ``offsets[t]`` added to the pre-activation z^(t+1), and the
    layer inputs h^(1..l)."""
    h, hs = x, []
    for layer, offset in zip(model_layers, offsets):
        hs.append(h)
        h = layer.linear(h) + offset
        for act in layer.activations:
            h = act(h)
    return h.squeeze(-1), hs


def _inputs(model_layers, x):
    return tuple(h for h in _forward(model_layers, x, _zeros(model_layers, x))[1])


def _zeros(model_layers, x):
    return tuple(torch.zeros(layer.linear.out_features, dtype=x.dtype, device=x.device)
                 for layer in model_layers)


def _rows(model_layers: list[_Layer], x: torch.Tensor, jacobians: bool) -> dict[str, Any]:
    """Per-sample pieces for a chunk of rows."""
    def f(xi, offsets):
        value, hs = _forward(model_layers, xi, offsets)
        return value, tuple(hs)

    def one(xi):
        # the layer inputs come back as grad's auxiliary output: one forward pass, not two
        (gx, deltas), hs = grad(f, argnums=(0, 1), has_aux=True)(xi, _zeros(model_layers, xi))
        return gx, deltas, hs

    with warnings.catch_warnings():
        # torch.func falls back to a loop for a few activations' backward (Mish): slower, exact
        warnings.filterwarnings("ignore", message="There is a performance drop")
        gx, deltas, hs = vmap(one)(x)
        out = {"grad_x": gx, "deltas": deltas, "hs": hs}
        if jacobians:
            # J_1 = I; J_t for t >= 2 by forward mode, one tangent per input coordinate
            out["jacobians"] = vmap(jacfwd(lambda xi: _inputs(model_layers, xi)[1:]))(x) \
                if len(model_layers) > 1 else ()
    return out


def _by_chunks(model, x, jacobians):
    model_layers = layers(model)
    x = _check_input(model_layers, x)
    rows = CHUNK_ROWS
    if jacobians:
        per_row = x.shape[1] * sum(layer.linear.in_features for layer in model_layers[1:])
        rows = max(1, min(rows, CHUNK_ELEMENTS // max(1, per_row)))
    parts = [_rows(model_layers, x[i:i + rows], jacobians)
             for i in range(0, max(1, x.shape[0]), rows)]
    return model_layers, parts


def _spectral_sq(J: torch.Tensor) -> torch.Tensor:
    """||J||_2^2 = the largest eigenvalue of the smaller Gram matrix (J J^T or J^T J), for a
    batch of matrices: exact up to rounding (an absolute error ~ eps ||J||^2), differentiable,
    and cheaper than an SVD."""
    gram = J @ J.mT if J.shape[-2] <= J.shape[-1] else J.mT @ J
    return torch.linalg.eigvalsh(gram)[..., -1].clamp_min(0)


def input_penalty(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    r""":math:`\|\nabla_x f\|^2` per sample, shape (B,).  Assumptions: ``model`` a Sequential
    of Linear layers and elementwise activations with one output; ``x`` of shape (B, d_in).
    Source: https://kexue.fm/archives/8796 (the input-gradient penalty)."""
    _, parts = _by_chunks(model, x, jacobians=False)
    return torch.cat([(p["grad_x"] ** 2).sum(-1) for p in parts])


def param_penalty(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    r""":math:`\|\nabla_\theta f\|^2 = \sum_t \|\nabla_{W^{(t)}} f\|_F^2 +
    \|\nabla_{b^{(t)}} f\|^2` per sample, shape (B,), from the proved identities
    :math:`\partial f/\partial w_{mn} = \delta_m h_n`, :math:`\partial f/\partial b_m =
    \delta_m`.  Assumptions as :func:`input_penalty` (every Linear has a bias; one without
    contributes only its weight term).  Source: https://kexue.fm/archives/8796."""
    model_layers, parts = _by_chunks(model, x, jacobians=False)
    rows = []
    for p in parts:
        total = 0
        for layer, delta, h in zip(model_layers, p["deltas"], p["hs"]):
            d2 = (delta ** 2).sum(-1)
            total = total + d2 * (h ** 2).sum(-1)
            if layer.linear.bias is not None:
                total = total + d2
        rows.append(total)
    return torch.cat(rows)


def layer_terms(model: nn.Module, x: torch.Tensor) -> list[dict[str, torch.Tensor]]:
    r"""The per-layer factors of (w) and (b), one dict a layer t = 1..l:
    ``h_sq`` :math:`\|h^{(t)}\|^2` (B,), ``W_spec_sq`` :math:`\|W^{(t)}\|_2^2` (scalar),
    ``J_spec_sq`` :math:`\|\nabla_x h^{(t)}\|_2^2` (B,), ``grad_W_sq``
    :math:`\|\nabla_{W^{(t)}} f\|_F^2` (B,), ``grad_b_sq`` :math:`\|\nabla_{b^{(t)}} f\|^2` (B,),
    and the two left sides ``lhs_w`` :math:`\|\nabla_x f\|^2 \|h\|^2/(\|W\|^2\|J\|^2)` and
    ``lhs_b`` :math:`\|\nabla_x f\|^2/(\|W\|^2\|J\|^2)` (B,): (w) is ``lhs_w <= grad_W_sq``, (b)
    is ``lhs_b <= grad_b_sq``.  Source: https://kexue.fm/archives/8796, eqs. (w), (b)."""
    model_layers, parts = _by_chunks(model, x, jacobians=True)
    gx_sq = torch.cat([(p["grad_x"] ** 2).sum(-1) for p in parts])
    out = []
    for t, layer in enumerate(model_layers):
        h_sq = torch.cat([(p["hs"][t] ** 2).sum(-1) for p in parts])
        d_sq = torch.cat([(p["deltas"][t] ** 2).sum(-1) for p in parts])
        if t == 0:
            J_sq = torch.ones_like(h_sq)  # J_1 = I
        else:
            J_sq = torch.cat([_spectral_sq(p["jacobians"][t - 1]) for p in parts])
        W_sq = _spectral_sq(layer.linear.weight)
        denominator = W_sq * J_sq
        out.append({"h_sq": h_sq, "W_spec_sq": W_sq, "J_spec_sq": J_sq,
                    "grad_W_sq": d_sq * h_sq,
                    "grad_b_sq": d_sq if layer.linear.bias is not None else torch.zeros_like(d_sq),
                    "lhs_w": gx_sq * h_sq / denominator, "lhs_b": gx_sq / denominator})
    return out


def input_penalty_bound(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    r"""The left side of (f), per sample (B,):
    :math:`\|\nabla_x f\|^2 \sum_t (1 + \|h^{(t)}\|^2)/(\|W^{(t)}\|_2^2 \|\nabla_x h^{(t)}\|_2^2)`
    (spectral norms of W and of the Jacobian), which is at most :func:`param_penalty`; a
    Linear without bias contributes :math:`\|h^{(t)}\|^2` only, not the 1.  A layer
    whose W or Jacobian is 0 makes :math:`\nabla_x f = 0` and its term 0/0: it is counted as 0,
    the limit the inequality allows.  Source: https://kexue.fm/archives/8796, eq. (f)."""
    total = 0
    for layer, term in zip(layers(model), layer_terms(model, x)):
        # a layer without bias has no (b) term: its "1 +" belongs to b^(t)
        ratio = term["lhs_w"] + (term["lhs_b"] if layer.linear.bias is not None else 0)
        total = total + torch.nan_to_num(ratio, nan=0.0)
    return total
