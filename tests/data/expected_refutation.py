"""A derivation with a false claim the 'article' makes, declared as an expected refutation."""
import sympy as sp

from kexue_sym.derivation import Derivation
from kexue_sym.registry import derivation

a, b = sp.symbols("a b", real=True)


@derivation("expected_refutation_demo", title="An erratum kept as an expected refutation",
            source="tests/data/expected_refutation.py")
def build(d: Derivation) -> None:
    d.step((a + b) ** 2, "=", a**2 + 2 * a * b + b**2, by="expand")
    d.step((a + b) ** 2, "=", a**2 + b**2, by="[erratum] the printed identity drops 2ab",
           expect="REFUTED")
    (d.calc(a**2 + b**2).ge(2 * a * b, by="(a - b)^2 >= 0", certificate=[(a - b) ** 2]))
