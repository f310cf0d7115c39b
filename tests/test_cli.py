"""One CliRunner test per command, plus the exit-code contract (0 / 1 / 2)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kexue_sym.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)
    return invoke


def test_list(run):
    result = run("list")
    assert result.exit_code == 0
    assert "hadamard" in result.output and "kexue.fm/archives/2215" in result.output


def test_verify_human_report(run):
    result = run("verify", "hadamard")
    assert result.exit_code == 0
    assert "[ 1/" in result.output and "PROVED" in result.output
    assert "by Lagrange's identity" in result.output
    assert "hadamard: ok" in result.output


def test_verify_json_schema(run):
    result = run("verify", "hadamard", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    (d,) = data["derivations"]
    assert set(d) >= {"name", "title", "source", "ok", "seconds", "steps"}
    assert d["name"] == "hadamard" and d["ok"] is True
    for step in d["steps"]:
        assert set(step) >= {"index", "claim", "by", "verdict", "evidence", "seconds"}
        assert step["verdict"] in {"PROVED", "CHECKED"}
        assert step["evidence"]["checker"]


@pytest.mark.slow
def test_verify_all(run):
    """Every registered derivation, as CI's main job runs it (the quick suite reaches each
    one's verdicts through tests/test_contract.py)."""
    assert run("verify", "--all").exit_code == 0


def test_verify_strict(run):
    assert run("verify", "hadamard", "--strict").exit_code == 0  # PROVED throughout
    strict = run("verify", "--file", str(DATA / "checked_step.py"), "--strict")  # numeric only
    assert strict.exit_code == 1 and "only CHECKED (--strict)" in strict.output
    assert run("verify", "--file", str(DATA / "checked_step.py")).exit_code == 0


def test_unknown_name_exits_2_with_suggestion(run):
    result = run("verify", "hadamrd")
    assert result.exit_code == 2
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "did you mean hadamard" in lines[0]


@pytest.mark.parametrize("args", [["verify"], ["verify", "hadamard", "--all"],
                                  ["latex", "nope"], ["crosscheck", "nope"],
                                  ["verify", "--file", "/nonexistent.py"]])
def test_usage_errors_exit_2(run, args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert len([l for l in result.output.splitlines() if l.strip()]) == 1


def test_wrong_step_exits_1_and_names_counterexample(run):
    result = run("verify", "--file", str(DATA / "wrong_step.py"))
    assert result.exit_code == 1
    assert "wrong_step_demo step 2 REFUTED" in result.output
    assert "counterexample a=" in result.output and "b=" in result.output


def test_wrong_step_json(run):
    result = run("verify", "--file", str(DATA / "wrong_step.py"), "--json")
    assert result.exit_code == 1
    steps = json.loads(result.output)["derivations"][0]["steps"]
    assert [s["verdict"] for s in steps] == ["PROVED", "REFUTED", "PROVED"]
    assert steps[1]["evidence"]["witness"]


def test_timeout_option(run):
    assert run("verify", "hadamard", "--timeout", "30").exit_code == 0
    assert run("verify", "hadamard", "--timeout", "-1").exit_code == 2


@pytest.mark.parametrize("args", [["hadamard"], ["--file", "tests/data/wrong_step.py"]])
def test_latex_standalone_compiles(run, tmp_path, pdflatex, args):
    out = tmp_path / "h.tex"
    result = run("latex", *args, "--standalone", "-o", str(out))
    assert result.exit_code == 0
    tex = out.read_text()
    assert tex.startswith("\\documentclass") and "\\begin{align*}" in tex and "PROVED" in tex
    proc = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", out.name],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (tmp_path / "h.pdf").stat().st_size > 10_000
    assert "! " not in proc.stdout  # no LaTeX error of any kind


def test_latex_fragment_to_stdout(run):
    result = run("latex", "hadamard")
    assert result.exit_code == 0
    assert "\\documentclass" not in result.output and "\\section*" in result.output


def test_crosscheck_quick(run):
    result = run("crosscheck", "hadamard", "--quick", "--device", "cpu", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["ok"] and len(data["rows"]) >= 20
    cases = {r["case"] for r in data["rows"]}
    assert {"entries x 1e+150", "nearly singular (1e-9)", "integer, exact"} <= cases


def test_crosscheck_cuda_without_gpu_is_usage_error(run):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = run("crosscheck", "hadamard", "--device", "cuda")
    assert result.exit_code == 2 and "CUDA is not available" in result.output


def test_console_script_installed():
    script = Path(sys.executable).parent / "kexue-sym"
    proc = subprocess.run([str(script), "verify", "hadamrd"], capture_output=True, text=True)
    assert proc.returncode == 2 and "did you mean hadamard" in proc.stderr


def test_crosscheck_riemann_rows(crosscheck_rows):
    """The metrics riemann's cross-check covers (rows shared with tests/test_contract.py)."""
    rows = crosscheck_rows("riemann")
    assert {r["case"].split(" (")[0] for r in rows} >= {"Kerr", "Schwarzschild", "FLRW"}
    assert all(r["ok"] and r["batch"] >= 256 for r in rows)


def test_crosscheck_gaussian_rows(crosscheck_rows):
    """The independent references gaussian's cross-check uses, in both dtypes."""
    rows = crosscheck_rows("gaussian")
    references = " ".join(r["reference"] for r in rows)
    for needed in ("kl_divergence", "mpmath 50 digits", "mpmath.quad", "mpmath.fp.quad",
                   "samples", "numpy sqrtm", "torchify"):
        assert needed in references, needed
    assert {"KL, cond 1e8", "BD, cond 1e8", "W2, cond 1e8"} <= {r["case"] for r in rows}
    assert {r["dtype"] for r in rows} == {"float64", "float32"}
    assert all(r["ok"] for r in rows)


def test_list_does_not_import_torch():
    """`kexue-sym list` stays quick: derivations import the sympy forms, torch loads on use."""
    code = ("import sys\nfrom click.testing import CliRunner\nfrom kexue_sym.cli import main\n"
            "assert CliRunner().invoke(main, ['list']).exit_code == 0\n"
            "assert 'torch' not in sys.modules, 'torch imported by list'\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_expected_refutation_exits_0_even_strict(run):
    for extra in ([], ["--strict"]):
        result = run("verify", "--file", "tests/data/expected_refutation.py", *extra)
        assert result.exit_code == 0, result.output
        words = " ".join(result.output.split())  # the report wraps at the terminal's width
        assert "[expected REFUTED: as expected]" in words


def test_verify_jsonl_streams_one_line_per_step(run):
    result = run("verify", "--file", "tests/data/expected_refutation.py", "--jsonl")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line.get("index") for line in lines] == [1, 2, 3, None]
    assert lines[1]["verdict"] == "REFUTED" and lines[1]["as_expected"] is True
    assert lines[-1]["ok"] is True and lines[-1]["counts"]["PROVED"] == 2
    assert run("verify", "hadamard", "--json", "--jsonl").exit_code == 2
