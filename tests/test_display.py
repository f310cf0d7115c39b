"""How reports show themselves: one line in a REPL, the wrapped terminal report from str(),
HTML and LaTeX for Jupyter."""
import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.display import step_lines
from kexue_sym.riemann import Metric


def _report():
    a, b = sp.symbols("a b", real=True)
    d = Derivation("demo", title="A demo", source="https://example.org")
    d.step((a + b) ** 2, "=", a**2 + 2 * a * b + b**2, by="expand")
    d.step((a + b) ** 2, "=", a**2 + b**2, by="the freshman's dream (wrong)")
    long_sum = sp.Add(*[sp.Symbol(f"x_{k}", real=True) ** 2 for k in range(80)])
    d.step(long_sum, ">=", 0, by="a sum of squares")
    return d.run(timeout=20)


def test_repr_is_one_short_line():
    report = _report()
    for obj in (report, report.results[0], report.results[1].verdict):
        text = repr(obj)
        assert "\n" not in text and len(text) < 160, text
    assert repr(report).startswith("<Report demo: FAILED, 2 PROVED, 1 REFUTED")
    assert "REFUTED" in repr(report.results[1])


def test_str_is_the_terminal_report_and_wraps():
    report = _report()
    text = str(report)
    assert text.splitlines()[0] == "demo: A demo  <https://example.org>"
    assert "[3/3]" in text and text.splitlines()[-1].startswith("demo: FAILED")
    assert all(len(line) <= 100 for line in text.splitlines())
    long = report.results[2]
    lines = step_lines(3, 3, long.step, long.verdict, width=100)
    assert any("--full shows all" in line for line in lines)  # elided, and says so
    whole = step_lines(3, 3, long.step, long.verdict, width=100, full=True)
    assert "x_79**2" in " ".join(whole) and len(whole) > len(lines)


def test_a_failed_step_shows_its_whole_evidence():
    report = _report()
    bad = report.results[1]
    text = " ".join(step_lines(2, 3, bad.step, bad.verdict, width=60))
    assert bad.verdict.witness_value.replace(" ", "") in text.replace(" ", "")


def test_jupyter_representations():
    report = _report()
    assert report._repr_html_().count("<tr>") == 4  # header + 3 steps
    assert report._repr_latex_().startswith("$$\\begin{aligned}")
    assert "\\checkmark" in report.results[0]._repr_latex_()
    assert "REFUTED" in report.results[1].verdict._repr_html_()
    th, ph = sp.symbols("theta phi", real=True)
    m = Metric(sp.diag(1, sp.sin(th) ** 2), [th, ph])
    assert repr(m) == "Metric(diag(1, sin(theta)**2), [theta, phi])"
    assert "\\sin^{2}" in m._repr_latex_() and "<code>" in m._repr_html_()


def test_expected_refutation_passes_and_an_unmet_expectation_fails():
    import pytest
    a = sp.Symbol("a", real=True)
    d = Derivation("x", title="t", source="s")
    d.step((a + 1) ** 2, "=", a**2 + 1, by="wrong on purpose", expect="REFUTED")
    report = d.run(timeout=20)
    assert report.ok() and report.ok(strict=True) and report.expected() == 1
    assert "as declared" in str(report) and "as expected" in str(report)
    assert report.results[0].to_json()["as_expected"] is True
    d2 = Derivation("y", title="t", source="s")
    d2.step((a + 1) ** 2, "=", a**2 + 2 * a + 1, by="true, but declared false", expect="REFUTED")
    report2 = d2.run(timeout=20)
    assert not report2.ok() and [r.index for r in report2.failures()] == [1]
    assert "expected REFUTED, got PROVED" in str(report2)
    with pytest.raises(ValueError, match="expect="):
        d2.step(a, "=", a, by="x", expect="WRONG")


def test_run_says_which_step_starts_before_its_verdict():
    a = sp.Symbol("a", real=True)
    d = Derivation("z", title="t", source="s")
    d.step(a + a, "=", 2 * a, by="collect")
    d.step(a * a, "=", a**2, by="power")
    events = []
    d.run(timeout=20, starting=lambda i, s: events.append(("start", i)),
          progress=lambda i, s, v: events.append(("done", i)))
    assert events == [("start", 1), ("done", 1), ("start", 2), ("done", 2)]
