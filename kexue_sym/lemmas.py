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
from .check import as_expr, exact_doit
from .derivation import Checker, Step
from .timeout import CheckTimeout, call_with_timeout
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
    if relation in (">", "<"):  # strict: only the assumption system is consulted (no numerics)
        gap = as_expr(lhs) - as_expr(rhs) if relation == ">" else as_expr(rhs) - as_expr(lhs)
        if gap.is_positive is True:
            return Verdict(Status.PROVED, "sign from assumptions", "strictly positive")
        return Verdict(Status.UNDECIDED, "sign from assumptions",
                       "the assumptions do not make it strictly positive")
    if relation == "=":
        return check.equal(lhs, rhs, timeout=timeout)
    if relation == "<=":
        return check.le(lhs, rhs, timeout=timeout)
    return check.ge(lhs, rhs, timeout=timeout)


def _same(a: Any, b: Any) -> bool:
    """Exact equality of two scalar expressions: structurally, or after expansion."""
    a, b = as_expr(a), as_expr(b)
    # integrals, sums, products and limits are never evaluated here: sympy's evaluation is not
    # evidence (check.exact_doit keeps them), and it is unbounded work outside the time limits
    return a == b or sp.expand(a - b) == 0 or sp.expand(exact_doit(a) - exact_doit(b)) == 0


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
        cited = list(dict.fromkeys(l for l, _ in uses))  # each lemma once, in order
        detail = "; ".join(f"{l.name}: {l.statement} ({l.source}; self-checked on {l.checked_on})"
                           for l in cited)
        return _conclude(step, parts, "lemma " + " + ".join(dict.fromkeys(names))
                         + " (trusted, instance exact)", detail, timeout)
    return run


def _short(e: Any, limit: int = 120) -> str:
    text = sp.sstr(e)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _conclude(step: Step, parts: list[Verdict], checker: str, detail: str,
              timeout: float | None) -> Verdict:
    """The verdict of a step justified by ``parts`` (lemma instances, hypotheses, premises).

    PROVED (or CHECKED) when every part is.  Otherwise the justification failed, which says
    nothing about the step itself: the step is REFUTED only by a re-checked counterexample to
    it (searched for here), else UNDECIDED, even when a cited part is itself refuted.
    """
    verdict = conjunction(parts, checker, detail)
    if verdict.status in (Status.PROVED, Status.CHECKED):
        return verdict
    found = check.counterexample(step.lhs, step.rhs, relation=step.relation, timeout=timeout)
    if found.status is Status.REFUTED:
        return found
    if verdict.status is Status.REFUTED:
        bad = next(p for p in parts if p.status is Status.REFUTED)
        return Verdict(Status.UNDECIDED, checker,
                       f"{detail}; the justification fails: {bad.checker} is refuted "
                       f"({_short(bad.summary(), 200)}); no counterexample to the step itself",
                       parts=verdict.parts)
    return verdict


def by_premise(*premise_steps: Step, rewrite: dict[Any, Any]) -> Checker:
    """Checker: the step is its left side with ``rewrite`` applied (from equal premises).

    ``rewrite`` maps sub-expressions to what the premises say they equal; the step holds when
    ``lhs.xreplace(rewrite)`` and ``rhs`` agree exactly (after :func:`check.exact_doit`, e.g.
    ``det(I) = 1``; integrals and sums are never evaluated there).
    A mismatch is REFUTED only with a re-checked counterexample to the step itself
    (:func:`_conclude`), else UNDECIDED.
    """
    def run(step: Step, timeout: float | None, done: dict[Step, Verdict]) -> Verdict:
        new = as_expr(step.lhs).xreplace(rewrite)
        ok = step.relation == "=" and _same(new, as_expr(step.rhs))
        parts = [Verdict(Status.PROVED if ok else Status.UNDECIDED, "substitution",
                         "exact after substituting the premises" if ok else
                         f"substitution gives {new}, not the right side")]
        for p in premise_steps:
            if p not in done:
                raise ValueError(f"premise '{p.claim()}' is cited before it is checked")
            parts.append(Verdict(done[p].status, f"premise: {p.claim()}", done[p].summary()))
        return _conclude(step, parts, "substitution of premises",
                         "; ".join(f"{_short(k)} -> {_short(v)}" for k, v in rewrite.items()),
                         timeout)
    return run


def by_slack(*premise_steps: Step) -> Checker:
    """Checker: an inequality from inequality premises, each used through its slack.

    A premise ``a <= b`` says ``a = b - g`` for some ``g >= 0`` (``a >= b``: ``a = b + g``).
    Every occurrence of ``a`` in the step is replaced by that, with ``g`` a fresh non-negative
    symbol; if the resulting claim holds for *all* ``g >= 0`` (decided exactly: sign from the
    assumptions, no numerics), it holds at the premise's own slack, so the step holds.  If not,
    the step is REFUTED only with a re-checked counterexample to itself, else UNDECIDED.
    """
    def run(step: Step, timeout: float | None, done: dict[Step, Verdict]) -> Verdict:
        if step.relation not in ("<=", ">="):
            raise ValueError("by_slack proves inequalities")
        rewrite, parts = {}, []
        for k, p in enumerate(premise_steps):
            if p not in done:
                raise ValueError(f"premise '{p.claim()}' is cited before it is checked")
            if p.relation not in ("<=", ">="):
                raise ValueError(f"premise '{p.claim()}' is not an inequality")
            g = sp.Dummy(f"g{k}", nonnegative=True)
            rewrite[as_expr(p.lhs)] = as_expr(p.rhs) - g if p.relation == "<=" else as_expr(p.rhs) + g
            parts.append(Verdict(done[p].status, f"premise: {p.claim()}", done[p].summary()))
        lhs, rhs = as_expr(step.lhs).xreplace(rewrite), as_expr(step.rhs).xreplace(rewrite)
        exact = check.le if step.relation == "<=" else check.ge
        v = exact(lhs, rhs, timeout=timeout, numeric=False)
        parts.insert(0, Verdict(v.status, "with every premise's slack g >= 0", v.summary()))
        return _conclude(step, parts, "inequality premises through their slack",
                         "; ".join(f"{_short(k)} -> {_short(v)}" for k, v in rewrite.items()),
                         timeout)
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
    return [check.equal(sp.Product(f[j], (j, 1, n)) ** 2, sp.Product(f[j] ** 2, (j, 1, n)),
                        numeric=False)
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


def _log_le_linear_instances() -> list[Verdict]:
    # exact numbers: the sign of x - 1 - log x is decided by sympy's rigorous evaluation
    return [check.le(sp.log(x), x - 1, numeric=False)
            for x in (sp.Rational(1, 100), sp.Rational(1, 3), sp.Rational(1, 2), sp.Integer(1),
                      sp.Rational(3, 2), sp.Integer(2), sp.Integer(10), sp.Integer(1000))]


LOG_LE_LINEAR = Lemma(
    "log_le_linear", "log x <= x - 1 for x > 0, with equality only at x = 1",
    "concavity of log: the tangent at x = 1 lies above it",
    instance=lambda x: (sp.log(x), "<=", x - 1),
    hypotheses=lambda x: [(x, ">", 0)],
    self_check=_log_le_linear_instances, checked_on="x = 1/100, 1/3, 1/2, 1, 3/2, 2, 10, 1000")


# ---------------------------------------------------------------------------------------------
# integrals over R^n and matrix square roots (Gaussian article)
# ---------------------------------------------------------------------------------------------

def whole_space(variables: Sequence[sp.Symbol]) -> tuple[tuple[Any, Any, Any], ...]:
    """Integration limits over all of R^n for ``variables``."""
    return tuple((v, -sp.oo, sp.oo) for v in variables)


def _substituted(integrand: Any, old: Sequence[sp.Symbol], new: Sequence[sp.Symbol],
                 shift: sp.Matrix, L: sp.Matrix) -> sp.Integral:
    """|det L| * integral of ``integrand`` at x = shift + L z, over R^n in ``new``."""
    image = shift + L * sp.Matrix(new)
    moved = as_expr(integrand).xreplace(dict(zip(old, image)))
    return sp.Integral(sp.Abs(L.det()) * moved, *whole_space(new))


def _invertible(G: sp.Matrix) -> tuple[Any, str, Any]:
    """The claim 'G is invertible' as an exact identity: det(G) det(G^-1) = 1 (G^-1 exists as
    a rational function of the entries only where det(G) is not identically 0)."""
    return (sp.cancel(G.det() * G.inv().det()), "=", 1)


def spd_witness(M: sp.Matrix, G: sp.Matrix) -> list[tuple[Any, str, Any]]:
    """Hypotheses that make M symmetric positive definite: M = G^T G with the top square block
    of G invertible (then x^T M x = |G x|^2 > 0 for x != 0)."""
    n = M.shape[0]
    return [(M, "=", G.T * G), _invertible(G[:n, :])]


def _change_of_variables_instances() -> list[Verdict]:
    x, z = sp.Symbol("x", real=True), sp.Symbol("z", real=True)
    m, s = sp.Symbol("m", real=True), sp.Symbol("s", positive=True)
    f = (x**2 + x) * sp.exp(-x**2)
    # both sides are integrals: the checker evaluates them with certificates
    out = [check.equal(sp.Integral(f, (x, -sp.oo, sp.oo)),
                       _substituted(f, [x], [z], sp.Matrix([m]), sp.Matrix([[s]])),
                       numeric=False)]
    xs, zs = sp.symbols("x_1 x_2", real=True), sp.symbols("z_1 z_2", real=True)
    g = (1 + xs[0] * xs[1]) * sp.exp(-xs[0] ** 2 - 2 * xs[1] ** 2)
    L = sp.Matrix([[2, 0], [1, 3]])
    out.append(check.equal(sp.Integral(g, *whole_space(xs)),
                           _substituted(g, xs, zs, sp.Matrix([1, -1]), L), numeric=False))
    return out


CHANGE_OF_VARIABLES = Lemma(
    "change_of_variables",
    "int_{R^n} f(x) dx = |det L| int_{R^n} f(c + L z) dz for invertible L",
    "linear change of variables (Jacobian det L)",
    instance=lambda integrand, old, new, shift, L: (
        sp.Integral(integrand, *whole_space(old)), "=", _substituted(integrand, old, new, shift, L)),
    hypotheses=lambda integrand, old, new, shift, L: [_invertible(L)],
    self_check=_change_of_variables_instances,
    checked_on="n = 1 symbolic (shift m, scale s > 0); n = 2 a fixed shear, both sides by sympy")


def gaussian_kernel(M: sp.Matrix, omega: sp.Matrix, variables: Sequence[sp.Symbol]) -> sp.Expr:
    """exp(-x^T M x / 2 + omega^T x), the integrand of the Gaussian integral (g-int)."""
    X = sp.Matrix(variables)
    return sp.exp(sp.expand(-(X.T * M * X)[0] / 2 + (omega.T * X)[0]))


def gaussian_integral_value(M: sp.Matrix, omega: sp.Matrix) -> sp.Expr:
    """(2 pi)^{n/2} det(M)^{-1/2} exp(omega^T M^{-1} omega / 2), the value of (g-int)."""
    n = M.shape[0]
    # det M stays an unevaluated Determinant: a derivation can rewrite it as one unit (e.g. by
    # a form that is positive by the assumptions) before sympy splits the square root
    return (2 * sp.pi) ** sp.Rational(n, 2) / sp.sqrt(sp.Determinant(sp.ImmutableMatrix(M))) \
        * sp.exp(sp.cancel((omega.T * M.inv() * omega)[0]) / 2)


def _gaussian_integral_instances() -> list[Verdict]:
    x = sp.Symbol("x", real=True)
    m, w = sp.Symbol("m", positive=True), sp.Symbol("omega", real=True)
    M1, w1 = sp.Matrix([[m]]), sp.Matrix([w])
    out = [check.equal(sp.Integral(gaussian_kernel(M1, w1, [x]), (x, -sp.oo, sp.oo)),
                       gaussian_integral_value(M1, w1), numeric=False)]
    # n = 2, a coupled M = [[1, 1], [1, 3]] and omega = (1, 0); the exponent is written as
    # -(x1 + x2)^2 / 2 - x2^2 + x1 (the same polynomial), a form sympy integrates quickly
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    M2, w2 = sp.Matrix([[1, 1], [1, 3]]), sp.Matrix([1, 0])
    exponent = -(x1 + x2) ** 2 / 2 - x2**2 + x1
    out.append(check.equal(sp.expand(exponent), sp.log(gaussian_kernel(M2, w2, [x1, x2])),
                           numeric=False))
    out.append(check.equal(sp.Integral(sp.exp(exponent), *whole_space([x1, x2])),
                           gaussian_integral_value(M2, w2), numeric=False))
    return out


GAUSSIAN_INTEGRAL = Lemma(
    "gaussian_integral",
    "int_{R^n} exp(-x^T M x / 2 + w^T x) dx = (2 pi)^{n/2} det(M)^{-1/2} exp(w^T M^{-1} w / 2) "
    "for symmetric positive-definite M",
    "(g-int), kexue.fm/archives/8512; completing the square",
    instance=lambda M, omega, variables, G: (
        sp.Integral(gaussian_kernel(M, omega, variables), *whole_space(variables)), "=",
        gaussian_integral_value(M, omega)),
    hypotheses=lambda M, omega, variables, G: spd_witness(M, G),
    self_check=_gaussian_integral_instances,
    checked_on="n = 1 symbolic (m > 0, omega); n = 2 a fixed coupled M, by sympy")


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
    "trace_sqrt_2x2", "tr M^{1/2} = sqrt(tr M + 2 sqrt(det M)) for 2 x 2 symmetric positive-"
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
    "trace_sqrt_similar", "tr (P N P^-1)^{1/2} = tr N^{1/2} for N with positive eigenvalues",
    "the principal root of P N P^-1 is P N^{1/2} P^-1 (same eigenvectors, positive roots), and "
    "the trace is invariant under similarity",
    instance=lambda M, P, N: (TraceSqrt(sp.ImmutableMatrix(M)), "=", TraceSqrt(sp.ImmutableMatrix(N))),
    hypotheses=lambda M, P, N: [(M, "=", P * N * P.inv()), _invertible(P)],
    self_check=_trace_sqrt_similar_instances,
    checked_on="fixed integer N, P with n = 2, 3 (sympy's exact Jordan-form root)")


def under_integral() -> Checker:
    """Checker: both sides hold one integral over the same domain whose integrands agree up to a
    constant factor c (free of the integration variables), and the sides agree with the left
    integral replaced by ``c J`` and the right by ``J`` (J > 0 when the right integrand is
    positive by the assumptions).  Linearity of the integral and congruence."""
    def run(step: Step, timeout: float | None, done: dict[Step, Verdict]) -> Verdict:
        lhs, rhs = as_expr(step.lhs), as_expr(step.rhs)
        left, right = list(lhs.atoms(sp.Integral)), list(rhs.atoms(sp.Integral))
        if len(left) != 1 or len(right) != 1 or left[0].limits != right[0].limits:
            return Verdict(Status.UNDECIDED, "under the integral",
                           "each side must hold exactly one integral, over the same domain")
        (I1,), (I2,) = left, right
        f, g = I1.function, I2.function
        variables = {lim[0] for lim in I1.limits}
        try:  # simplify can run for minutes on a wrong step: bound it like every checker
            ratio = call_with_timeout(lambda: sp.simplify(sp.powsimp(f / g)), seconds=timeout)
        except CheckTimeout:
            return Verdict(Status.UNDECIDED, "under the integral",
                           f"simplifying the integrands' ratio ran past {timeout} s")
        if ratio.free_symbols & variables:
            return Verdict(Status.UNDECIDED, "under the integral",
                           f"the integrands' ratio depends on the integration variables: {ratio}")
        J = sp.Symbol("J", positive=True) if g.is_positive else sp.Symbol("J", real=True)
        parts = [check.equal(f, ratio * g, timeout=timeout),
                 check.equal(lhs.xreplace({I1: ratio * J}), rhs.xreplace({I2: J}), timeout=timeout)]
        return conjunction(parts, "linearity of the integral (integrands equal up to the constant "
                           f"{ratio})", f"J = the right integral{', positive' if J.is_positive else ''}")
    return run


def by_linearity() -> Checker:
    """Checker: ``int f = sum_k c_k int f_k`` over the same domain, with every c_k free of the
    integration variables and ``f = sum_k c_k f_k`` exactly (linearity of the integral; the
    caller's integrands must be absolutely integrable, e.g. polynomials times a Gaussian)."""
    def run(step: Step, timeout: float | None, done: dict[Step, Verdict]) -> Verdict:
        lhs, rhs = as_expr(step.lhs), as_expr(step.rhs)
        if not isinstance(lhs, sp.Integral) or step.relation != "=":
            return Verdict(Status.UNDECIDED, "linearity", "the left side must be one integral")
        variables = {lim[0] for lim in lhs.limits}
        total = sp.Integer(0)
        for term in sp.Add.make_args(rhs):
            integrals = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Integral)]
            if len(integrals) != 1 or integrals[0].limits != lhs.limits:
                return Verdict(Status.UNDECIDED, "linearity",
                               f"term {term} is not a constant times one integral over the domain")
            coeff = term / integrals[0]
            if coeff.free_symbols & variables:
                return Verdict(Status.UNDECIDED, "linearity", f"coefficient {coeff} is not constant")
            total += coeff * integrals[0].function
        v = check.equal(lhs.function, total, timeout=timeout)
        return Verdict(v.status, f"linearity of the integral ({v.checker})",
                       "the integrand is the same combination of the terms' integrands; " + v.detail,
                       points=v.points, digits=v.digits, witness=v.witness,
                       witness_value=v.witness_value)
    return run


def standard_normal_density(variables: Sequence[sp.Symbol]) -> sp.Expr:
    """phi(z) = exp(-|z|^2 / 2) / (2 pi)^{n/2}, the standard normal density on R^n."""
    Z = sp.Matrix(variables)
    return sp.exp(-(Z.T * Z)[0] / 2) / (2 * sp.pi) ** sp.Rational(len(variables), 2)


def _moment_value(powers: Sequence[int]) -> sp.Integer:
    """E z_1^k_1 ... z_n^k_n for a standard normal: prod of (k - 1)!! (0 when any k is odd)."""
    return sp.Mul(*[0 if k % 2 else sp.factorial2(k - 1) for k in powers])


def _moment_integral(powers: Sequence[int], variables: Sequence[sp.Symbol]) -> sp.Integral:
    monomial = sp.Mul(*[v**k for v, k in zip(variables, powers)])
    return sp.Integral(standard_normal_density(variables) * monomial, *whole_space(variables))


def _standard_normal_moment_instances() -> list[Verdict]:
    out = []
    for n in (1, 2):
        zs = sp.symbols(" ".join(f"z_{i + 1}" for i in range(n)), real=True, seq=True)
        for total in range(5):
            for powers in _compositions(total, n):
                out.append(check.equal(_moment_integral(powers, zs), _moment_value(powers),
                                       numeric=False))
    return out


def _compositions(total: int, parts: int) -> list[tuple[int, ...]]:
    if parts == 1:
        return [(total,)]
    return [(k, *rest) for k in range(total + 1) for rest in _compositions(total - k, parts - 1)]


STANDARD_NORMAL_MOMENT = Lemma(
    "standard_normal_moment", "int z^k phi(z) dz = prod_i (k_i - 1)!! (0 if any k_i is odd)",
    "moments of N(0, I): independent coordinates, E z^k = (k - 1)!! for even k",
    instance=lambda powers, variables: (_moment_integral(powers, variables), "=",
                                        _moment_value(powers)),
    self_check=_standard_normal_moment_instances,
    checked_on="every monomial of degree <= 4 in n = 1, 2, integrated by sympy")
