"""How reports, steps and verdicts show themselves: in a terminal (wrapped, never cut without
saying so), in a REPL (one line), and in Jupyter (HTML, LaTeX).

The command line prints exactly :func:`step_lines` and :func:`summary_line`; ``str(report)``
is the same report, so what a script prints and what ``kexue-sym verify`` prints agree.
"""
from __future__ import annotations

import html
import textwrap
from typing import TYPE_CHECKING

from .verdict import Status, Verdict

if TYPE_CHECKING:  # pragma: no cover
    from .derivation import Report, Step, StepResult

#: the verdict column of the terminal report
MARK = {Status.PROVED: "PROVED   ", Status.CHECKED: "CHECKED  ", Status.REFUTED: "REFUTED  ",
        Status.UNDECIDED: "UNDECIDED"}
#: verdict colours in HTML
_COLOUR = {Status.PROVED: "#1a7f37", Status.CHECKED: "#9a6700", Status.REFUTED: "#cf222e",
           Status.UNDECIDED: "#6e7781"}
#: lines of a claim or an evidence text shown before it is elided (``full`` shows all)
MAX_LINES = 3


def _wrap(text: str, width: int, first: str, rest: str, full: bool) -> list[str]:
    lines = textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
                          break_long_words=True, break_on_hyphens=False) or [first.rstrip()]
    if full or len(lines) <= MAX_LINES:
        return lines
    cut = lines[:MAX_LINES]
    cut[-1] = cut[-1][: max(len(rest) + 1, width - 40)].rstrip() + \
        f" ... ({len(text)} characters; --full shows all)"
    return cut


def step_lines(index: int, total: int, step: "Step", verdict: Verdict, width: int = 100,
               full: bool = False, timings: bool = True) -> list[str]:
    """The terminal lines of one checked step: number, verdict, seconds and claim; the
    justification; the evidence.  Long text wraps under its column; a failed step's evidence
    is always shown whole."""
    clock = f"{verdict.seconds:6.2f}s  " if timings else ""
    head = f"  [{index:>{len(str(total))}}/{total}] {MARK[verdict.status]} {clock}"
    pad = " " * (len(str(total)) * 2 + 7)
    out = _wrap(step.claim(), width, head, " " * len(head), full)
    expected = ""
    if step.expect is not None:
        expected = (f"  [expected {step.expect.name}: as expected]" if verdict.status is step.expect
                    else f"  [expected {step.expect.name}, got {verdict.status.name}]")
    out += _wrap(f"by {step.by}{expected}", width, pad, pad + "   ", full)
    out += _wrap(verdict.summary(), width, pad, pad + "  ", full or not verdict.ok)
    return out


def summary_line(report: "Report", strict: bool = False, timings: bool = True) -> str:
    counts = ", ".join(f"{v} {k}" for k, v in report.counts().items() if v)
    if report.expected():
        counts += f"; {report.expected()} as declared with expect="
    cached = sum(1 for r in report.results if r.verdict.cached)
    if cached:
        counts += f"; {cached} from the cache"
    verdict = "ok" if report.ok(strict) else "FAILED"
    return f"{report.name}: {verdict} ({counts})" + (f" in {report.seconds:.2f}s" if timings else "")


def report_text(report: "Report", width: int = 100, full: bool = False) -> str:
    d = report.derivation
    lines = [f"{d.name}: {d.title}  <{d.source}>"]
    for r in report.results:
        lines += step_lines(r.index, len(report.results), r.step, r.verdict, width, full)
    lines.append(summary_line(report))
    return "\n".join(lines)


def report_repr(report: "Report") -> str:
    counts = ", ".join(f"{v} {k}" for k, v in report.counts().items() if v)
    return (f"<Report {report.name}: {'ok' if report.ok() else 'FAILED'}, {counts}, "
            f"{report.seconds:.1f} s; print() it for every step>")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def verdict_repr(v: Verdict) -> str:
    return f"<Verdict {v.status.name} by {_short(v.checker, 60)}>"


def step_result_repr(r: "StepResult") -> str:
    return f"<step {r.index} {r.verdict.status.name}: {_short(r.step.claim(), 70)}>"


def step_result_html(r: "StepResult") -> str:
    return f"<p>({r.index}) <code>{html.escape(r.step.claim())}</code>: {verdict_html(r.verdict)}</p>"


def verdict_html(v: Verdict) -> str:
    return (f'<span style="color:{_COLOUR[v.status]};font-weight:bold">{v.status.name}</span> '
            f"{html.escape(_short(v.summary(), 400))}")


def report_html(report: "Report") -> str:
    d = report.derivation
    rows = "".join(
        f"<tr><td>{r.index}</td><td>{verdict_html_mark(r.verdict)}</td>"
        f"<td><code>{html.escape(_short(r.step.claim(), 160))}</code></td>"
        f"<td>{html.escape(_short(r.step.by, 120))}</td></tr>" for r in report.results)
    return (f"<p><b>{html.escape(d.title)}</b> &lt;<a href=\"{html.escape(d.source)}\">"
            f"{html.escape(d.source)}</a>&gt;: {html.escape(summary_line(report))}</p>"
            "<table><tr><th>#</th><th>verdict</th><th>claim</th><th>by</th></tr>"
            f"{rows}</table>")


def verdict_html_mark(v: Verdict) -> str:
    return f'<span style="color:{_COLOUR[v.status]}">{v.status.name}</span>'


def _claim_latex(r: "StepResult", lhs_room: int) -> tuple[str, str, str]:
    """(lhs, relation, rhs) of a step's display form in LaTeX, folded to fit."""
    from .latex import _REL, fold
    left, right = r.step.shown()
    return fold(left, lhs_room), _REL[r.step.relation], fold(right)


def step_latex(r: "StepResult") -> str:
    """The claim in display form, with its verdict mark, for Jupyter's MathJax."""
    from .latex import MARK as TEX_MARK
    left, rel, right = _claim_latex(r, 62)
    return rf"$$ {left} {rel} {right} \qquad ({r.index})\ {TEX_MARK[r.verdict.status]}$$"


def report_latex(report: "Report") -> str:
    from .latex import MARK as TEX_MARK
    rows = []
    for r in report.results:
        left, rel, right = _claim_latex(r, 40)
        rows.append(rf"{left} &{rel} {right} && ({r.index})\ {TEX_MARK[r.verdict.status]}")
    return r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"


def verdict_latex(v: Verdict) -> str:
    from .latex import MARK as TEX_MARK
    return rf"$\text{{{v.status.name}}}\ {TEX_MARK[v.status]}$"
