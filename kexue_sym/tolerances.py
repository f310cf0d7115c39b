"""Every tolerance of the project in one table, each with its reason.

Symbolic checks have no tolerance.  Numeric evidence (CHECKED) and the torch closed forms use
the values below; tests import them instead of writing bare numbers.
"""
from __future__ import annotations

# --- numeric evidence in the checker (mpmath) -------------------------------------------------
#: Working precision of the numeric checker, in decimal digits.  50 digits leave 35 digits of
#: headroom for cancellation in the claims we check and still expose differences of relative
#: size 1e-30, far below what float64 (1e-16) can see: exp(pi*sqrt(163)) vs 640320**3 + 744
#: differs by 7.5e-13 absolute, 3e-30 relative.
NUMERIC_DIGITS = 50
#: Digits given up to rounding: a difference below 10**-(NUMERIC_DIGITS - GUARD_DIGITS) times
#: the size of the two sides counts as zero.
GUARD_DIGITS = 15
#: Precision for re-checking a counterexample, in digits (the sympy ``evalf`` path, which is
#: independent of the mpmath lambdified path that found it).
RECHECK_DIGITS = 100
#: Random points per numeric check of an equation (inside the declared domain): a false
#: identity between analytic expressions fails almost everywhere, so a few points suffice.
NUMERIC_POINTS = 24
#: Random points per numeric check of an inequality: a false one may fail only on a small
#: region (e.g. sigma2 small against sigma1 in a mutated KL >= 0), so sample four times more.
NUMERIC_POINTS_LE = 96
#: Default wall-clock limit of one check, seconds.
DEFAULT_TIMEOUT = 20.0


def numeric_rel_tol(digits: int = NUMERIC_DIGITS) -> float:
    """Relative difference below which two mpmath values at ``digits`` count as equal."""
    return 10.0 ** -(digits - GUARD_DIGITS)


# --- torch closed forms against references -----------------------------------------------------
#: Relative tolerance of a closed form evaluated in ``dtype`` against an exact/50-digit
#: reference, for well-conditioned inputs: a few hundred ulps, leaving room for the O(n) rounding
#: of sums and products of n <= 512 terms done in log space.
RTOL = {
    "float64": 1e-10,  # eps = 2.2e-16; 512-term log sums lose < 1e3 ulp
    "float32": 2e-4,   # eps = 1.2e-7; same argument, ~1e3 ulp
}


def rtol(dtype) -> float:
    """The relative tolerance of :data:`RTOL` for a torch dtype or its name ("float64")."""
    name = str(dtype).removeprefix("torch.")
    try:
        return RTOL[name]
    except KeyError:
        raise KeyError(f"no tolerance for {dtype}; supported: {sorted(RTOL)}") from None


#: Machine epsilon by dtype name (numpy's finfo values, written out to keep torch out of here).
EPS = {"float64": 2.220446049250313e-16, "float32": 1.1920928955078125e-07}


def log_det_tol(dtype, n: int, cond):
    """Allowed error of a computed ``log|det A|`` (and of Hadamard's ``log ratio``).

    First-order perturbation: ``|d log|det A|| = |tr(A^-1 dA)| <= n cond(A) |dA|/|A|``, and
    the backward error of LU with partial pivoting (or Householder QR) is ``|dA|/|A| = O(eps)``;
    10 covers the O(1) constants.
    ``cond`` may be an array (one bound per matrix).
    """
    return 10 * n * cond * EPS[str(dtype).removeprefix("torch.")]


#: Symbolic curvature (lambdified) vs curvature assembled from autograd derivatives of the
#: metric, relative to the largest |R_abcd| at the point, float64: eq. (49) sums O(n^3) products
#: of derivatives, so a few hundred ulps (observed: <= 2e-14 on the catalogue).
CURVATURE_AUTOGRAD_RTOL = 1e-12
