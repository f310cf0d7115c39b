"""Golden LaTeX: the printer pieces as parametrised raw strings, and the rendered derivation."""
import pytest
import sympy as sp

import kexue_sym
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


def test_render_structure():
    tex = render(kexue_sym.verify("hadamard"))
    assert tex.count(r"\begin{align*}") == tex.count(r"\end{align*}") >= 8
    assert r"\tag{1}" in tex and r"\tag{29}" in tex
    assert r"\textbf{PROVED}" in tex and "UNDECIDED" not in tex
    assert r"\subsection*{n = 2: a parallelogram's area is at most the product of its sides}" in tex
