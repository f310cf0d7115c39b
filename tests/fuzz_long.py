"""The long fuzz run: ``python tests/fuzz_long.py --minutes 10 [--out fuzz.json]``.

Feeds the grammar of ``tests/fuzz_inputs.py`` to the parser (expressions, metrics, coordinates)
and to ``kexue-sym riemann`` (in process through click's runner, and every 25th input as a
real subprocess with raw, possibly non-UTF-8 bytes), and records every finding: an exception
other than ParseError from the parser, a traceback or a multi-line exit-2 message from the
CLI, an exit code outside {0, 1, 2}, or an input that takes more than the hang limit.
Prints a summary (inputs, minutes, findings) and writes the findings as JSON."""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import traceback
import warnings

sys.path.insert(0, os.path.dirname(__file__))

import sympy as sp  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from hypothesis.errors import NonInteractiveExampleWarning  # noqa: E402

from fuzz_inputs import coords, expressions, metrics, raw_bytes  # noqa: E402
from kexue_sym.cli import main  # noqa: E402
from kexue_sym.parse import ParseError, parse_coords, parse_expression, parse_metric  # noqa: E402

HANG_SECONDS = 30


class Hang(Exception):
    pass


def _on_alarm(signum, frame):
    raise Hang()


def run(minutes: float, out: str | None) -> int:
    warnings.simplefilter("ignore", NonInteractiveExampleWarning)
    signal.signal(signal.SIGALRM, _on_alarm)
    X, Y = sp.symbols("x y", real=True)
    runner = CliRunner()
    findings: list[dict] = []
    counts = {"parser": 0, "metric parser": 0, "cli in process": 0, "cli subprocess": 0}
    exits = {0: 0, 1: 0, 2: 0}
    start = time.monotonic()
    i = 0
    while time.monotonic() - start < minutes * 60:
        i += 1
        kind, text = "?", ""
        try:
            signal.alarm(HANG_SECONDS)
            if i % 3 == 0:
                kind, text = "parser", expressions().example()
                counts[kind] += 1
                try:
                    parse_expression(text, [X, Y])
                except ParseError as exc:
                    if "\n" in str(exc):
                        findings.append({"kind": kind, "input": text, "problem": "multi-line error"})
            elif i % 3 == 1:
                kind, text = "metric parser", metrics().example()
                names = coords().example()
                counts[kind] += 1
                try:
                    parse_metric(text, parse_coords(names))
                except ParseError:
                    pass
            elif i % 25 == 2:
                kind = "cli subprocess"
                counts[kind] += 1
                metric = raw_bytes().example() if i % 2 else metrics().example().encode()
                metric = metric.replace(b"\0", b"")  # argv cannot carry a null byte at all
                text = repr(metric)
                proc = subprocess.run([sys.executable, "-m", "kexue_sym.cli", "riemann", "--coords",
                                       "r y", "--metric", metric, "--timeout", "2"],
                                      capture_output=True, timeout=HANG_SECONDS)
                err = proc.stderr.decode("utf-8", "replace")
                exits[proc.returncode] = exits.get(proc.returncode, 0) + 1
                lines = [ln for ln in (err + proc.stdout.decode("utf-8", "replace")).splitlines()
                         if ln.strip()]
                if "Traceback" in err or proc.returncode not in (0, 1, 2) or (
                        proc.returncode == 2 and len(lines) != 1):
                    findings.append({"kind": kind, "input": text, "exit": proc.returncode,
                                     "problem": err[-800:]})
            else:
                kind, text = "cli in process", metrics().example()
                names = coords().example()
                counts[kind] += 1
                result = runner.invoke(main, ["riemann", "--coords", names, "--metric", text,
                                              "--timeout", "2", "--json"])
                exits[result.exit_code] = exits.get(result.exit_code, 0) + 1
                lines = [ln for ln in result.output.splitlines() if ln.strip()]
                bad = result.exception is not None and not isinstance(result.exception, SystemExit)
                if bad or "Traceback" in result.output or result.exit_code not in (0, 1, 2) or (
                        result.exit_code == 2 and len(lines) != 1):
                    findings.append({"kind": kind, "input": text, "coords": names,
                                     "exit": result.exit_code,
                                     "problem": repr(result.exception) + result.output[-500:]})
        except Hang:
            findings.append({"kind": kind, "input": text, "problem": f"no answer in {HANG_SECONDS} s"})
        except subprocess.TimeoutExpired:
            findings.append({"kind": kind, "input": text, "problem": "subprocess hung"})
        except Exception as exc:  # noqa: BLE001 - that is a finding
            findings.append({"kind": kind, "input": text, "problem": "".join(
                traceback.format_exception_only(type(exc), exc)).strip()[:800]})
        finally:
            signal.alarm(0)
    elapsed = (time.monotonic() - start) / 60
    total = sum(counts.values())
    print(f"{total} inputs in {elapsed:.1f} min ({', '.join(f'{k}: {v}' for k, v in counts.items())});"
          f" CLI exit codes {dict(sorted(exits.items()))}; {len(findings)} findings")
    for f in findings[:20]:
        print("  FINDING", json.dumps(f)[:400])
    if out:
        with open(out, "w") as fh:
            json.dump({"inputs": total, "minutes": elapsed, "counts": counts, "exits": exits,
                       "findings": findings}, fh, indent=1)
    return 1 if findings else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    sys.exit(run(args.minutes, args.out))
