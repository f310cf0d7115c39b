"""Every registered derivation reaches its verdicts; mutated steps are never PROVED."""
import dataclasses
import random

import numpy as np
import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

import kexue_sym
from kexue_sym import registry
from kexue_sym.verdict import Status

NAMES = registry.names()


@pytest.fixture(scope="module")
def hadamard_report():
    return kexue_sym.verify("hadamard")


@pytest.mark.parametrize("name", NAMES)
def test_every_step_proved_or_checked(name):
    report = kexue_sym.verify(name)
    bad = [(r.index, r.step.claim(), str(r.verdict)) for r in report.failures()]
    assert not bad, bad
    assert report.ok()


def test_hadamard_is_proved_throughout(hadamard_report):
    counts = hadamard_report.counts()
    assert counts["PROVED"] == len(hadamard_report.results) >= 25


def test_hadamard_general_n_evidence_is_named(hadamard_report):
    general = [r for r in hadamard_report.results if r.step.section.startswith("general n")]
    assert len(general) >= 10
    for r in general:
        text = r.verdict.summary()
        assert "lemma" in text or "substitution" in text, text
    lemma_steps = [r for r in general if "lemma" in r.verdict.checker]
    for r in lemma_steps:  # the trust placed in each lemma is spelled out
        assert "trusted" in r.verdict.checker and "self-checked on" in r.verdict.detail


def test_instances_state_their_scope(hadamard_report):
    scoped = [r for r in hadamard_report.results if r.step.scope]
    assert any("exact instances" in r.step.scope for r in scoped)
    assert all(r.step.scope in r.step.claim() for r in scoped)


# --- mutation testing -------------------------------------------------------------------------

def _mutants(expr):
    """(kind, mutated) pairs: a coefficient, a sign, an exponent, an index."""
    if isinstance(expr, sp.MatrixBase):
        m = expr.copy()
        m[0] = m[0] * 2 + 1
        yield "matrix entry", m
        return
    yield "coefficient", 2 * expr + 1 if expr == 0 else 2 * expr
    yield "sign", expr - 1 if expr == 0 else -expr
    pows = [p for p in sp.preorder_traversal(expr) if isinstance(p, sp.Pow) and p.exp.is_Integer]
    if pows:
        p = pows[0]
        yield "exponent", expr.xreplace({p: sp.Pow(p.base, p.exp + 1, evaluate=False)})
    idx = [t for t in sp.preorder_traversal(expr) if isinstance(t, sp.Indexed) and len(t.indices) == 2]
    syms = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol)), key=str)
    if idx:
        t = idx[0]
        yield "index", expr.xreplace({t: t.base[t.indices[1], t.indices[0]]})
    elif len(syms) >= 2:
        yield "index", expr.xreplace({syms[0]: syms[1], syms[1]: syms[0]})


def _false_numerically(step, rhs, trials=200):
    """Independent of the checker: numpy at random real points finds the claim violated."""
    lhs = step.lhs
    if isinstance(lhs, sp.MatrixBase):
        return any(sp.simplify(a - b) != 0 for a, b in zip(lhs, rhs))
    diff = sp.sympify(lhs - rhs)
    syms = sorted(sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols, key=str)
    if (any(not isinstance(s, sp.Symbol) for s in syms) or diff.atoms(AppliedUndef)
            or diff.has(sp.Integral)):
        return None  # indexed / general-n objects: not evaluable here
    f = sp.lambdify(syms, [lhs, rhs], "numpy")
    rng = np.random.default_rng(0)
    for _ in range(trials):
        vals = rng.uniform(0.1, 3.0, len(syms)) * rng.choice([-1, 1], len(syms))
        vals = [abs(v) if s.is_positive else v for s, v in zip(syms, vals)]
        a, b = (complex(v) for v in f(*vals))
        scale = max(abs(a), abs(b), 1e-300)
        if step.relation == "=" and abs(a - b) > 1e-6 * scale:
            return True
        if step.relation == "<=" and a.real - b.real > 1e-6 * scale:
            return True
        if step.relation == ">=" and b.real - a.real > 1e-6 * scale:
            return True
    return False


def _mutated_steps(name):
    """Mutants of every step, with the verdicts of the unmutated run (premises stay valid)."""
    report = registry.get(name).build().run()
    done = {r.step: r.verdict for r in report.results}
    for step in done:
        for kind, rhs in _mutants(step.rhs):
            if rhs == step.rhs:
                continue
            yield step, kind, dataclasses.replace(step, rhs=rhs, display=None), done


@pytest.mark.parametrize("name", NAMES)
def test_mutations_are_never_proved(name):
    """A perturbed step is never PROVED or CHECKED when it is false; explicit ones are REFUTED."""
    random.seed(0)
    seen = refuted = 0
    for original, kind, mutant, done in _mutated_steps(name):
        false = _false_numerically(original, mutant.rhs)
        if false is False:
            continue  # the mutation happens to be true (e.g. a weaker inequality)
        verdict = mutant.checker(mutant, 10.0, done)
        if false is None:  # general-n step: only coefficient/sign changes are surely false
            if kind in ("coefficient", "sign"):
                assert verdict.status is not Status.PROVED, (original.claim(), kind, str(verdict))
            continue
        seen += 1
        assert verdict.status not in (Status.PROVED, Status.CHECKED), (original.claim(), kind, str(verdict))
        refuted += verdict.status is Status.REFUTED
    assert seen >= 10
    assert refuted == seen, f"{seen - refuted} false explicit mutants were not REFUTED"
