"""Derivation -> LaTeX through sympy's printer: aligned chains, each step tagged, then its
justification and verdict.

The display form of a step (``Step.display``) is rendered when given; the checked form
otherwise.  ``render(report, standalone=True)`` gives a complete ``article`` document that
compiles with plain ``pdflatex`` (amsmath, amssymb, geometry only).
"""
from __future__ import annotations

from itertools import groupby
from typing import Any

import sympy as sp

from .derivation import Report, StepResult

_REL = {"=": "=", "<=": r"\le", ">=": r"\ge"}
_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                 "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
                 "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}


def tex_escape(text: str) -> str:
    """Plain text -> LaTeX text mode (every special character escaped)."""
    return "".join(_TEX_SPECIALS.get(c, c) for c in text)


def math(expr: Any) -> str:
    """One expression in LaTeX math (sympy's printer; matrices as bmatrix)."""
    if isinstance(expr, str):
        return r"\text{%s}" % tex_escape(expr)
    return sp.latex(expr, mat_delim="[", mat_str="bmatrix")


def _evidence_line(r: StepResult) -> str:
    v = r.verdict
    scope = f" [{r.step.scope}]" if r.step.scope else ""
    text = (rf"\item[({r.index})] {tex_escape(r.step.by)}{tex_escape(scope)}. "
            rf"\textbf{{{v.status.name}}}: {tex_escape(v.summary())} ({v.seconds:.2f}\,s).")
    return text


def _chain_block(results: list[StepResult]) -> str:
    rows = []
    first = results[0]
    left, _ = first.step.shown()
    for n, r in enumerate(results):
        _, right = r.step.shown()
        lead = math(left) if n == 0 else ""
        rows.append(rf"{lead} &{_REL[r.step.relation]} {math(right)} \tag{{{r.index}}}")
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def render(report: Report, *, standalone: bool = False) -> str:
    """The derivation of ``report`` as LaTeX: sections, aligned chains, verdicts."""
    d = report.derivation
    counts = ", ".join(f"{k} {v}" for k, v in report.counts().items() if v)
    out = [rf"\section*{{{tex_escape(d.title)}}}",
           rf"\noindent Source: \url{{{d.source}}}\\" if standalone else
           rf"\noindent Source: \texttt{{{tex_escape(d.source)}}}\\",
           rf"Checked by kexue-sym: {tex_escape(counts)} in {report.seconds:.1f}\,s.",
           ""]
    if d.summary:
        out.insert(2, rf"Claim: {tex_escape(d.summary)}.\\")
    for section, in_section in groupby(report.results, key=lambda r: r.step.section):
        in_section = list(in_section)
        if section:
            out.append(rf"\subsection*{{{tex_escape(section)}}}")
        for _, chain in groupby(in_section, key=lambda r: r.step.chain):
            out.append(_chain_block(list(chain)))
        out.append("\\begin{description}\\small")
        out.extend(_evidence_line(r) for r in in_section)
        out.append("\\end{description}")
    body = "\n".join(out) + "\n"
    if not standalone:
        return body
    return ("\\documentclass[11pt]{article}\n\\usepackage[margin=2cm]{geometry}\n"
            "\\usepackage{amsmath,amssymb}\n\\usepackage{hyperref}\n"
            f"\\title{{{tex_escape(d.title)}}}\n\\date{{}}\n"
            "\\begin{document}\n" + body + "\\end{document}\n")
