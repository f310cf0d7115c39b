"""The README's Python snippets run as written and print what the README says (doctest over
the ```python blocks, in order, sharing one namespace as a reader's session would)."""
import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_snippets_run_as_written():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    session = "\n".join(b for b in blocks if ">>> " in b)
    test = doctest.DocTestParser().get_doctest(session, {}, "README.md", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 15 and result.failed == 0


def test_readme_own_derivation_verifies_as_it_says(tmp_path):
    """The "Your own derivations" file, run through ``verify --file`` and ``latex --file``."""
    from click.testing import CliRunner

    from kexue_sym.cli import main
    source = next(b for b in re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
                  if b.startswith("# my_derivation.py"))
    path = tmp_path / "my_derivation.py"
    path.write_text(source)
    result = CliRunner().invoke(main, ["verify", "--file", str(path)])
    words = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "[1/2] PROVED" in words and "[2/2] REFUTED" in words
    assert "[expected REFUTED: as expected]" in words
    latex = CliRunner().invoke(main, ["latex", "--file", str(path), "--standalone"])
    assert latex.exit_code == 0 and r"\section*{AM-GM for two numbers}" in latex.output
    assert r"Source: my notes" in latex.output  # not a URL: plain text
