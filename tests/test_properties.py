"""Property tests (hypothesis): the proved identities hold at random exact points, and the torch
closed form obeys Hadamard's inequality and its invariances on random matrices."""
from fractions import Fraction

import numpy as np
import sympy as sp
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kexue_sym import hadamard
from kexue_sym.symbols import generic_matrix
from kexue_sym.tolerances import log_det_tol

ints = st.integers(min_value=-50, max_value=50)


@given(st.lists(ints, min_size=9, max_size=9))
@settings(max_examples=200, deadline=None)
def test_n3_certificate_identity_at_integer_points(values):
    """The n = 3 SOS certificate of the derivation, evaluated exactly at integer points."""
    G = generic_matrix("a", 3)
    A = G.subs(dict(zip(list(G), values)))
    c1, c2, c3 = (A[:, j] for j in range(3))
    v = c1.cross(c2.cross(c3))
    gap = c1.dot(c1) * c2.dot(c2) * c3.dot(c3) - A.det() ** 2
    certificate = v.dot(v) + c1.dot(c1) * c2.dot(c3) ** 2
    assert gap == certificate >= 0


@given(arrays(np.float64, (5, 5), elements=st.floats(-1e3, 1e3, allow_nan=False)),
       st.integers(-100, 100))
@settings(max_examples=150, deadline=None)
def test_ratio_in_unit_interval_and_scale_invariant(A, k):
    t = torch.as_tensor(A)
    r = hadamard.log_ratio(t).item()
    assert r <= 0.0
    if np.isfinite(r):  # no zero column
        B = A / np.abs(A).max(axis=0)  # rescale first: the squares of 1e-300 underflow
        cond = np.linalg.cond(B / np.linalg.norm(B, axis=0))
        exact = np.array_equal((A * 2.0**k) / 2.0**k, A)  # powers of 2 are exact, but not
        if cond < 1e8 and exact:  # for subnormals; beyond cond 1e8 float64 data decide nothing
            scaled = hadamard.log_ratio(t * 2.0 ** k).item()
            assert abs(scaled - r) <= log_det_tol(torch.float64, 5, cond)


@given(arrays(np.int64, (4, 4), elements=st.integers(-20, 20)))
@settings(max_examples=150, deadline=None)
def test_integer_matrices_match_exact_arithmetic(A):
    M = sp.Matrix(A.tolist())
    det2 = Fraction(int(M.det() ** 2))
    bound = Fraction(int(hadamard.bound_expr(M)))
    assert det2 <= bound  # Hadamard's inequality, exactly
    got = hadamard.ratio(torch.as_tensor(A, dtype=torch.float64)).item()
    if bound == 0 or det2 == 0:
        assert got <= np.finfo(np.float64).eps
    else:
        cond = np.linalg.cond(A / np.linalg.norm(A, axis=0).astype(float))
        assert abs(np.log(got) - np.log(float(det2 / bound))) <= log_det_tol(torch.float64, 4, cond)
