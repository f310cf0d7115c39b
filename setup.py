"""Build hook for the design card's layout.

The card fixes a top-level ``cli.py`` and ``derivations/``; installed, they must not become the
generic top-level modules ``cli`` and ``derivations``.  ``pyproject.toml`` maps
``derivations/`` to ``kexue_sym.derivations`` with ``package-dir``; setuptools has no such
mapping for a single module, so this hook installs ``cli.py`` as ``kexue_sym/cli.py``.
"""
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def find_modules(self):
        # (package, module, file): cli.py at the root installs as kexue_sym.cli
        return [("kexue_sym", "cli", "cli.py")]


setup(cmdclass={"build_py": BuildPy})
