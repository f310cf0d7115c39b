"""The authoring API a new derivation is written in (README "Your own derivations",
CONTRIBUTING.md): metadata stated once, justifications whose text comes from what they check,
premises that must be earlier steps, and the errors a newcomer's slip gets."""
import sys
import types

import pytest
import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.justify import ByChain, ByLemmas, ByPremise, ByRenaming, Direct
from kexue_sym.lemmas import DET_MUL, DET_TRANSPOSE
from kexue_sym.registry import Entry, derivation
from kexue_sym.verdict import Status

a, b = sp.symbols("a b", real=True)


def _entry(build, **meta) -> Entry:
    meta = {"title": "T", "source": "https://example.org/1"} | meta
    return Entry("demo", meta["title"], meta["source"], __name__, build)


def test_metadata_is_stated_once_and_reaches_the_derivation():
    def build(d):
        d.step(a + b, "=", b + a, by="commutativity")
    d = _entry(build).build()
    assert (d.name, d.title, d.source) == ("demo", "T", "https://example.org/1")
    assert [s.number for s in d.steps] == [1]


def test_the_first_api_still_loads_but_drift_is_an_error():
    def same():
        return Derivation("demo", title="T", source="https://example.org/1")

    def drifted():
        return Derivation("demo", title="Another title", source="https://example.org/1")
    assert _entry(same).build().title == "T"
    with pytest.raises(ValueError, match="disagree.*title 'Another title' vs 'T'"):
        _entry(drifted).build()


def test_build_d_must_fill_d_not_return_another():
    with pytest.raises(TypeError, match="fills d"):
        _entry(lambda d: Derivation("demo", title="T", source="x")).build()


def test_by_lemmas_text_names_the_lemmas_and_premises():
    X, Y = sp.MatrixSymbol("X", 2, 2), sp.MatrixSymbol("Y", 2, 2)
    d = Derivation("demo", title="T", source="x")
    first = d.step(a, "=", a, by="reflexivity", name="trivial")
    why = ByLemmas((DET_MUL, dict(X=X, Y=Y)), (DET_TRANSPOSE, dict(X=X)), premises=[first])
    text = why.text()
    assert "[lemma det_mul, det_transpose]" in text and "[from trivial]" in text
    assert why.lemmas() == [DET_MUL, DET_TRANSPOSE]


def test_a_justification_goes_in_by_not_using():
    d = Derivation("demo", title="T", source="x")
    with pytest.raises(TypeError, match="pass a justification as by="):
        d.step(a, "=", a, by="x", using=Direct("x"))
    with pytest.raises(TypeError, match="no using= or checker options"):
        d.step(a, "=", a, by=Direct("x"), certificate=[a])


def test_premises_must_be_earlier_steps_of_the_same_derivation():
    other = Derivation("other", title="T", source="x")
    foreign = other.step(a, "=", a, by="reflexivity")
    d = Derivation("demo", title="T", source="x")
    with pytest.raises(ValueError, match="not an earlier step of 'demo'"):
        d.step(a, "=", a, by=ByPremise(foreign, rewrite={}))


def test_step_names_are_unique_and_expectations_are_named():
    d = Derivation("demo", title="T", source="x")
    d.step(a, "=", a, by="reflexivity", name="r")
    with pytest.raises(ValueError, match="two steps are named 'r'"):
        d.step(b, "=", b, by="reflexivity", name="r")
    with pytest.raises(ValueError, match="expect='WRONG'"):
        d.step(b, "=", b, by="reflexivity", expect="WRONG")
    assert d.step(b, "=", b + 1, by="false", expect="REFUTED").expect is Status.REFUTED


def test_json_carries_step_names_and_premises():
    d = Derivation("demo", title="T", source="x")
    first = d.step((a + b) ** 2, "=", a**2 + 2 * a * b + b**2, by="expand", name="square")
    d.step((a + b) ** 2 - 2 * a * b, "=", a**2 + b**2,
           by=ByPremise(first, rewrite={(a + b) ** 2: a**2 + 2 * a * b + b**2}))
    steps = d.run().to_json()["steps"]
    assert steps[0]["name"] == "square" and steps[1]["premises"] == [1]
    assert [s["verdict"] for s in steps] == ["PROVED", "PROVED"]


def test_a_crosscheck_string_is_imported_only_when_used(monkeypatch):
    module = types.ModuleType("kexue_demo_crosscheck")
    module.run = lambda **_: [{"case": "c", "reference": "r", "ok": True}]
    entry = Entry("demo", "T", "x", __name__, lambda d: None,
                  crosscheck_ref="kexue_demo_crosscheck:run")
    assert "kexue_demo_crosscheck" not in sys.modules  # registering imported nothing
    monkeypatch.setitem(sys.modules, "kexue_demo_crosscheck", module)
    assert entry.crosscheck is module.run


@pytest.mark.parametrize("meta, message", [
    (dict(title=""), "title= must be non-empty"),
    (dict(crosscheck="no_colon"), "is not 'module:function'"),
])
def test_decorator_rejects_bad_metadata(meta, message):
    kwargs = {"title": "T", "source": "https://example.org/1"} | meta
    with pytest.raises(ValueError, match=message):
        derivation("demo-bad", **kwargs)


def test_by_chain_composes_the_links_and_nothing_else():
    """A chain's conclusion by transitivity: the weakest relation of the links, the chain's
    ends; a conclusion that claims more (strict, or another end) is not PROVED by it."""
    x = sp.Symbol("x", positive=True)
    d = Derivation("demo", title="T", source="x")
    chain = (d.calc(x ** 2 + 2 * x + 1).eq((x + 1) ** 2, by="factor")
              .le((x + 1) ** 2 + x, by="x > 0", certificate=[x]))
    ok = d.step(x ** 2 + 2 * x + 1, "<=", (x + 1) ** 2 + x, by=ByChain(chain.links))
    strict = d.step(x ** 2 + 2 * x + 1, "<", (x + 1) ** 2 + x, by=ByChain(chain.links))
    other_end = d.step(x ** 2 + 2 * x + 1, "<=", (x + 1) ** 2 + 2 * x, by=ByChain(chain.links))
    verdicts = {r.step: r.verdict.status for r in d.run().results}
    assert verdicts[ok] is Status.PROVED
    assert verdicts[strict] is not Status.PROVED
    assert verdicts[other_end] is not Status.PROVED


def test_by_renaming_substitutes_names_exactly():
    u, v = sp.symbols("u v", real=True)
    a, b = sp.symbols("a b", positive=True)
    d = Derivation("demo", title="T", source="x")
    first = d.step(u ** 2 * v ** 2, ">=", 0, by="squares")
    good = d.step(a ** 2 * b ** 2, ">=", 0, by=ByRenaming(first, {u: a, v: b}))
    bad = d.step(a ** 2 * b, ">=", 0, by=ByRenaming(first, {u: a, v: b}))
    verdicts = {r.step: r.verdict.status for r in d.run().results}
    assert verdicts[good] is Status.PROVED
    # a true claim, but not the premise renamed: the justification fails, so UNDECIDED
    assert verdicts[bad] is Status.UNDECIDED
