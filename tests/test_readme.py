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
