"""kexue_sym.gradient_penalty against plain per-sample autograd (kexue_sym.crosscheck's
reference: hooks, torch.autograd.grad, autograd.functional.jacobian, numpy SVD), the inequality
(f) on random networks, float32, differentiability and the errors for unsupported models."""
import re

import numpy as np
import pytest
import torch
from torch import nn

from kexue_sym import gradient_penalty as gp
from kexue_sym.crosscheck.gradient_penalty import ACTIVATIONS, autograd_reference, random_mlp

F64 = torch.float64


@pytest.mark.parametrize("k", range(len(ACTIVATIONS)))
def test_matches_autograd_for_every_activation(k):
    rng = np.random.default_rng(k)
    model = random_mlp(rng, depth=3, width=5, d_in=3, activation=ACTIVATIONS[k])
    x = torch.randn(6, 3, dtype=F64, generator=torch.Generator().manual_seed(k))
    ref = autograd_reference(model, x)
    np.testing.assert_allclose(gp.input_penalty(model, x).detach().numpy(), ref["input"],
                               rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(gp.param_penalty(model, x).detach().numpy(), ref["param"],
                               rtol=1e-10)
    bound = gp.input_penalty_bound(model, x).detach().numpy()
    np.testing.assert_allclose(bound, ref["bound"], rtol=1e-9)
    assert np.all(bound <= ref["param"] * (1 + 1e-9))


def test_layer_terms_are_the_per_layer_inequalities():
    rng = np.random.default_rng(1)
    model = random_mlp(rng, depth=4, width=7, d_in=4, activation=nn.Tanh)
    x = torch.randn(10, 4, dtype=F64, generator=torch.Generator().manual_seed(2))
    terms = gp.layer_terms(model, x)
    assert len(terms) == 4
    total_param = 0
    for term in terms:
        assert torch.all(term["lhs_w"] <= term["grad_W_sq"] * (1 + 1e-9))   # (w)
        assert torch.all(term["lhs_b"] <= term["grad_b_sq"] * (1 + 1e-9))   # (b)
        total_param = total_param + term["grad_W_sq"] + term["grad_b_sq"]
    assert torch.allclose(total_param, gp.param_penalty(model, x), rtol=1e-12)
    assert torch.equal(terms[0]["J_spec_sq"], torch.ones(10, dtype=F64))  # J_1 = I


def test_depth_one_and_no_bias():
    rng = np.random.default_rng(3)
    one = random_mlp(rng, depth=1, width=4, d_in=5, activation=nn.Tanh)
    x = torch.randn(7, 5, dtype=F64)
    ref = autograd_reference(one, x)
    np.testing.assert_allclose(gp.param_penalty(one, x).detach().numpy(), ref["param"], rtol=1e-12)
    np.testing.assert_allclose(gp.input_penalty_bound(one, x).detach().numpy(), ref["bound"],
                               rtol=1e-10)
    bare = nn.Sequential(nn.Linear(3, 4, bias=False), nn.SiLU(), nn.Linear(4, 1)).double()
    x = torch.randn(5, 3, dtype=F64)
    ref = autograd_reference(bare, x)
    np.testing.assert_allclose(gp.param_penalty(bare, x).detach().numpy(), ref["param"],
                               rtol=1e-10)
    np.testing.assert_allclose(gp.input_penalty_bound(bare, x).detach().numpy(), ref["bound"],
                               rtol=1e-9)


def test_float32_chunks_and_nested_sequential(monkeypatch):
    monkeypatch.setattr(gp, "CHUNK_ROWS", 3)
    model = nn.Sequential(nn.Linear(3, 6), nn.Sequential(nn.GELU(), nn.Linear(6, 6), nn.ELU()),
                          nn.Linear(6, 1), nn.Sigmoid())
    x = torch.randn(8, 3)
    p = gp.param_penalty(model, x)
    assert p.dtype == torch.float32 and p.shape == (8,)
    ref = autograd_reference(model.double(), x.double())
    np.testing.assert_allclose(gp.param_penalty(model.double(), x.double()).detach().numpy(),
                               ref["param"], rtol=1e-10)
    np.testing.assert_allclose(p.detach().numpy(), ref["param"], rtol=1e-4)


def test_penalties_are_differentiable():
    """A model can be trained with the penalties: gradients reach the weights, and match
    finite differences (gradcheck in float64)."""
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)).double()
    x = torch.randn(4, 2, dtype=F64)
    weight = model[0].weight
    w0 = weight.detach().clone().requires_grad_(True)
    loss = gp.param_penalty(model, x).sum()
    loss.backward()
    assert weight.grad is not None and torch.isfinite(weight.grad).all()
    assert torch.autograd.gradcheck(lambda w: _with_weight(model, w, x), (w0,))


def _with_weight(model, w, x):
    """input_penalty + input_penalty_bound as a function of the first layer's weight."""
    original = model[0].weight
    try:
        del model[0].weight
        model[0].weight = w
        return gp.input_penalty(model, x).sum() + gp.input_penalty_bound(model, x).sum()
    finally:
        del model[0].weight
        model[0].weight = original


@pytest.mark.parametrize("model, message", [
    (nn.Sequential(nn.Conv1d(1, 1, 3)), "layer 0 (Conv1d) is not supported"),
    (nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 1)),
     "layer 1 (LayerNorm) is not supported"),
    (nn.Sequential(nn.Linear(3, 4), nn.Softmax(dim=-1), nn.Linear(4, 1)),
     "layer 1 (Softmax) is not supported"),
    (nn.Sequential(nn.Linear(3, 2)), "the model has 2 outputs"),
    (nn.Sequential(nn.Tanh(), nn.Linear(3, 1)), "the first layer must be Linear"),
    (nn.Linear(3, 1), "expected a torch.nn.Sequential"),
    (nn.Sequential(nn.Linear(3, 4), nn.PReLU(), nn.Linear(4, 1)), "its slope is a parameter"),
])
def test_unsupported_models_are_named(model, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gp.input_penalty(model, torch.randn(2, 3))


def test_bad_input_shape():
    model = nn.Sequential(nn.Linear(3, 1))
    with pytest.raises(ValueError, match=r"shape \(B, 3\)"):
        gp.input_penalty(model, torch.randn(2, 4))
    with pytest.raises(TypeError, match="floating-point"):
        gp.input_penalty(model, torch.ones(2, 3, dtype=torch.int64))
