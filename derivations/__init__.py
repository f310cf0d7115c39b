"""The derivations, one module per article; installed as ``kexue_sym.derivations``.

Each module starts with a docstring (title, main results, assumptions, what is not
machine-checked, references) and registers a builder with :func:`kexue_sym.registry.derivation`.
"""
