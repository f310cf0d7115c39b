"""The contract every registered derivation meets, driven by the registry: a new derivation in
``derivations/`` is covered by these tests without a line of wiring.

Per derivation: its metadata and module docstring (the layout of DESIGN.md), its declared
verdicts reached, mutants of its steps never accepted (under a time budget), its LaTeX compiling
within the margins, display symbols that are identifiers, and its cross-check in quick mode.
Per lemma of :mod:`kexue_sym.lemmas`: its own instances machine-checked.
"""
from __future__ import annotations

import importlib
import re
import subprocess

import pytest
import sympy as sp

from kexue_sym import lemmas, registry
from kexue_sym.latex import render
from kexue_sym.verdict import Status

ENTRIES = registry.entries()
SECTIONS = ("Title", "Main results", "Assumptions", "Not machine-checked", "References")


@pytest.fixture(params=ENTRIES, ids=[e.name for e in ENTRIES])
def entry(request):
    return request.param


# --- metadata -----------------------------------------------------------------------------------

def test_metadata_and_module_docstring(entry):
    """Title, an article URL, and the module docstring's sections in DESIGN.md's order."""
    assert entry.title.strip() and entry.name == entry.name.strip()
    assert re.match(r"https?://\S+", entry.source), entry.source
    doc = importlib.import_module(entry.module).__doc__ or ""
    at = [doc.find(f"\n{section}\n") for section in SECTIONS]
    assert all(i >= 0 for i in at), [s for s, i in zip(SECTIONS, at) if i < 0]
    assert at == sorted(at), "docstring sections out of order"
    references = doc[at[-1]:]
    assert "kexue.fm" in references or entry.source in references


# --- declared verdicts ---------------------------------------------------------------------------

def test_declared_verdicts_are_reached(entry, verified):
    """Every step PROVED or CHECKED, or exactly the verdict it declares (expect=); each names
    its justification, and premises are earlier steps of the same derivation."""
    report = verified(entry.name)
    bad = [(r.index, r.step.claim(), str(r.verdict)) for r in report.failures()]
    assert not bad, bad
    assert report.ok()
    seen = set()
    for r in report.results:
        step = r.step
        assert step.by.strip(), (r.index, step.claim())
        assert all(p in seen for p in step.premises), (r.index, "premise is not an earlier step")
        if step.expect is not None:
            assert r.verdict.status is step.expect, (r.index, step.expect, str(r.verdict))
        seen.add(step)
    assert [r.index for r in report.results] == list(range(1, len(report.results) + 1))


# --- mutants ------------------------------------------------------------------------------------

#: seconds of mutant checking per derivation: the quick suite samples (a seeded random order
#: covers every section), CI's slow run 150 s of them (kexue-sym mutate --all checks all)
MUTANT_BUDGET = {"quick": 12.0, "slow": 150.0}


def _check_mutants(entry, verified, budget):
    """kexue_sym.mutate on the derivation: no mutant accepted unless shown equivalent, and,
    independently of that module's own bookkeeping, no accepted mutant numpy finds false."""
    from kexue_sym.mutate import mutate

    report = verified(entry.name)
    result = mutate(report.derivation, report, timeout=10.0, budget=budget)
    for m in result.mutants:
        where = (m.original.claim(), m.kind, str(m.verdict))
        if m.fate == "accepted":
            assert m.equivalent or m.kind == "assumption removed", where
            assert m.false is not True, where
    assert not result.bugs
    return result


def test_mutants_are_never_accepted(entry, verified):
    result = _check_mutants(entry, verified, MUTANT_BUDGET["quick"])
    assert result.mutants


@pytest.mark.slow
def test_mutants_are_never_accepted_wide(entry, verified):
    result = _check_mutants(entry, verified, MUTANT_BUDGET["slow"])
    assert len(result.mutants) >= 10 and result.count("refuted") >= 1


# --- LaTeX --------------------------------------------------------------------------------------

def compile_latex(tmp_path, tex, pdflatex):
    """(pdflatex's process, its log, widths of the overfull boxes in pt)."""
    (tmp_path / "doc.tex").write_text(tex)
    proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    overfull = [float(w) for w in re.findall(r"Overfull \\[hv]box \(([0-9.]+)pt too", log)]
    return proc, log, overfull


def test_latex_compiles_within_the_margins(tmp_path, pdflatex, verified, entry):
    """pdflatex -halt-on-error succeeds and no box is overfull by more than 10 pt."""
    proc, _, overfull = compile_latex(tmp_path, render(verified(entry.name), standalone=True),
                                      pdflatex)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert not overfull or max(overfull) <= 10, f"overfull boxes: {sorted(overfull)[-5:]} pt"
    assert (tmp_path / "doc.pdf").stat().st_size > 10_000


def test_display_symbols_are_identifiers(entry):
    """Display forms are sympy objects (kexue_sym.notation), never Symbol("formula text")."""
    for step in entry.build().steps:
        for side in step.shown():
            atoms = side.atoms(sp.Symbol, sp.MatrixSymbol) if hasattr(side, "atoms") else ()
            for s in atoms:
                assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(s.name)), (entry.name, s.name)


# --- cross-check --------------------------------------------------------------------------------

def test_crosscheck_runs_in_quick_mode(entry, crosscheck_rows):
    """Each row compares against a named independent reference and is within tolerance."""
    if entry.crosscheck_ref is None:
        pytest.skip(f"{entry.name} has no numeric cross-check")
    rows = crosscheck_rows(entry.name)
    assert rows
    for row in rows:
        assert {"case", "reference", "ok"} <= set(row), row
        assert row["reference"].strip() and row["ok"], row


# --- lemmas -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lemma", lemmas.ALL, ids=[lemma.name for lemma in lemmas.ALL])
def test_lemma_self_checks(lemma):
    """Each lemma's own small instances are PROVED (what citing it rests on) and it states
    its title, statement and source."""
    assert lemma.title.strip() and lemma.statement.strip() and lemma.source.strip()
    assert lemma.verified_instances().status is Status.PROVED, lemma.name
