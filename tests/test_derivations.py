"""Derivation-specific checks of the built-in derivations (the contract every derivation
meets, verdicts, mutants, LaTeX, cross-checks, is tests/test_contract.py)."""

import pytest




@pytest.fixture(scope="module")
def hadamard_report(verified):
    return verified("hadamard")


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
