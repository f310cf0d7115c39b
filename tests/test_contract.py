"""The contract every registered derivation meets, driven by the registry: a new derivation in
``derivations/`` is covered by these tests without a line of wiring.

Per derivation: its metadata and module docstring (the layout of DESIGN.md), its declared
verdicts reached, mutants of its steps never accepted (under a time budget), its LaTeX compiling
within the margins, display symbols that are identifiers, and its cross-check in quick mode.
Per lemma of :mod:`kexue_sym.lemmas`: its own instances machine-checked.
"""
from __future__ import annotations

import dataclasses
import importlib
import random
import re
import subprocess
import time

import numpy as np
import pytest
import sympy as sp
from sympy.core.function import AppliedUndef

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
    """Independent of the checker: numpy at random real points finds the claim violated
    (True), never does (False), or cannot evaluate it (None: indexed / general-n objects)."""
    lhs = step.lhs
    if isinstance(lhs, sp.MatrixBase):
        return any(sp.simplify(a - b) != 0 for a, b in zip(lhs, rhs))
    diff = sp.sympify(lhs - rhs)
    syms = sorted(sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols, key=str)
    if (any(not isinstance(s, sp.Symbol) for s in syms) or diff.atoms(AppliedUndef)
            or diff.has(sp.Integral)):
        return None
    try:
        f = sp.lambdify(syms, [lhs, rhs], "numpy")
    except sp.printing.codeprinter.PrintMethodNotImplementedError:
        return None  # e.g. an unevaluated Determinant
    rng = np.random.default_rng(0)
    for _ in range(trials):
        vals = rng.uniform(0.1, 3.0, len(syms)) * rng.choice([-1, 1], len(syms))
        vals = [abs(v) if s.is_positive else v for s, v in zip(syms, vals)]
        with np.errstate(all="ignore"):  # e.g. sqrt of a negative outside the domain
            try:
                a, b = (complex(v) for v in f(*vals))
            except NameError:  # a function numpy does not know (TraceSqrt)
                return None
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        scale = max(abs(a), abs(b), 1e-300)
        if step.relation == "=" and abs(a - b) > 1e-6 * scale:
            return True
        if step.relation in ("<=", "<") and a.real - b.real > 1e-6 * scale:
            return True
        if step.relation in (">=", ">") and b.real - a.real > 1e-6 * scale:
            return True
    return False


def _candidates(report, seed=0):
    """Every (step, kind, mutant) of the report, in a seeded random order (so a budget that
    covers only some of them samples all sections, not the first ones)."""
    out = []
    for r in report.results:
        if r.step.expect is not None:
            continue  # a declared-false claim: its mutants may well be true
        for kind, rhs in _mutants(r.step.rhs):
            if rhs != r.step.rhs:
                out.append((r.step, kind, dataclasses.replace(r.step, rhs=rhs, display=None)))
    random.Random(seed).shuffle(out)
    return out


#: seconds of mutant checking per derivation: the quick suite samples, CI's slow run goes far
#: wider (gaussian's integral steps take ~6 s a mutant; hadamard's and riemann's well under 1 s)
MUTANT_BUDGET = {"quick": 12.0, "slow": 150.0}


def _check_mutants(report, budget):
    """Check mutants until ``budget`` seconds are spent (the first is always checked).

    A mutant numpy finds false must be neither PROVED nor CHECKED: REFUTED, or UNDECIDED where
    the checker says why it cannot sample safely (a claim through a branch point of log); a
    general-n one (not evaluable) whose coefficient or sign changed is surely false (for an
    inequality only its sign: twice a bound is a weaker bound) and must not be PROVED; a mutant
    numpy finds true (a weaker inequality) is skipped.  Returns (checked,
    refuted) counts.
    """
    done = {r.step: r.verdict for r in report.results}
    start, checked, refuted = time.perf_counter(), 0, 0
    for original, kind, mutant in _candidates(report):
        if checked and time.perf_counter() - start > budget:
            break
        false = _false_numerically(original, mutant.rhs)
        # not evaluable: a changed coefficient or sign is surely false for an equation; for an
        # inequality 2 * rhs is only a weaker bound (true when rhs >= 0), so only the sign counts
        surely_false = ("coefficient", "sign") if original.relation == "=" else ("sign",)
        if false is False or (false is None and kind not in surely_false):
            continue
        verdict = mutant.checker(mutant, 10.0, done)
        checked += 1
        where = (original.claim(), kind, str(verdict))
        assert verdict.status is not Status.PROVED, where
        if false is True:
            assert verdict.status in (Status.REFUTED, Status.UNDECIDED), where
            refuted += verdict.status is Status.REFUTED
    return checked, refuted


def test_mutants_are_never_accepted(entry, verified):
    checked, _ = _check_mutants(verified(entry.name), MUTANT_BUDGET["quick"])
    assert checked >= 1


@pytest.mark.slow
def test_mutants_are_never_accepted_wide(entry, verified):
    checked, refuted = _check_mutants(verified(entry.name), MUTANT_BUDGET["slow"])
    assert checked >= 10 and refuted >= 1


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
