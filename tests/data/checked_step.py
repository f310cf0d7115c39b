"""A true derivation whose one step sympy cannot prove (numeric evidence only: CHECKED), for
the CLI's --strict test."""
import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.registry import derivation

p = sp.Symbol("p", positive=True)


@derivation("checked_step_demo", title="log p <= p - 1", source="tests/data")
def build(d: Derivation) -> None:
    d.step(sp.log(p), "<=", p - 1, by="concavity of log (sympy cannot decide the sign)")
