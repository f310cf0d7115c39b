"""Fuzzing (hypothesis): the parser and the CLI answer every input with a value, a one-line
error and exit 2, or a verdict; never a traceback, never a hang, never executed text.

Bounded for the suite (a few hundred inputs, ~1 min); ``python tests/fuzz_long.py --minutes 10``
is the long run."""
import signal

import pytest
import sympy as sp
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from fuzz_inputs import coords, expressions, metrics
from kexue_sym.cli import main
from kexue_sym.parse import ParseError, parse_coords, parse_expression, parse_metric

X, Y = sp.symbols("x y", real=True)


class _Hang(Exception):
    pass


def _alarm(seconds):
    def handler(signum, frame):
        raise _Hang(f"no answer in {seconds} s")
    signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=expressions())
def test_parser_returns_or_raises_parse_error(text):
    _alarm(10)
    try:
        value = parse_expression(text, [X, Y])
        assert isinstance(value, sp.Basic)
        # what the parser accepts round-trips through its own printer
        assert parse_expression(sp.sstr(value), [X, Y]) == value or value.has(sp.Float)
    except ParseError as exc:
        assert "\n" not in str(exc) and str(exc)
    finally:
        signal.alarm(0)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=metrics(), names=coords())
def test_metric_parser_returns_or_raises_parse_error(text, names):
    _alarm(10)
    try:
        try:
            cs = parse_coords(names)
        except ParseError:
            cs = [X, Y]
        value = parse_metric(text, cs)
        assert isinstance(value, sp.Matrix)
    except ParseError as exc:
        assert "\n" not in str(exc) and str(exc)
    finally:
        signal.alarm(0)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=metrics(), names=coords())
def test_riemann_cli_answers_in_one_line_or_computes(text, names):
    result = CliRunner().invoke(main, ["riemann", "--coords", names, "--metric", text,
                                       "--timeout", "3", "--json"], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
