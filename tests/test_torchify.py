"""sympy -> torch: dtype/device preservation, broadcasting, autograd, and the printer's traps."""
import math

import pytest
import sympy as sp
import torch

from kexue_sym.tolerances import rtol
from kexue_sym.torchify import torchify

x, y, z = sp.symbols("x y z", real=True)
DTYPES = [torch.float32, torch.float64]


@pytest.mark.parametrize("dtype", DTYPES)
def test_dtype_preserved_and_values_match_mpmath(dtype):
    expr = sp.exp(-x**2 / 2) / sp.sqrt(2 * sp.pi) + sp.log(1 + y**2) * sp.atan(x)
    f = torchify(expr, [x, y])
    X = torch.linspace(-3, 3, 7, dtype=dtype)
    Y = torch.linspace(0.5, 2, 7, dtype=dtype)
    out = f(X, Y)
    assert out.dtype == dtype and out.shape == (7,)
    ref = torch.tensor([float(expr.subs({x: sp.Float(float(a), 30), y: sp.Float(float(b), 30)}).evalf(30))
                        for a, b in zip(X.double(), Y.double())], dtype=torch.float64)
    torch.testing.assert_close(out.double(), ref, rtol=rtol(dtype), atol=rtol(dtype))


def test_broadcasting_and_unused_argument():
    f = torchify(x**2 + 1, [x, y])  # y unused: result still has the broadcast shape
    out = f(torch.ones(3, 1), torch.ones(1, 4))
    assert out.shape == (3, 4)
    assert torch.equal(out, torch.full((3, 4), 2.0))


@pytest.mark.parametrize("dtype", DTYPES)
def test_constant_expression_returns_tensor(dtype):
    out = torchify(sp.pi + sp.sqrt(2), [x])(torch.zeros(2, 3, dtype=dtype))
    assert isinstance(out, torch.Tensor) and out.dtype == dtype and out.shape == (2, 3)
    assert torch.allclose(out, torch.full((2, 3), math.pi + math.sqrt(2), dtype=dtype))


def test_scalar_max_min_and_three_arguments():
    # sympy's torch printer emits Python's max(): wrong on tensors and for three arguments
    f = torchify(sp.Max(x, 0) + sp.Min(x, y, 1), [x, y])
    X = torch.tensor([-2.0, 0.5, 3.0])
    Y = torch.tensor([5.0, -1.0, 2.0])
    assert torch.equal(f(X, Y), torch.tensor([-2.0, -0.5, 4.0]))


def test_sign_heaviside_piecewise_vectorised():
    f = torchify(sp.sign(x) + sp.Heaviside(x) + sp.Piecewise((x**2, x > 1), (-x, True)), [x])
    X = torch.tensor([-2.0, 0.0, 0.5, 3.0])
    assert torch.equal(f(X), torch.tensor([-1.0 + 0 + 2, 0 + 0.5 + 0, 1 + 1 - 0.5, 1 + 1 + 9]))


def test_python_numbers_and_ints():
    f = torchify(x**2 + y, [x, y])
    assert f(2, 3).item() == 7
    out = f(torch.tensor([1, 2]), torch.tensor([1.0, 1.0], dtype=torch.float64))
    assert out.dtype == torch.float64


def test_autograd_matches_sympy_derivative():
    expr = sp.sin(x) * sp.exp(y) + sp.Abs(x) * y**3
    f, fx = torchify(expr, [x, y]), torchify(sp.diff(expr, x), [x, y])
    X = torch.tensor([0.3, -1.2, 2.0], dtype=torch.float64, requires_grad=True)
    Y = torch.tensor([0.1, 0.7, -0.4], dtype=torch.float64)
    f(X, Y).sum().backward()
    torch.testing.assert_close(X.grad, fx(X.detach(), Y))
    assert torch.autograd.gradcheck(lambda a, b: f(a, b), (X.detach().requires_grad_(), Y.requires_grad_()))


def test_device_preserved_cpu():
    assert torchify(x + 1, [x])(torch.zeros(2)).device.type == "cpu"


@pytest.mark.gpu
def test_device_preserved_cuda():
    f = torchify(sp.Max(x, y) + sp.pi, [x, y])
    out = f(torch.zeros(4, device="cuda"), torch.ones(4, device="cuda"))
    assert out.device.type == "cuda" and torch.allclose(out.cpu(), torch.full((4,), 1 + math.pi))


def test_mixed_devices_rejected():
    if not torch.cuda.is_available():
        pytest.skip("needs two devices")
    with pytest.raises(ValueError, match="different devices"):
        torchify(x + y, [x, y])(torch.zeros(1), torch.zeros(1, device="cuda"))


@pytest.mark.parametrize("expr, message", [
    (sp.besselj(0, x), "not supported yet"),
    (sp.I * x, "not supported yet"),
    (sp.Piecewise((x, (x > 0) & (x < 1)), (0, True)), "not supported yet"),
    (sp.Piecewise((x, x > 0)), "not supported yet"),
])
def test_unsupported_operations_say_so(expr, message):
    with pytest.raises(NotImplementedError, match=message):
        torchify(expr, [x])


def test_free_symbol_not_an_argument_is_invalid():
    with pytest.raises(ValueError, match="free symbols z"):
        torchify(x + z, [x])
