"""Linear-algebra lemmas: determinants, QR, orthogonal maps, square roots of SPD matrices."""
from __future__ import annotations

from typing import Any

import sympy as sp

from .. import check
from ..symbols import cayley_orthogonal, generic_matrix
from ..verdict import Verdict
from .core import Lemma


def _det_mul_instances() -> list[Verdict]:
    out = []
    for n in (2, 3):
        X, Y = generic_matrix("x", n), generic_matrix("y", n)
        out.append(check.equal((X * Y).det(method="berkowitz"), X.det() * Y.det(), numeric=False))
    return out


DET_MUL = Lemma(
    "det_mul", "det is multiplicative",
    "det(XY) = det(X) det(Y) for square X, Y", "Cauchy-Binet / multiplicativity",
    instance=lambda X, Y: (sp.Determinant(sp.MatMul(X, Y)), "=",
                           sp.Determinant(X) * sp.Determinant(Y)),
    self_check=_det_mul_instances, checked_on="generic symbolic n = 2, 3")


def _det_transpose_instances() -> list[Verdict]:
    return [check.equal(generic_matrix("x", n).T.det(), generic_matrix("x", n).det(),
                        numeric=False) for n in (2, 3, 4)]


DET_TRANSPOSE = Lemma(
    "det_transpose", "det(X^T) = det(X)",
    "det(X^T) = det(X)", "Leibniz formula",
    instance=lambda X: (sp.Determinant(sp.Transpose(X)), "=", sp.Determinant(X)),
    self_check=_det_transpose_instances, checked_on="generic symbolic n = 2, 3, 4")


def _det_triangular_instances() -> list[Verdict]:
    out = []
    for n in (2, 3, 4, 5):
        R = generic_matrix("r", n, upper=True)
        out.append(check.equal(R.det(), sp.Mul(*[R[i, i] for i in range(n)]), numeric=False))
    return out


DET_TRIANGULAR = Lemma(
    "det_triangular", "det of a triangular matrix",
    "det R = prod_j r_jj for upper-triangular R", "Laplace expansion",
    instance=lambda R, r, j, n: (sp.Determinant(R), "=", sp.Product(r[j, j], (j, 1, n))),
    self_check=_det_triangular_instances, checked_on="generic symbolic n = 2..5")




def _qr_instances() -> list[Verdict]:
    """Exact Gram-Schmidt of fixed integer matrices: U^T U = I, U R = A, R upper-triangular."""
    out = []
    for A in (sp.Matrix([[3, 1], [4, 2]]),
              sp.Matrix([[2, -1, 0], [1, 3, 1], [0, 1, 4]]),
              sp.Matrix([[1, 2, 0, 1], [0, 1, 3, 0], [2, 0, 1, 1], [1, 1, 1, 5]])):
        U, R = A.QRdecomposition()
        n = A.shape[0]
        out.append(check.equal(U.T * U, sp.eye(n), numeric=False))
        out.append(check.equal(U * R, A, numeric=False))
        out.append(check.equal(R, R.upper_triangular(), numeric=False))
    return out


QR = Lemma(
    "qr", "QR (Gram-Schmidt)",
    "every real square A = U R with U^T U = I and R upper-triangular",
    "Gram-Schmidt (Householder when the columns are dependent)",
    instance=lambda A, U, R, part="factor": (
        (A, "=", sp.MatMul(U, R)) if part == "factor"
        else (sp.MatMul(U.T, U), "=", sp.Identity(U.shape[0]))),
    self_check=_qr_instances, checked_on="exact Gram-Schmidt of integer matrices n = 2, 3, 4")


def _orthogonal_norm_instances() -> list[Verdict]:
    out = []
    for n in (2, 3):
        Q = cayley_orthogonal(n)
        x = sp.Matrix([sp.Symbol(f"x_{i + 1}", real=True) for i in range(n)])
        out.append(check.equal((Q * x).dot(Q * x), x.dot(x), numeric=False))
    return out


ORTHOGONAL_NORM = Lemma(
    "orthogonal_norm", "rotations keep lengths",
    "sum_i (sum_k u_ik x_k)^2 = sum_k x_k^2 when U^T U = I",
    "|U x|^2 = x^T U^T U x",
    instance=lambda u, x, i, k, n: (sp.Sum(sp.Sum(u[i, k] * x, (k, 1, n)) ** 2, (i, 1, n)), "=",
                                    sp.Sum(x ** 2, (k, 1, n))),
    self_check=_orthogonal_norm_instances,
    checked_on="Cayley-parametrised orthogonal U, n = 2, 3 (rational identity)")


def _triangular_support_instances() -> list[Verdict]:
    out = []
    for n in (2, 3, 4):
        R = generic_matrix("r", n, upper=True)
        for j in range(n):
            out.append(check.equal(sum(R[i, j] ** 2 for i in range(n)),
                                   sum(R[i, j] ** 2 for i in range(j + 1)), numeric=False))
    return out


TRIANGULAR_SUPPORT = Lemma(
    "triangular_support", "R is upper-triangular",
    "sum_{k=1}^n r_kj^2 = sum_{k=1}^j r_kj^2 for upper-triangular R",
    "r_kj = 0 for k > j",
    instance=lambda r, k, j, n: (sp.Sum(r[k, j] ** 2, (k, 1, n)), "=",
                                 sp.Sum(r[k, j] ** 2, (k, 1, j))),
    self_check=_triangular_support_instances, checked_on="generic upper-triangular n = 2, 3, 4")



def invertible(G: sp.Matrix) -> tuple[Any, str, Any]:
    """The claim 'G is invertible' as an exact identity: det(G) det(G^-1) = 1 (G^-1 exists as
    a rational function of the entries only where det(G) is not identically 0)."""
    return (sp.cancel(G.det() * G.inv().det()), "=", 1)


def spd_witness(M: sp.Matrix, G: sp.Matrix) -> list[tuple[Any, str, Any]]:
    """Hypotheses that make M symmetric positive definite: M = G^T G with the top square block
    of G invertible (then x^T M x = |G x|^2 > 0 for x != 0)."""
    n = M.shape[0]
    return [(M, "=", G.T * G), invertible(G[:n, :])]



class TraceSqrt(sp.Function):
    r"""``tr(M^{1/2})`` for the principal square root of a matrix M with positive eigenvalues
    (an unevaluated function: the lemmas below say what it equals)."""

    nargs = 1

    def _latex(self, printer: Any) -> str:
        return r"\operatorname{tr}\left(%s\right)^{1/2}" % printer._print(self.args[0])

    def _sympystr(self, printer: Any) -> str:
        return f"TraceSqrt({printer._print(self.args[0])})"


def sqrt_2x2(M: sp.Matrix) -> sp.Matrix:
    """(M + sqrt(det M) I) / sqrt(tr M + 2 sqrt(det M)): the principal root of a 2 x 2 SPD M."""
    s = sp.sqrt(M.det())
    return (M + s * sp.eye(2)) / sp.sqrt(M.trace() + 2 * s)


def _trace_sqrt_2x2_instances() -> list[Verdict]:
    a, dl = sp.symbols("a delta", positive=True)
    b = sp.Symbol("b", real=True)
    M = sp.Matrix([[a, b], [b, (b**2 + dl) / a]])  # every SPD 2 x 2 matrix (det M = delta)
    R = sqrt_2x2(M)
    return [check.equal(R * R, M, numeric=False),                       # a square root ...
            check.equal(R.det(), sp.sqrt(dl), numeric=False),            # ... with det > 0
            check.equal(R.trace(), sp.sqrt(M.trace() + 2 * sp.sqrt(dl)), numeric=False)]  # tr > 0


TRACE_SQRT_2X2 = Lemma(
    "trace_sqrt_2x2", "trace of a 2 x 2 square root",
    "tr M^{1/2} = sqrt(tr M + 2 sqrt(det M)) for 2 x 2 symmetric positive-"
    "definite M", "Cayley-Hamilton: R = (M + sqrt(det M) I)/sqrt(tr M + 2 sqrt(det M)) has "
    "R^2 = M, det R > 0 and tr R > 0, so it is the principal root",
    instance=lambda M, G: (TraceSqrt(sp.ImmutableMatrix(M)), "=",
                           sp.sqrt(sp.expand(M.trace()) + 2 * sp.sqrt(sp.expand(M.det())))),
    hypotheses=lambda M, G: spd_witness(M, G),
    self_check=_trace_sqrt_2x2_instances,
    checked_on="every SPD 2 x 2 matrix [[a, b], [b, (b^2 + delta)/a]] symbolically")


def _trace_sqrt_similar_instances() -> list[Verdict]:
    out = []
    for N, P in ((sp.diag(4, 9), sp.Matrix([[1, 2], [0, 1]])),
                 (sp.Matrix([[5, 4, 0], [4, 5, 0], [0, 0, 16]]),
                  sp.Matrix([[1, 1, 0], [0, 2, 1], [1, 0, 1]]))):
        M = P * N * P.inv()
        root = M ** sp.Rational(1, 2)  # via sympy's Jordan form: sqrt of each eigenvalue
        out.append(check.equal(root * root, M, numeric=False))
        out.append(check.equal(root.trace(), (N ** sp.Rational(1, 2)).trace(), numeric=False))
    return out


TRACE_SQRT_SIMILAR = Lemma(
    "trace_sqrt_similar", "trace of the root of a similar matrix",
    "tr (P N P^-1)^{1/2} = tr N^{1/2} for N with positive eigenvalues",
    "the principal root of P N P^-1 is P N^{1/2} P^-1 (same eigenvectors, positive roots), and "
    "the trace is invariant under similarity",
    instance=lambda M, P, N: (TraceSqrt(sp.ImmutableMatrix(M)), "=", TraceSqrt(sp.ImmutableMatrix(N))),
    hypotheses=lambda M, P, N: [(M, "=", P * N * P.inv()), invertible(P)],
    self_check=_trace_sqrt_similar_instances,
    checked_on="fixed integer N, P with n = 2, 3 (sympy's exact Jordan-form root)")




# ---------------------------------------------------------------------------------------------
# operator (spectral) norms
# ---------------------------------------------------------------------------------------------

def spectral_norm(A: sp.Matrix) -> sp.Expr:
    """||A||_2 exactly: the square root of the largest eigenvalue of A^T A (an algebraic number
    for a rational matrix)."""
    eig = list((A.T * A).eigenvals())
    return sp.sqrt(max(eig, key=lambda e: sp.N(e, 50)))


_NORM_MATRICES = (sp.Matrix([[1, 2], [3, 4]]), sp.Matrix([[2, -1], [1, 1]]),
                  sp.Matrix([[0, 1], [0, 0]]), sp.Matrix([[3, 0], [4, 5]]),
                  sp.Matrix([[1, 1, 0], [0, 2, 1]]))


def _frobenius(A: sp.Matrix) -> sp.Expr:
    return sp.sqrt(sum(v ** 2 for v in A))


def _op_vector_instances() -> list[Verdict]:
    out = []
    for A in _NORM_MATRICES:
        for v in (sp.Matrix([1, -2, 1][:A.rows]), sp.Matrix([3, 1, 2][:A.rows])):
            row = v.T * A
            out.append(check.le(sp.sqrt(sum(e ** 2 for e in row)),
                                sp.sqrt(sum(e ** 2 for e in v)) * spectral_norm(A), numeric=False))
    return out


def _op_submultiplicative_instances() -> list[Verdict]:
    square = [A for A in _NORM_MATRICES if A.rows == 2 and A.cols == 2]
    return [check.le(spectral_norm(A * B), spectral_norm(A) * spectral_norm(B), numeric=False)
            for A in square for B in square if A != B]


def _op_frobenius_instances() -> list[Verdict]:
    return [check.le(spectral_norm(A), _frobenius(A), numeric=False) for A in _NORM_MATRICES]


def _op_instances_note() -> str:
    return "the integer matrices [[1,2],[3,4]], [[2,-1],[1,1]], [[0,1],[0,0]], [[3,0],[4,5]], " \
           "[[1,1,0],[0,2,1]] (exact algebraic norms)"


OP_NORM_VECTOR = Lemma(
    "op_norm_vector", "the operator norm bounds a row times a matrix",
    "||v^T A|| <= ||v|| ||A||_2 (definition of the spectral norm; ||A^T||_2 = ||A||_2)",
    "definition of the operator norm",
    instance=lambda v, A: (_notation().norm(v.T * A), "<=",
                           _notation().norm(v) * _notation().opnorm(A)),
    self_check=_op_vector_instances, checked_on=_op_instances_note() + " and two vectors each")

OP_SUBMULTIPLICATIVE = Lemma(
    "op_submultiplicative", "the operator norm is sub-multiplicative",
    "||A B||_2 <= ||A||_2 ||B||_2", "compose the two bounds ||A B x|| <= ||A|| ||B x||",
    instance=lambda A, B: (_notation().opnorm(A * B), "<=",
                           _notation().opnorm(A) * _notation().opnorm(B)),
    self_check=_op_submultiplicative_instances,
    checked_on="every ordered pair of the 2 x 2 integer matrices of op_norm_vector")

OP_LE_FROBENIUS = Lemma(
    "op_le_frobenius", "the spectral norm is at most the Frobenius norm",
    "||A||_2 <= ||A||_F (the largest eigenvalue of A^T A is at most its trace)",
    "sigma_max^2 <= sum_i sigma_i^2 = tr A^T A",
    instance=lambda A: (_notation().opnorm(A), "<=", _notation().frobenius(A)),
    self_check=_op_frobenius_instances, checked_on=_op_instances_note())


def _notation():
    from .. import notation  # display-only classes double as opaque norms in a lemma chain

    return notation
