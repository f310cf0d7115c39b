"""A derivation with a deliberately wrong step (step 2), for the CLI's honesty tests."""
import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.registry import derivation

a, b = sp.symbols("a b", real=True)


@derivation("wrong_step_demo", title="A derivation with a wrong step", source="tests/data")
def build(d: Derivation) -> None:
    (d.calc((a + b) ** 2)
       .eq(a**2 + 2 * a * b + b**2, by="expand")
       .eq(a**2 + b**2, by="the freshman's dream (wrong)")
       .le(2 * (a**2 + b**2), by="a^2 + b^2 >= 0"))
