r"""Volume and Hadamard's inequality.

Title
    体积与阿达马不等式 (Volume and Hadamard's inequality), Su Jianlin, 2013-12-26.

Main results
    * ``hadamard_n2``: :math:`(\det A)^2 = \|a_1\|^2\|a_2\|^2 - \langle a_1,a_2\rangle^2
      \le \|a_1\|^2\|a_2\|^2` (Lagrange identity; PROVED, exact SOS certificate).
    * ``hadamard_n3``: :math:`(\det A)^2 = \|a_1\|^2\|a_2\|^2\|a_3\|^2
      - \|a_1\|^2\langle a_2,a_3\rangle^2 - \|a_1\times(a_2\times a_3)\|^2` (PROVED, exact SOS
      certificate of six squares).
    * General n by QR (the article's "best coordinate system"): :math:`(\det A)^2 = \prod_j
      r_{jj}^2 \le \prod_j \|a_j\|^2`; each link is an exact instance of a named textbook lemma
      (``kexue_sym.lemmas``) whose own small instances are machine-checked; the chain is also
      PROVED on exact integer instances n = 2, 3, 4.
    * Equality: orthogonal columns (symbolic n = 2, 3 via rational parametrisations of the
      orthogonal group; general n by lemmas) or a zero column; for n = 2 the gap is exactly
      :math:`\langle a_1, a_2\rangle^2`, so equality forces orthogonality.

Assumptions
    Real square matrices; all entries are real symbols (``real=True``).

Not machine-checked
    The general-n lemmas themselves (multiplicativity of det, det of a triangular matrix,
    existence of QR, ...) are trusted textbook facts, checked only on small instances; the
    converse of the equality case for n >= 3.

References
    https://kexue.fm/archives/2215 (statement; the text breaks off where the proof starts: the
    proof here is a reconstruction along the article's "best coordinate system", i.e. QR).
"""
from __future__ import annotations

import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.hadamard import bound_expr
from kexue_sym.justify import ByLemmas, ByPremise
from kexue_sym.lemmas import (DET_MUL, DET_TRANSPOSE, DET_TRIANGULAR, DROP_NONNEGATIVE_TERMS,
                              ORTHOGONAL_NORM, PROD_MONO, PROD_POW, QR, TRIANGULAR_SUPPORT)
from kexue_sym.notation import cross, inner, minimum, norm
from kexue_sym.registry import derivation
from kexue_sym.symbols import generic_matrix, rotation_3d

SOURCE = "https://kexue.fm/archives/2215"


def _col(A: sp.Matrix, j: int) -> sp.Matrix:
    return A[:, j]


def _sq(v: sp.Matrix) -> sp.Expr:
    return sp.expand(v.dot(v))


@derivation("hadamard", title="Volume and Hadamard's inequality", source=SOURCE,
            summary="(det A)^2 <= prod_j ||a_j||^2 for a real square A with columns a_j",
            crosscheck="kexue_sym.crosscheck.hadamard:run")
def build(d: Derivation) -> None:
    a1, a2, a3 = sp.symbols("a_1 a_2 a_3")  # display names of the columns
    A_disp = sp.MatrixSymbol("A", 3, 3)

    # -- n = 2: area of a parallelogram <= product of its sides ---------------------------------
    d.section("n = 2: a parallelogram's area is at most the product of its sides")
    A = generic_matrix("a", 2)
    c1, c2 = _col(A, 0), _col(A, 1)
    dot12 = c1.dot(c2)
    (d.calc(A.det() ** 2, display=sp.Determinant(sp.MatrixSymbol("A", 2, 2)) ** 2)
       .eq(_sq(c1) * _sq(c2) - dot12 ** 2, by="Lagrange's identity",
           display=norm(a1) ** 2 * norm(a2) ** 2 - inner(a1, a2) ** 2)
       .le(_sq(c1) * _sq(c2), by="a square is non-negative (SOS certificate)",
           certificate=[dot12 ** 2], display=norm(a1) ** 2 * norm(a2) ** 2))

    # -- n = 3: volume of a parallelepiped <= product of its edges ------------------------------
    d.section("n = 3: a parallelepiped's volume is at most the product of its edges")
    A = generic_matrix("a", 3)
    c1, c2, c3 = (_col(A, j) for j in range(3))
    w = c2.cross(c3)
    v = c1.cross(w)
    dot23 = c2.dot(c3)
    (d.calc(A.det() ** 2, display=sp.Determinant(A_disp) ** 2)
       .eq(_sq(c1) * _sq(w) - _sq(v),
           by="Lagrange's identity for a_1 and a_2 x a_3, with <a_1, a_2 x a_3> = det A",
           display=norm(a1) ** 2 * norm(cross(a2, a3)) ** 2 - norm(cross(a1, cross(a2, a3))) ** 2)
       .eq(_sq(c1) * (_sq(c2) * _sq(c3) - dot23 ** 2) - _sq(v),
           by="Lagrange's identity for a_2 and a_3",
           display=norm(a1) ** 2 * (norm(a2) ** 2 * norm(a3) ** 2 - inner(a2, a3) ** 2)
           - norm(cross(a1, cross(a2, a3))) ** 2)
       .le(_sq(c1) * _sq(c2) * _sq(c3),
           by="six squares are non-negative (SOS certificate)",
           certificate=[e ** 2 for e in v] + [(c1[i] * dot23) ** 2 for i in range(3)],
           display=norm(a1) ** 2 * norm(a2) ** 2 * norm(a3) ** 2))

    # -- general n: the best coordinate system ---------------------------------------------------
    d.section("general n: rotate to the best coordinate system (QR)")
    n = sp.Symbol("n", integer=True, positive=True)
    i, j, k = sp.symbols("i j k", integer=True, positive=True)
    A, U, R = (sp.MatrixSymbol(s, n, n) for s in "AUR")
    a, u, r = (sp.IndexedBase(s, real=True) for s in "aur")
    qr = d.step(A, "=", sp.MatMul(U, R), name="QR",
                by=ByLemmas((QR, dict(A=A, U=U, R=R)), note="Gram-Schmidt: R upper-triangular"))
    orthogonal = d.step(U.T * U, "=", sp.Identity(n), name="orthonormal",
                        by=ByLemmas((QR, dict(A=A, U=U, R=R, part="orthogonal")),
                                    note="U has orthonormal columns"))
    column_norm = sp.Sum(a[i, j] ** 2, (i, 1, n))
    columns = (
        d.calc(column_norm)
         .eq(sp.Sum(sp.Sum(u[i, k] * r[k, j], (k, 1, n)) ** 2, (i, 1, n)),
             by=ByPremise(qr, rewrite={a[i, j]: sp.Sum(u[i, k] * r[k, j], (k, 1, n))},
                          note="A = U R entrywise"))
         .eq(sp.Sum(r[k, j] ** 2, (k, 1, n)),
             by=ByLemmas((ORTHOGONAL_NORM, dict(u=u, x=r[k, j], i=i, k=k, n=n)),
                         premises=[orthogonal]))
         .eq(sp.Sum(r[k, j] ** 2, (k, 1, j)),
             by=ByLemmas((TRIANGULAR_SUPPORT, dict(r=r, k=k, j=j, n=n)), premises=[qr]))
         .ge(r[j, j] ** 2, by=ByLemmas((DROP_NONNEGATIVE_TERMS, dict(f=r[k, j] ** 2, k=k, j=j)),
                                       note="the height is at most the edge")))
    (d.calc(sp.Determinant(A) ** 2)
       .eq(sp.Determinant(sp.MatMul(U, R)) ** 2, by=ByPremise(qr, rewrite={A: U * R}))
       .eq(sp.Determinant(U) ** 2 * sp.Determinant(R) ** 2,
           by=ByLemmas((DET_MUL, dict(X=U, Y=R))))
       .eq(sp.Determinant(sp.MatMul(U.T, U)) * sp.Determinant(R) ** 2,
           by=ByLemmas((DET_MUL, dict(X=U.T, Y=U)), (DET_TRANSPOSE, dict(X=U)),
                       note="det(U)^2 = det(U^T) det(U) = det(U^T U)"))
       .eq(sp.Determinant(R) ** 2, by=ByPremise(orthogonal, rewrite={U.T * U: sp.Identity(n)},
                                                note="U^T U = I, det I = 1"))
       .eq(sp.Product(r[j, j], (j, 1, n)) ** 2,
           by=ByLemmas((DET_TRIANGULAR, dict(R=R, r=r, j=j, n=n)), premises=[qr]))
       .eq(sp.Product(r[j, j] ** 2, (j, 1, n)), by=ByLemmas((PROD_POW, dict(f=r[j, j], j=j, n=n))))
       .le(sp.Product(column_norm, (j, 1, n)),
           by=ByLemmas((PROD_MONO, dict(f=r[j, j] ** 2, g=column_norm, j=j, n=n)),
                       premises=columns.links, note="multiply the column bounds r_jj^2 <= ||a_j||^2")))

    # -- the chain on exact instances ------------------------------------------------------------
    d.section("the QR chain on exact integer instances")
    instances = [sp.Matrix([[3, 1], [4, 2]]),
                 sp.Matrix([[2, -1, 0], [1, 3, 1], [0, 1, 4]]),
                 sp.Matrix([[1, 2, 0, 1], [0, 1, 3, 0], [2, 0, 1, 1], [1, 1, 1, 5]])]
    dets, diag_products, norms, partial_norms, bounds = [], [], [], [], []
    for M in instances:
        Q, Rm = M.QRdecomposition()
        dets.append(M.det() ** 2)
        diag_products.append(sp.Mul(*[Rm[t, t] ** 2 for t in range(M.rows)]))
        for col in range(M.cols):
            norms.append(_sq(M[:, col]))
            partial_norms.append(sum(Rm[t, col] ** 2 for t in range(col + 1)))
        bounds.append(bound_expr(M))
    scope = "exact instances n = 2, 3, 4"
    # display forms: the general statement each exact instance checks
    A, r, a = sp.MatrixSymbol("A", n, n), sp.IndexedBase("r"), sp.IndexedBase("a")
    i, j = sp.symbols("i j", integer=True, positive=True)
    det_sq, diag_prod = sp.Determinant(A) ** 2, sp.Product(r[j, j] ** 2, (j, 1, n))
    d.step(sp.Matrix(dets), "=", sp.Matrix(diag_products), by="det(A)^2 = prod_j r_jj^2 (QR)",
           scope=scope, display=(det_sq, diag_prod))
    d.step(sp.Matrix(norms), "=", sp.Matrix(partial_norms), by="||a_j||^2 = sum_{i<=j} r_ij^2",
           scope=scope, display=(norm(a[j]) ** 2, sp.Sum(r[i, j] ** 2, (i, 1, j))))
    d.step(min(b - t for b, t in zip(bounds, dets)), ">=", 0,
           by="Hadamard's inequality at each instance (smallest gap)", scope=scope,
           display=(minimum(sp.Product(norm(a[j]) ** 2, (j, 1, n)) - det_sq), sp.Integer(0)))

    # -- equality ------------------------------------------------------------------------------
    d.section("equality: orthogonal columns, or a zero column")
    d1, d2, d3 = sp.symbols("d_1 d_2 d_3", real=True)
    p, q = sp.symbols("p q", real=True)
    rotation = sp.Matrix([[p ** 2 - q ** 2, -2 * p * q], [2 * p * q, p ** 2 - q ** 2]]) / (p ** 2 + q ** 2)
    A = rotation * sp.diag(d1, d2)
    d.step(A.det() ** 2, "=", bound_expr(A), by="orthogonal columns: A = Q(p, q) diag(d)",
           scope="n = 2, every rotation Q(p, q) (p + iq)^2 / |p + iq|^2, symbolic p, q, d",
           display=(sp.Determinant(sp.MatrixSymbol("A", 2, 2)) ** 2,
                    norm(a1) ** 2 * norm(a2) ** 2))
    A = rotation_3d() * sp.diag(d1, d2, d3)
    d.step(A.det() ** 2, "=", bound_expr(A), by="orthogonal columns: A = Q(q) diag(d)",
           scope="n = 3, every rotation Q(q) from a quaternion q, symbolic q, d",
           display=(sp.Determinant(A_disp) ** 2, norm(a1) ** 2 * norm(a2) ** 2 * norm(a3) ** 2))
    for size in (2, 3):
        Z = generic_matrix("a", size)
        Z[:, size - 1] = sp.zeros(size, 1)
        d.step(Z.det() ** 2, "=", bound_expr(Z), by="a zero column makes both sides 0",
               scope=f"n = {size}, symbolic entries",
               display=(sp.Determinant(sp.MatrixSymbol("A", size, size)) ** 2, sp.Integer(0)))
    G = sp.IndexedBase("G", real=True)
    (d.calc(sp.Determinant(A_general := sp.MatrixSymbol("A", n, n)) ** 2)
       .eq(sp.Determinant(sp.MatMul(A_general.T, A_general)),
           by=ByLemmas((DET_MUL, dict(X=A_general.T, Y=A_general)),
                       (DET_TRANSPOSE, dict(X=A_general)), note="det(A)^2 = det(A^T A)"))
       .eq(sp.Product(G[j, j], (j, 1, n)),
           by=ByLemmas((DET_TRIANGULAR, dict(R=A_general.T * A_general, r=G, j=j, n=n)),
                       note="orthogonal columns: the Gram matrix G = A^T A is diagonal (case "
                            "hypothesis)"))
       .eq(sp.Product(column_norm, (j, 1, n)),
           by=ByPremise(rewrite={G[j, j]: column_norm}, note="G_jj = ||a_j||^2 (definition)")))
    A = generic_matrix("a", 2)
    d.step(bound_expr(A) - A.det() ** 2, "=", A[:, 0].dot(A[:, 1]) ** 2,
           by="n = 2: the gap is <a_1, a_2>^2, so equality iff a_1 is orthogonal to a_2",
           display=(norm(a1) ** 2 * norm(a2) ** 2 - sp.Determinant(sp.MatrixSymbol("A", 2, 2)) ** 2,
                    inner(a1, a2) ** 2))

