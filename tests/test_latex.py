"""Golden LaTeX: the printer pieces as parametrised raw strings, and the rendered derivation."""
import pytest
import sympy as sp

import kexue_sym
import kexue_sym.registry
from kexue_sym.latex import math, render, tex_escape
from kexue_sym.notation import cross, inner, norm

a1, a2 = sp.symbols("a_1 a_2")


@pytest.mark.parametrize("text, golden", [
    ("a_1 x a_2", r"a\_1 x a\_2"),
    ("<a, b> & 50% #1 ~", r"\textless{}a, b\textgreater{} \& 50\% \#1 \~{}"),
    ("||a_j||^2", r"\textbar{}\textbar{}a\_j\textbar{}\textbar{}\^{}2"),
    (r"{x}\y$", r"\{x\}\textbackslash{}y\$"),
])
def test_tex_escape(text, golden):
    assert tex_escape(text) == golden


@pytest.mark.parametrize("expr, golden", [
    (norm(a1) ** 2, r"\left\| a_{1} \right\|^{2}"),
    (inner(a1, a2), r"\left\langle a_{1}, a_{2} \right\rangle"),
    (norm(cross(a1, a2)), r"\left\| \left(a_{1} \times a_{2}\right) \right\|"),
    (sp.Determinant(sp.MatrixSymbol("A", 2, 2)) ** 2, r"\left|{A}\right|^{2}"),
    (sp.Matrix([[1, 2]]), r"\left[\begin{bmatrix}1 & 2\end{bmatrix}\right]"),
    ("plain text", r"\text{plain text}"),
])
def test_math(expr, golden):
    assert math(expr) == golden


def test_render_structure(verified):
    tex = render(verified("hadamard"))
    assert tex.count(r"\begin{align*}") == tex.count(r"\end{align*}") >= 8
    assert r"\tag*{(1)\,$\checkmark$}" in tex and r"\tag*{(29)\,$\checkmark$}" in tex
    assert r"\textsc{proved}" in tex and "undecided}" not in tex
    assert r"\subsection*{n = 2: a parallelogram's area is at most the product of its sides}" in tex
    assert r"\,s)" not in tex and r"\,s" not in tex.split("Checked by")[1].split("\n")[0]
    timed = render(verified("hadamard"), timings=True)
    assert r"\,s)." in timed  # seconds only when asked


def _compile(tmp_path, tex, pdflatex):
    import subprocess
    (tmp_path / "doc.tex").write_text(tex)
    proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=240)
    log = (tmp_path / "doc.log").read_text(errors="replace")
    return proc, log


@pytest.mark.parametrize("name", kexue_sym.registry.names())
def test_every_derivation_compiles_within_the_margins(tmp_path, pdflatex, verified, name):
    """pdflatex -halt-on-error, and no overfull box wider than 10 pt (read from the log)."""
    import re
    proc, log = _compile(tmp_path, render(verified(name), standalone=True), pdflatex)
    assert proc.returncode == 0, proc.stdout[-3000:]
    overfull = [float(w) for w in re.findall(r"Overfull \\[hv]box \(([0-9.]+)pt too", log)]
    assert not overfull or max(overfull) <= 10, f"overfull boxes: {sorted(overfull)[-5:]} pt"
    assert (tmp_path / "doc.pdf").stat().st_size > 10_000


def test_no_display_symbol_is_text():
    """Display forms are sympy objects (kexue_sym.notation), not Symbol("formula text")."""
    import re
    for name in kexue_sym.registry.names():
        for step in kexue_sym.registry.get(name).build().steps:
            for side in step.shown():
                atoms = side.atoms(sp.Symbol, sp.MatrixSymbol) if hasattr(side, "atoms") else ()
                for s in atoms:
                    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", str(s.name)), (name, s.name)


def test_long_sums_break_and_huge_expressions_fold():
    from kexue_sym.latex import LINE, fold, rows, width
    x = sp.symbols("x:40")
    long_sum = sp.Add(*[xi**2 * sp.sin(xi) for xi in x])
    lines = rows(long_sum)
    assert 1 < len(lines) <= 4 and all(width(line) <= LINE + 20 for line in lines)
    assert "terms in all" in lines[-1]
    folded = fold(long_sum)
    assert "(40 terms)" in folded and width(folded) <= LINE + 20
    product = sp.Mul(*[(xi + 1) for xi in x])
    assert "operations" in fold(product)
    assert fold(x[0] + 1) == "x_{0} + 1"
