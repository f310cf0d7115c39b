"""Named lemmas: textbook facts a derivation may cite, instantiated and checked exactly.

A general-n argument cannot be machine-checked by sympy for every n.  It can be written as a
chain whose links are instances of named lemmas (``det(XY) = det(X) det(Y)``, ...): the checker
then verifies, exactly, that each link *is* an instance of the lemma it cites (the lemma's
equation applied as a rewrite, or its conclusion matched structurally) and that the lemma's
hypotheses hold.  The lemma itself is trusted as a textbook theorem; to keep that trust honest
each lemma carries machine checks of its own small instances (symbolic, exact), run once per
process and reported in the evidence.  A step checked this way is PROVED *modulo the named
lemma*, and its evidence says so.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import sympy as sp

from . import check
from .check import as_expr
from .derivation import Checker, Step
from .verdict import Status, Verdict, conjunction


@dataclass(frozen=True)
class Lemma:
    """A textbook lemma.

    ``instance(**bindings)`` returns the conclusion as ``(lhs, relation, rhs)`` and
    ``hypotheses(**bindings)`` the claims it needs, each ``(lhs, relation, rhs)``.
    ``self_check()`` machine-checks the lemma on small instances (``checked_on`` names them).
    """

    name: str
    statement: str
    source: str
    instance: Callable[..., tuple[Any, str, Any]]
    self_check: Callable[[], list[Verdict]]
    checked_on: str
    hypotheses: Callable[..., list[tuple[Any, str, Any]]] = field(default=lambda **_: [])

    def verified_instances(self) -> Verdict:
        """The conjunction of the lemma's own instance checks (cached per process)."""
        return _self_check(self)


@functools.lru_cache(maxsize=None)
def _self_check(lemma: Lemma) -> Verdict:
    return conjunction(lemma.self_check(), f"lemma {lemma.name} on {lemma.checked_on}")


def _check_claim(lhs: Any, relation: str, rhs: Any, timeout: float | None) -> Verdict:
    if relation == "=":
        return check.equal(lhs, rhs, timeout=timeout)
    if relation == "<=":
        return check.le(lhs, rhs, timeout=timeout)
    return check.ge(lhs, rhs, timeout=timeout)


def _same(a: Any, b: Any) -> bool:
    """Exact equality of two scalar expressions: structurally, or after expansion."""
    a, b = as_expr(a), as_expr(b)
    return a == b or sp.expand(a.doit(deep=False) - b.doit(deep=False)) == 0 \
        or sp.expand(a - b) == 0


def _matches(rel: str, lhs: Any, rhs: Any, lemma_rel: str, left: Any, right: Any) -> bool:
    """The step ``lhs rel rhs`` is the lemma's ``left lemma_rel right`` (possibly mirrored)."""
    mirror = {"<=": ">=", ">=": "<=", "=": "="}
    if rel == lemma_rel:
        return _same(left, lhs) and _same(right, rhs)
    return rel == mirror[lemma_rel] and _same(left, rhs) and _same(right, lhs)


def _rewrite(expr: Any, rules: dict[Any, Any], limit: int = 10) -> Any:
    """Apply the rewrite rules until nothing changes (a rule's output may feed another)."""
    for _ in range(limit):
        new = expr.xreplace(rules)
        if new == expr:
            return new
        expr = new
    return expr


def by_lemmas(*uses: tuple[Lemma, dict], premises: Sequence[Step] = ()) -> Checker:
    """Checker: the step follows by rewriting with the cited lemma instances.

    Equation lemmas ``L = R`` are applied as rewrites ``L -> R`` to both sides of the step
    (congruence); the step holds when the rewritten sides agree exactly.  An inequality lemma
    must match the step itself (same relation, both sides exactly).  Every hypothesis of every
    instance is checked; ``premises`` are earlier steps whose verdicts the step relies on.
    """
    def run(step: Step, timeout: float | None, done: dict[Step, Verdict]) -> Verdict:
        parts: list[Verdict] = []
        lhs, rhs = as_expr(step.lhs), as_expr(step.rhs)
        rewrites: dict[Any, Any] = {}
        names = []
        for lemma, bindings in uses:
            left, relation, right = lemma.instance(**bindings)
            names.append(lemma.name)
            parts.append(lemma.verified_instances())
            if relation == "=":
                rewrites[left] = right
            elif _matches(step.relation, lhs, rhs, relation, left, right):
                parts.append(Verdict(Status.PROVED, f"instance of {lemma.name}",
                                     "the step is the lemma's conclusion, matched exactly"))
            else:
                parts.append(Verdict(Status.UNDECIDED, f"instance of {lemma.name}",
                                     f"the step does not match the lemma's conclusion "
                                     f"{left} {relation} {right}"))
            for h_lhs, h_rel, h_rhs in lemma.hypotheses(**bindings):
                v = _check_claim(h_lhs, h_rel, h_rhs, timeout)
                parts.append(Verdict(v.status, f"hypothesis {h_lhs} {h_rel} {h_rhs}",
                                     v.summary(), points=v.points, digits=v.digits,
                                     witness=v.witness, witness_value=v.witness_value))
        if rewrites:
            new_l, new_r = _rewrite(lhs, rewrites), _rewrite(rhs, rewrites)
            if step.relation != "=":
                matched = False
            else:
                matched = _same(new_l, new_r)
            parts.append(Verdict(
                Status.PROVED if matched else Status.UNDECIDED, "rewrite with the lemmas",
                "both sides agree exactly after the rewrite" if matched else
                f"after rewriting, {new_l} vs {new_r} do not agree (or the step is not '=')"))
        for p in premises:
            if p not in done:
                raise ValueError(f"premise '{p.claim()}' is cited before it is checked")
            parts.append(Verdict(done[p].status, f"premise: {p.claim()}", done[p].summary()))
        detail = "; ".join(f"{l.name}: {l.statement} ({l.source}; self-checked on {l.checked_on})"
                           for l, _ in uses)
        return conjunction(parts, "lemma " + " + ".join(names) + " (trusted, instance exact)",
                           detail)
    return run


def by_premise(*premise_steps: Step, rewrite: dict[Any, Any]) -> Checker:
    """Checker: the step is its left side with ``rewrite`` applied (from equal premises).

    ``rewrite`` maps sub-expressions to what the premises say they equal; the step holds when
    ``lhs.xreplace(rewrite)`` and ``rhs`` agree exactly (after ``doit``, e.g. ``det(I) = 1``).
    """
    def run(step: Step, timeout: float | None, done: dict[Step, Verdict]) -> Verdict:
        new = as_expr(step.lhs).xreplace(rewrite)
        ok = step.relation == "=" and _same(new.doit(), as_expr(step.rhs).doit())
        parts = [Verdict(Status.PROVED if ok else Status.UNDECIDED, "substitution",
                         "exact after substituting the premises" if ok else
                         f"substitution gives {new}, not the right side")]
        for p in premise_steps:
            if p not in done:
                raise ValueError(f"premise '{p.claim()}' is cited before it is checked")
            parts.append(Verdict(done[p].status, f"premise: {p.claim()}", done[p].summary()))
        return conjunction(parts, "substitution of premises",
                           "; ".join(f"{k} -> {v}" for k, v in rewrite.items()))
    return run


# ---------------------------------------------------------------------------------------------
# the lemma library
# ---------------------------------------------------------------------------------------------

def generic_matrix(name: str, n: int, *, upper: bool = False) -> sp.Matrix:
    """An n x n matrix of independent real symbols ``name_ij`` (upper-triangular if asked)."""
    return sp.Matrix(n, n, lambda i, j: sp.Integer(0) if upper and i > j
                     else sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True))


def cayley_orthogonal(n: int, name: str = "k") -> sp.Matrix:
    """Q = (I - K)(I + K)^{-1} with K skew-symmetric of free real symbols: QᵀQ = I exactly.

    Rational in K, so identities about Q are rational-function identities that ``cancel``
    decides exactly.  (Covers the orthogonal matrices without eigenvalue -1.)
    """
    K = sp.zeros(n, n)
    for i in range(n):
        for j in range(i + 1, n):
            K[i, j] = sp.Symbol(f"{name}_{i + 1}{j + 1}", real=True)
            K[j, i] = -K[i, j]
    eye = sp.eye(n)
    return (eye - K) * (eye + K).inv()


def rotation_3d(names: str = "q_0 q_1 q_2 q_3") -> sp.Matrix:
    """The rotation of a quaternion q (Euler-Rodrigues): every element of SO(3), rational in q.

    Q = P(q) / |q|^2 with P quadratic in q, so identities about Q are rational-function
    identities that ``cancel`` decides exactly.
    """
    a, b, c, d = sp.symbols(names, real=True)
    P = sp.Matrix([
        [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
        [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
        [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d]])
    return P / (a * a + b * b + c * c + d * d)


def _det_mul_instances() -> list[Verdict]:
    out = []
    for n in (2, 3):
        X, Y = generic_matrix("x", n), generic_matrix("y", n)
        out.append(check.equal((X * Y).det(method="berkowitz"), X.det() * Y.det(), numeric=False))
    return out


DET_MUL = Lemma(
    "det_mul", "det(XY) = det(X) det(Y) for square X, Y", "Cauchy-Binet / multiplicativity",
    instance=lambda X, Y: (sp.Determinant(sp.MatMul(X, Y)), "=",
                           sp.Determinant(X) * sp.Determinant(Y)),
    self_check=_det_mul_instances, checked_on="generic symbolic n = 2, 3")


def _det_transpose_instances() -> list[Verdict]:
    return [check.equal(generic_matrix("x", n).T.det(), generic_matrix("x", n).det(),
                        numeric=False) for n in (2, 3, 4)]


DET_TRANSPOSE = Lemma(
    "det_transpose", "det(X^T) = det(X)", "Leibniz formula",
    instance=lambda X: (sp.Determinant(sp.Transpose(X)), "=", sp.Determinant(X)),
    self_check=_det_transpose_instances, checked_on="generic symbolic n = 2, 3, 4")


def _det_triangular_instances() -> list[Verdict]:
    out = []
    for n in (2, 3, 4, 5):
        R = generic_matrix("r", n, upper=True)
        out.append(check.equal(R.det(), sp.Mul(*[R[i, i] for i in range(n)]), numeric=False))
    return out


DET_TRIANGULAR = Lemma(
    "det_triangular", "det R = prod_j r_jj for upper-triangular R", "Laplace expansion",
    instance=lambda R, r, j, n: (sp.Determinant(R), "=", sp.Product(r[j, j], (j, 1, n))),
    self_check=_det_triangular_instances, checked_on="generic symbolic n = 2..5")


def _prod_pow_instances() -> list[Verdict]:
    f, j = sp.IndexedBase("f", real=True), sp.Symbol("j", integer=True)
    return [check.equal(sp.Product(f[j], (j, 1, n)).doit() ** 2,
                        sp.Product(f[j] ** 2, (j, 1, n)).doit(), numeric=False)
            for n in (1, 2, 3, 4)]


PROD_POW = Lemma(
    "prod_pow", "(prod_j f_j)^2 = prod_j f_j^2", "commutativity of multiplication",
    instance=lambda f, j, n: (sp.Product(f, (j, 1, n)) ** 2, "=", sp.Product(f ** 2, (j, 1, n))),
    self_check=_prod_pow_instances, checked_on="n = 1..4 symbolically")


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
    "qr", "every real square A = U R with U^T U = I and R upper-triangular",
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
    "orthogonal_norm", "sum_i (sum_k u_ik x_k)^2 = sum_k x_k^2 when U^T U = I",
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
    "triangular_support", "sum_{k=1}^n r_kj^2 = sum_{k=1}^j r_kj^2 for upper-triangular R",
    "r_kj = 0 for k > j",
    instance=lambda r, k, j, n: (sp.Sum(r[k, j] ** 2, (k, 1, n)), "=",
                                 sp.Sum(r[k, j] ** 2, (k, 1, j))),
    self_check=_triangular_support_instances, checked_on="generic upper-triangular n = 2, 3, 4")


def _drop_terms_instances() -> list[Verdict]:
    out = []
    for m in (1, 2, 3, 4, 5):
        f = [sp.Symbol(f"f_{i}", nonnegative=True) for i in range(1, m + 1)]
        out.append(check.le(f[-1], sp.Add(*f), certificate=f[:-1], numeric=False))
    return out


DROP_NONNEGATIVE_TERMS = Lemma(
    "drop_nonnegative_terms", "f_j <= sum_{k=1}^j f_k when every f_k >= 0",
    "the dropped terms are non-negative",
    instance=lambda f, k, j: (f.subs(k, j), "<=", sp.Sum(f, (k, 1, j))),
    hypotheses=lambda f, k, j: [(f, ">=", 0)],
    self_check=_drop_terms_instances, checked_on="j = 1..5 with non-negative symbols")


def _prod_mono_instances() -> list[Verdict]:
    out = []
    for m in (1, 2, 3, 4):
        f = [sp.Symbol(f"f_{i}", nonnegative=True) for i in range(m)]
        e = [sp.Symbol(f"e_{i}", nonnegative=True) for i in range(m)]
        lhs, rhs = sp.Mul(*f), sp.Mul(*[a + b for a, b in zip(f, e)])
        # (f+e) products minus f products: a polynomial with non-negative coefficients
        out.append(check.le(lhs, rhs, certificate=[sp.expand(rhs - lhs)], numeric=False))
    return out


PROD_MONO = Lemma(
    "prod_mono", "prod_j f_j <= prod_j g_j when 0 <= f_j <= g_j for all j",
    "monotonicity of products of non-negative numbers",
    instance=lambda f, g, j, n: (sp.Product(f, (j, 1, n)), "<=", sp.Product(g, (j, 1, n))),
    hypotheses=lambda f, g, j, n: [(f, ">=", 0)],
    self_check=_prod_mono_instances, checked_on="n = 1..4 with g_j = f_j + e_j, f, e >= 0")
