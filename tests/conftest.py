import os
import shutil

import pytest
import torch

CUDA = torch.cuda.is_available()


def pytest_configure(config):
    """The verdict cache of every CLI run in the tests is a fresh one, never the user's: a
    test sees what the checker decides now (and xdist workers share it, as --jobs would)."""
    import tempfile

    os.environ["XDG_CACHE_HOME"] = os.environ.get("KEXUE_SYM_TEST_CACHE") or tempfile.mkdtemp(
        prefix="kexue-sym-test-cache-")
    os.environ.setdefault("KEXUE_SYM_TEST_CACHE", os.environ["XDG_CACHE_HOME"])


def pytest_collection_modifyitems(config, items):
    skip_gpu = pytest.mark.skip(reason="needs CUDA (no GPU on this machine)")
    for item in items:
        if "gpu" in item.keywords and not CUDA:
            item.add_marker(skip_gpu)


@pytest.fixture
def pdflatex():
    """The pdflatex binary; required in CI (.ci/run installs it), skipped elsewhere if absent."""
    path = shutil.which("pdflatex")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdflatex is missing in CI: .ci/run must install texlive-latex-base")
        pytest.skip("pdflatex not installed")
    return path


from hypothesis import settings  # noqa: E402

# CI runs the same examples every time (a red CI must be reproducible); locally they vary
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


_REPORTS: dict = {}


@pytest.fixture(scope="session")
def verified():
    """``verified(name)``: the derivation's report, run once per test session (the gaussian
    derivation takes ~40 s; several tests read the same report)."""
    import kexue_sym

    def get(name):
        if name not in _REPORTS:
            _REPORTS[name] = kexue_sym.verify(name)
        return _REPORTS[name]
    return get


_ROWS: dict = {}


@pytest.fixture(scope="session")
def crosscheck_rows():
    """``crosscheck_rows(name)``: the derivation's quick cross-check rows on the CPU, run once
    per test session (gaussian's and riemann's take several seconds each)."""
    from kexue_sym import registry

    def get(name):
        if name not in _ROWS:
            _ROWS[name] = registry.get(name).crosscheck(device="cpu", quick=True)
        return _ROWS[name]
    return get
