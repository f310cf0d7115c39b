"""Derivation -> LaTeX through sympy's printer: each section an aligned chain, each link tagged
with its number and a verdict mark, the justification and the evidence listed after the chain.

What reaches the page is bounded, so every derivation compiles and fits the text width:

* a step's display form (``Step.display``) is shown when given, the checked form otherwise;
* a long sum is broken across lines at its top-level terms (at most :data:`MAX_ROWS` lines);
  beyond that it is folded (``a + b + \\cdots`` with the number of terms named), and any other
  expression too wide for a line is folded to its size (``\\langle`` an expression of N
  operations ``\\rangle``); matrices too wide are named by their shape;
* the evidence is text with break points, at most :data:`EVIDENCE_CHARS` characters, and an
  evidence text already printed for an earlier step is referred to, not repeated;
* timings appear only with ``timings=True`` (so a document depends on the mathematics only).

``render(report, standalone=True)`` gives a complete ``article`` document that compiles with
plain ``pdflatex`` (amsmath, amssymb, geometry, hyperref: all in texlive-latex-base).
"""
from __future__ import annotations

import re
from itertools import groupby
from typing import Any

import sympy as sp

from .derivation import Report, StepResult
from .justify import ByLemmas
from .verdict import Status

_REL = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">"}
_TEX_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                 "#": r"\#", "%": r"\%", "_": r"\_", "^": r"\^{}", "~": r"\~{}",
                 "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}
#: verdict -> the mark beside the equation number (math mode)
MARK = {Status.PROVED: r"\checkmark", Status.CHECKED: r"\approx", Status.REFUTED: r"\times",
        Status.UNDECIDED: "?"}
LEGEND = (r"$\checkmark$~PROVED (exact evidence) \quad $\approx$~CHECKED (numeric evidence "
          r"only) \quad $\times$~REFUTED (a re-checked counterexample) \quad ?~UNDECIDED")
#: visible width (about one glyph per unit) of one display line right of the relation
LINE = 62
#: widest left-hand side kept in its column; a wider one gets a line of its own
LHS_WIDTH = 26
#: lines one link may take before its sum is folded
MAX_ROWS = 4
#: longest evidence text printed (the JSON report has all of it), and for evidence that
#: quotes machine expressions
EVIDENCE_CHARS = 420
MACHINE_EVIDENCE_CHARS = 160


def tex_escape(text: str, breakable: bool = False) -> str:
    """Plain text -> LaTeX text mode (every special character escaped); ``breakable`` adds
    line-break points after commas, operators and brackets, so machine text such as
    ``Matrix([[1,0],[0,1]])`` cannot overflow a line."""
    out = "".join(_TEX_SPECIALS.get(c, c) for c in text)
    if breakable:
        out = re.sub(r"([,+*=(\[/]|\\textbar\{\}|\\_)", r"\1\\allowbreak{}", out)
    return out


_GREEK = ("alpha beta gamma delta epsilon theta kappa lambda mu nu xi pi rho sigma tau phi chi "
          "psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega nabla").split()
_SCRIPT = r"(?:\{[A-Za-z0-9+\-=/,<>.* ]*\}|-?[A-Za-z0-9]{1,4}(?![A-Za-z0-9]))"
#: light ASCII math in prose: operators, Greek names, and scripted names (r_jj, S_p^-1,
#: sum_{k=1}^n, det(U)^2); a plain underscore name (drop_nonnegative_terms) is not one
_PROSE_MATH = re.compile(
    rf"(?P<op><=|>=|!=|->|\|\||(?<=\w)\*(?=\w))(?P<oscripts>(?:\^{_SCRIPT})*)"
    rf"|(?<![A-Za-z0-9_'\\])(?P<base>{'|'.join(_GREEK)}|[A-Za-z]{{1,2}})"
    rf"(?P<scripts>(?:[_^]{_SCRIPT})*)(?![A-Za-z0-9_])"
    rf"|(?P<text>sum|prod|[A-Za-z][A-Za-z0-9]{{2,}}|[)\]|>])(?P<tscripts>(?:[_^]{_SCRIPT})+)(?![A-Za-z0-9_])")
_OPS = {"*": r"\,", "<=": r"\le", ">=": r"\ge", "!=": r"\ne", "->": r"\to", "||": r"\|"}


def _script_tex(scripts: str) -> str:
    out = []
    for mark, body in re.findall(rf"([_^])({_SCRIPT})", scripts):
        body = body[1:-1] if body.startswith("{") else body
        for a, b in (("<=", r"\le "), (">=", r"\ge "), ("*", r"\cdot ")):
            body = body.replace(a, b)
        out.append(f"{mark}{{{body}}}")
    return "".join(out)


def prose(text: str) -> str:
    r"""Plain text with light ASCII math -> LaTeX text mode: ``<=`` as ``\le``, Greek names as
    letters, ``r_jj`` as :math:`r_{jj}`, ``S_p^-1`` as :math:`S_p^{-1}`, ``det(U)^2`` with a
    raised 2; every other character escaped, with line-break points (:func:`tex_escape`)."""
    cite = re.search(r"\[(lemma|from) ([^\]]*)\]", text)
    if cite:  # lemma names and step references are names, not math
        names = ", ".join(rf"\texttt{{{tex_escape(n.strip())}}}" if cite[1] == "lemma"
                          else tex_escape(n.strip()) for n in cite[2].split(","))
        return f"{prose(text[:cite.start()])}[{cite[1]} {names}]{prose(text[cite.end():])}"
    out, at = [], 0
    for m in _PROSE_MATH.finditer(text):
        if m["base"] and not m["scripts"] and m["base"] not in _GREEK \
                and not re.fullmatch("[B-Zb-z]", m["base"]):
            continue  # a word ("a", "of") stays text; a lone letter (U, I, x) is a symbol
        if m["text"] and m["tscripts"].startswith("_") and m["text"] not in ("sum", "prod") \
                and not m["tscripts"].startswith("_{"):
            continue  # an underscore name (drop_nonnegative_terms)
        out.append(tex_escape(text[at:m.start()], breakable=True))
        if m["op"]:
            out.append(f"${_OPS[m['op']]}{_script_tex(m['oscripts'])}$")
        elif m["base"]:
            base = "\\" + m["base"] if m["base"] in _GREEK else m["base"]
            out.append(f"${base}{_script_tex(m['scripts'])}$")
        elif m["text"] in ("sum", "prod"):
            out.append(f"$\\{m['text']}{_script_tex(m['tscripts'])}$")
        else:
            out.append(f"{tex_escape(m['text'])}${_script_tex(m['tscripts'])}$")
        at = m.end()
    out.append(tex_escape(text[at:], breakable=True))
    return "".join(out)


def width(tex: str) -> int:
    """A rough visible width of LaTeX math: a command counts as one glyph, braces, scripts
    markers and spacing as none, a fraction as its numerator plus denominator (an
    over-estimate, which is the safe side)."""
    # a matrix is as wide as its widest row
    tex = re.sub(r"\\begin\{bmatrix\}((?:(?!\\begin\{bmatrix\}).)*?)\\end\{bmatrix\}",
                 lambda m: "[" + max((row.replace("&", "xx") for row in m[1].split(r"\\")),
                                        key=width) + "]", tex,
                 flags=re.S)
    s = re.sub(r"\\(left|right|big|Big|bigg|Bigg)\b", "", tex)
    s = re.sub(r"\\(,|;|:|!|quad|qquad)", "", s)
    s = re.sub(r"\\[a-zA-Z]+", "x", s)
    return len(re.sub(r"[{}^_ &]", "", s))


def math(expr: Any) -> str:
    """One expression in LaTeX math (sympy's printer; matrices as bmatrix), unbounded."""
    if isinstance(expr, str):
        return r"\text{%s}" % tex_escape(expr)
    return sp.latex(expr, mat_delim="", mat_str="bmatrix")  # bmatrix draws the brackets


def _opaque(expr: Any) -> str:
    if isinstance(expr, sp.MatrixBase):
        return (r"\left[\text{a $%d \times %d$ matrix, entries in the JSON report}\right]"
                % expr.shape)
    return r"\left\langle\text{an expression of %d operations}\right\rangle" % sp.count_ops(expr)


def fold(expr: Any, room: int = LINE) -> str:
    """``expr`` in LaTeX within about ``room`` glyphs: as it is when it fits; a sum as its
    first terms, ``+ \\cdots`` and the number of terms; anything else by its size."""
    tex = math(expr)
    if width(tex) <= room:
        return tex
    if isinstance(expr, sp.Add):
        terms = expr.as_ordered_terms()
        shown = _join(_fit(terms, room - 16))
        if shown:
            return shown + r" + \cdots\;\text{(%d terms)}" % len(terms)
    return _opaque(expr)


def _fit(terms: list, room: int) -> list[str]:
    """LaTeX of the leading terms that fit in ``room`` together."""
    out, used = [], 0
    for t in terms:
        tex = fold(t, room)
        if used + width(tex) + 2 > room:
            break
        out.append(tex)
        used += width(tex) + 2
    return out


def _join(pieces: list[str], first: bool = True) -> str:
    """Terms joined with their signs (sympy prints a negative term with a leading minus)."""
    out = ""
    for k, tex in enumerate(pieces):
        if k == 0 and first:
            out = tex
        elif tex.startswith("-"):
            out += " - " + tex[1:].lstrip()
        else:
            out += " + " + tex
    return out


def rows(expr: Any, room: int = LINE, max_rows: int = MAX_ROWS) -> list[str]:
    """``expr`` as display lines: a wide sum broken at its top-level terms, folded after
    ``max_rows`` lines; anything else one folded line."""
    if not isinstance(expr, sp.Add) or width(math(expr)) <= room:
        return [fold(expr, room)]
    terms = expr.as_ordered_terms()
    lines: list[list[str]] = [[]]
    used = 0
    for t in terms:
        tex = fold(t, room - 4)
        if lines[-1] and used + width(tex) + 2 > room:
            if len(lines) == max_rows:
                lines[-1].append(r"\cdots\;\text{(%d terms in all)}" % len(terms))
                break
            lines.append([])
            used = 0
        lines[-1].append(tex)
        used += width(tex) + 2
    # a continuation line starts with its sign: "+ c" or "- c"
    return [_join(line, first=(i == 0)).lstrip() for i, line in enumerate(lines)]


def _tag(r: StepResult) -> str:
    return r"\tag*{(%d)\,$%s$}" % (r.index, MARK[r.verdict.status])


def _chain_block(results: list[StepResult]) -> str:
    out = []
    left, _ = results[0].step.shown()
    lhs = fold(left, LINE + LHS_WIDTH - 8)
    own_line = width(lhs) > LHS_WIDTH
    if own_line:
        out.append(r"\lefteqn{%s} \notag" % lhs)
    for n, r in enumerate(results):
        _, right = r.step.shown()
        lead = lhs if n == 0 and not own_line else (r"\qquad" if own_line else "")
        pieces = rows(right, LINE - 4 if own_line else LINE)
        rel = _REL[r.step.relation]
        for k, piece in enumerate(pieces):
            start = rf"{lead} &{rel} {piece}" if k == 0 else rf"&\quad {piece}"
            out.append(start + (" " + _tag(r) if k == len(pieces) - 1 else r" \notag"))
    return "\\begin{align*}\n" + " \\\\\n".join(out) + "\n\\end{align*}"


def _fold_lists(text: str, keep: int = 3) -> str:
    """A long parenthesised list in machine text (the generators of a rational function field)
    shortened to its first items and its length."""
    def fold(m: re.Match) -> str:
        items = m[1].split(", ")
        if len(items) <= 2 * keep:
            return m[0]
        return f"({', '.join(items[:keep])}, ... {len(items)} in all)"
    return re.sub(r"\(([^()]*)\)", fold, text)


def _evidence_line(r: StepResult, seen: dict[str, int], timings: bool,
                   common_scope: str = "") -> str:
    v = r.verdict
    scope = f" [{r.step.scope}]" if r.step.scope and r.step.scope != common_scope else ""
    evidence = v.summary()
    if isinstance(r.step.justification, ByLemmas) and v.ok:
        evidence = v.checker  # the lemmas' statements are listed once, at the end
    if evidence in seen:
        said = rf"as for ({seen[evidence]})"
    else:
        seen[evidence] = r.index
        evidence = _fold_lists(evidence)
        # machine expressions (a**2) are kept short: the JSON report has them whole
        room = MACHINE_EVIDENCE_CHARS if "**" in evidence else EVIDENCE_CHARS
        short = evidence if len(evidence) <= room else \
            evidence[:room - 3].rstrip() + "... (in full in the JSON report)"
        said = tex_escape(short, breakable=True)
    clock = rf" ({v.seconds:.2f}\,s)" if timings else ""
    if r.step.expect is not None:  # a declared verdict: say whether it came
        said = (rf"\emph{{as expected}}; {said}" if r.step.as_expected(v)
                else rf"\emph{{expected {r.step.expect.name.lower()}}}; {said}")
    return (rf"\item[({r.index})] {prose(r.step.by)}{prose(scope)}. "
            rf"${MARK[v.status]}$~\textsc{{{v.status.name.lower()}}}: {said}{clock}.")


def _signature(results: list[StepResult]) -> tuple:
    """What a section claims, without its scope: equal signatures are the same checks."""
    return tuple((sp.srepr(r.step.shown()[0]), r.step.relation, sp.srepr(r.step.shown()[1]),
                  r.step.by) for r in results)


def _sections(results: list[StepResult]) -> list[tuple[str, list[StepResult]]]:
    return [(title, list(group)) for title, group in groupby(results, key=lambda r: r.step.section)]


def _runs(sections: list[tuple[str, list[StepResult]]]) -> list[list[tuple[str, list[StepResult]]]]:
    """Consecutive sections making the same claims (the same identities over several metrics)
    grouped together; a run of three or more renders as one table."""
    runs: list[list] = []
    previous = None
    for title, group in sections:
        signature = _signature(group)
        if runs and signature == previous:
            runs[-1].append((title, group))
        else:
            runs.append([(title, group)])
        previous = signature
    return runs


def _common_heading(titles: list[str]) -> tuple[str, list[str]]:
    """The shared part of section titles before ': ', and what each adds."""
    heads = {t.split(": ", 1)[0] for t in titles}
    if len(heads) == 1 and all(": " in t for t in titles):
        return heads.pop(), [t.split(": ", 1)[1] for t in titles]
    return "", titles


def _table(run: list[tuple[str, list[StepResult]]], seen: dict[str, int],
           timings: bool) -> list[str]:
    """The identities once (numbered as in their first section), then one row per section
    with the verdict mark and step number of each identity."""
    heading, labels = _common_heading([title for title, _ in run])
    first = run[0][1]
    out = [rf"\subsection*{{{prose(heading or 'the same checks')}: "
           rf"{len(run)} cases}}"]
    out.extend(_chain_block(list(chain)) for _, chain in groupby(first, key=lambda r: r.step.chain))
    cols = "l" + "c" * len(first)
    head = " & ".join(["case"] + [f"({r.index})" for r in first])
    lines = [rf"{prose(label)} & " + " & ".join(
        rf"${MARK[r.verdict.status]}$\,{{\scriptsize {r.index}}}" for r in group)
        for label, (_, group) in zip(labels, run)]
    out.append("\\begin{center}\\small\n\\begin{tabular}{" + cols + "}\n" + head
               + r" \\ \hline" + "\n" + " \\\\\n".join(lines) + "\n\\end{tabular}\n\\end{center}")
    items = []
    for _, group in run:
        for r in group:
            if r.verdict.summary() not in seen:
                items.append(_evidence_line(r, seen, timings))
    out.append(rf"\noindent{{\small Each row checks the identities ({first[0].index})--"
               rf"({first[-1].index}) for one case; the evidence of the first row holds for the"
               " others unless listed below.}")
    if items:
        out += ["\\begin{description}\\small\\sloppy", *items, "\\end{description}"]
    return out


_URL = re.compile(r"https?://[^\s{}\\%#]+")


def _source(source: str, standalone: bool) -> str:
    """An article URL as a link (a bare address without hyperref), anything else as text."""
    if not _URL.fullmatch(source):
        return prose(source)
    return rf"\url{{{source}}}" if standalone else rf"\texttt{{{tex_escape(source)}}}"


def _lemma_list(results: list[StepResult]) -> list[str]:
    """Each lemma the steps cite, once: statement, source, and what it was checked on."""
    cited: dict = {}
    for r in results:
        if isinstance(r.step.justification, ByLemmas):
            for lemma in r.step.justification.lemmas():
                cited.setdefault(lemma, []).append(r.index)
    if not cited:
        return []
    items = [rf"\item[\texttt{{{tex_escape(lemma.name)}}}] {prose(lemma.statement)} "
             rf"({prose(lemma.source)}; self-checked on {prose(lemma.checked_on)}; "
             rf"cited in {', '.join(f'({i})' for i in steps)})."
             for lemma, steps in cited.items()]
    return [r"\subsection*{Lemmas cited}",
            r"{\small Trusted textbook facts: each step citing one is checked to be an exact "
            r"instance of it, and each lemma is machine-checked on its own small instances.}",
            "\\begin{description}\\small\\sloppy", *items, "\\end{description}"]


def render(report: Report, *, standalone: bool = False, timings: bool = False) -> str:
    """The derivation of ``report`` as LaTeX: sections, aligned chains with verdict marks, the
    evidence after each section; ``timings`` adds the seconds each step took."""
    d = report.derivation
    counts = ", ".join(f"{v} {k}" for k, v in report.counts().items() if v)
    out = [rf"\section*{{{tex_escape(d.title)}}}",
           rf"\noindent Source: {_source(d.source, standalone)}\\",
           rf"Checked by kexue-sym: {tex_escape(counts)}"
           + (rf" in {report.seconds:.1f}\,s" if timings else "") + r".\\",
           r"{\small " + LEGEND + "}", ""]
    if d.summary:
        out.insert(2, rf"Claim: {prose(d.summary)}.\\")
    seen: dict[str, int] = {}
    for run in _runs(_sections(report.results)):
        if len(run) >= 3:
            out.extend(_table(run, seen, timings))
            continue
        for section, in_section in run:
            if section:
                out.append(rf"\subsection*{{{prose(section)}}}")
            for _, chain in groupby(in_section, key=lambda r: r.step.chain):
                out.append(_chain_block(list(chain)))
            scopes = {r.step.scope for r in in_section}
            common = scopes.pop() if len(scopes) == 1 and len(in_section) > 1 else ""
            out.append("\\begin{description}\\small\\sloppy")
            if common:
                out.append(rf"\item[] \emph{{Every step of this section: {prose(common)}.}}")
            out.extend(_evidence_line(r, seen, timings, common) for r in in_section)
            out.append("\\end{description}")
    out.extend(_lemma_list(report.results))
    body = "\n".join(out) + "\n"
    if not standalone:
        return body
    return ("\\documentclass[11pt]{article}\n\\usepackage[margin=2cm]{geometry}\n"
            "\\usepackage{amsmath,amssymb}\n\\usepackage{hyperref}\n"
            "\\allowdisplaybreaks\n"
            f"\\title{{{tex_escape(d.title)}}}\n\\date{{}}\n"
            "\\begin{document}\n" + body + "\\end{document}\n")
