"""Named lemmas: textbook facts a derivation may cite, instantiated and checked exactly.

A general-n argument cannot be machine-checked by sympy for every n.  It can be written as a
chain whose links are instances of named lemmas (``det(XY) = det(X) det(Y)``, ...): the checker
(:class:`kexue_sym.justify.ByLemmas`) then verifies, exactly, that each link *is* an instance of
the lemma it cites (the lemma's equation applied as a rewrite, or its conclusion matched
structurally) and that the lemma's hypotheses hold.  The lemma itself is trusted as a textbook
theorem; to keep that trust honest each lemma carries machine checks of its own small instances
(symbolic, exact), run once per process and reported in the evidence.  A step checked this way
is PROVED *modulo the named lemma*, and its evidence says so.

The library is split by field: :mod:`.linear_algebra` (determinants, QR, orthogonal maps,
square roots of SPD matrices), :mod:`.elementary` (sums, products, elementary inequalities),
:mod:`.integrals` (change of variables, the Gaussian integral, normal moments),
:mod:`.probability` (CDFs, independence, total probability, strict monotonicity),
:mod:`.networks` (the chain rule through a layer of an MLP with an arbitrary activation).  Every lemma is
importable from here; :data:`ALL` lists them (the contract tests self-check each one).
"""
from __future__ import annotations

from .core import Lemma
from .elementary import (DIVIDE_POSITIVE, DROP_NONNEGATIVE_TERMS, LOG_LE_LINEAR, PROD_EXP,
                         PROD_MONO, PROD_POW, PROD_STRICT_MONO, SQUARE_MONO, SUM_FACTOR, SUM_MONO,
                         SUM_POSITIVE)
from .integrals import (CHANGE_OF_VARIABLES, GAUSSIAN_INTEGRAL, MONOTONE_SUBSTITUTION,
                        STANDARD_NORMAL_MOMENT, gaussian_integral_value, gaussian_kernel,
                        standard_normal_density, substitution_instance, whole_space)
from .networks import CHAIN_RULE_LAYER, NORM_OF_OUTER, SymbolicMLP, symbolic_mlp
from .probability import (CDF_OF_DENSITY, DIFFERENCE_CDF, EXPECTATION_STRICT_MONO, INDEPENDENCE,
                          STRICT_CDF, TOTAL_PROBABILITY)
from .linear_algebra import (DET_MUL, DET_TRANSPOSE, DET_TRIANGULAR, OP_LE_FROBENIUS,
                             OP_NORM_VECTOR, OP_SUBMULTIPLICATIVE, ORTHOGONAL_NORM, QR,
                             spectral_norm,
                             TRACE_SQRT_2X2, TRACE_SQRT_SIMILAR, TRIANGULAR_SUPPORT, TraceSqrt,
                             invertible, spd_witness, sqrt_2x2)

#: every lemma of the library
ALL: tuple[Lemma, ...] = (
    DET_MUL, DET_TRANSPOSE, DET_TRIANGULAR, QR, ORTHOGONAL_NORM, TRIANGULAR_SUPPORT,
    TRACE_SQRT_2X2, TRACE_SQRT_SIMILAR, PROD_POW, DROP_NONNEGATIVE_TERMS, PROD_MONO,
    LOG_LE_LINEAR, CHANGE_OF_VARIABLES, GAUSSIAN_INTEGRAL, STANDARD_NORMAL_MOMENT,
    PROD_EXP, SUM_FACTOR, SUM_POSITIVE, PROD_STRICT_MONO, MONOTONE_SUBSTITUTION,
    CDF_OF_DENSITY, INDEPENDENCE, TOTAL_PROBABILITY, STRICT_CDF, EXPECTATION_STRICT_MONO,
    DIFFERENCE_CDF, SQUARE_MONO, DIVIDE_POSITIVE, SUM_MONO, OP_NORM_VECTOR, OP_SUBMULTIPLICATIVE,
    OP_LE_FROBENIUS, CHAIN_RULE_LAYER, NORM_OF_OUTER)

__all__ = ["Lemma", "ALL", *(lemma.name.upper() for lemma in ALL), "TraceSqrt",
           "gaussian_integral_value", "gaussian_kernel", "invertible", "spd_witness", "sqrt_2x2",
           "standard_normal_density", "substitution_instance", "whole_space", "SymbolicMLP",
           "symbolic_mlp", "spectral_norm"]
