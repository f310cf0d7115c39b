"""The ``kexue-sym`` command: a thin click layer over :mod:`kexue_sym`.

    kexue-sym list
    kexue-sym verify NAME... | --all [--json] [--strict] [--timeout S] [--file PATH]
    kexue-sym latex NAME|--file F [--standalone] [--timings] [-o FILE]
    kexue-sym crosscheck NAME [--device auto|cpu|cuda] [--quick] [--json]

Exit codes: 0 every step PROVED or CHECKED (only PROVED with --strict), 1 a step REFUTED or
UNDECIDED (or a failed cross-check), 2 a usage error, reported on one line with a suggestion.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import sys

import click

from kexue_sym import registry
from kexue_sym.derivation import Report, Step
from kexue_sym.display import summary_line
from kexue_sym.verdict import Status, Verdict

def _printable(text: str) -> str:
    """User text (file names, arguments with invalid UTF-8) made safe to print on one line."""
    return " ".join(str(text).encode("utf-8", "backslashreplace").decode("utf-8").split())


def _fail(message: str, code: int = 2) -> None:
    """A usage error: one line on stderr, exit code 2."""
    click.echo(f"kexue-sym: error: {_printable(message)}", err=True)
    sys.exit(code)


class Seconds(click.ParamType):
    """A time limit: a finite number of seconds in [0.1, 86400] (nan and inf are refused)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (0.1 <= seconds <= 86400):  # also false for nan
            self.fail(f"{value!r} is not a time limit in [0.1, 86400] seconds", param, ctx)
        return seconds


SECONDS = Seconds()


def _entries(names: tuple[str, ...], all_: bool, files: tuple[str, ...]) -> list[registry.Entry]:
    chosen: list[registry.Entry] = []
    for path in dict.fromkeys(files):
        try:
            loaded = registry.load_file(path)
        except (OSError, ImportError, SyntaxError, registry.DuplicateDerivation,
                registry.UserFileError) as exc:
            _fail(f"cannot load {path}: {exc}")
        if not loaded:
            _fail(f"{path} registers no derivation (decorate a builder with "
                  "kexue_sym.registry.derivation)")
        if not names and not all_:
            chosen.extend(loaded)
    if all_:
        if names:
            _fail("give derivation names or --all, not both")
        chosen.extend(registry.entries())
    for name in names:
        try:
            chosen.append(registry.get(name))
        except registry.UnknownDerivation as exc:
            _fail(str(exc))
    if not chosen:
        _fail("name a derivation (kexue-sym list shows them) or use --all")
    return list({e.name: e for e in chosen}.values())  # a name given twice runs once


def _width() -> int:
    return max(60, shutil.get_terminal_size((120, 20)).columns)


def _progress(total: int, full: bool):
    """``(starting, show)`` callbacks: on a terminal a 'running' line names the step being
    checked until its verdict replaces it; elsewhere (pipes, CI logs) only the verdicts."""
    from kexue_sym.display import step_lines
    width = _width()
    live = sys.stdout.isatty()

    def starting(index: int, step: Step) -> None:
        if live:
            head = f"  [{index:>{len(str(total))}}/{total}] running ...  "
            click.echo((head + step.claim())[: width - 1], nl=False)

    def show(index: int, step: Step, verdict: Verdict) -> None:
        if live:
            click.echo("\r\033[K", nl=False)  # erase the running line
        for line in step_lines(index, total, step, verdict, width, full):
            click.echo(line)
    return starting, show


def _jsonl_progress(name: str):
    """A progress callback printing each checked step as one JSON line."""
    from kexue_sym.derivation import StepResult

    def show(index: int, step: Step, verdict: Verdict) -> None:
        click.echo(json.dumps({"derivation": name, **StepResult(index, step, verdict).to_json()}))
    return show


class _OneLineErrors(click.Group):
    """click's usage errors as one line (``kexue-sym: error: ...``) and exit code 2; SIGTERM
    and SIGHUP end the command cleanly (checker children are killed with it)."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                signal.signal(sig, lambda number, _frame: sys.exit(128 + number))
            except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGHUP
                pass
        try:
            code = super().main(args, prog_name or "kexue-sym", complete_var,
                                standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "kexue-sym"
            _fail(f"{exc.format_message()} (see '{command} --help')")
        except click.ClickException as exc:
            _fail(exc.format_message())
        except click.Abort:
            _fail("aborted", code=1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kexue-sym")
def main() -> None:
    """Machine-checked derivations from Scientific Spaces (kexue.fm)."""


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List the derivations."""
    entries = registry.entries()
    if as_json:
        click.echo(json.dumps([{"name": e.name, "title": e.title, "source": e.source,
                                "crosscheck": e.crosscheck_ref is not None} for e in entries]))
        return
    for e in entries:
        click.echo(f"{e.name:16s} {e.title}  <{e.source}>")


@main.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Verify every registered derivation.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (no progress).")
@click.option("--strict", is_flag=True, help="Fail unless every step is PROVED.")
@click.option("--timeout", type=SECONDS, default=None,
              help="CPU seconds allowed per check (default 20).")
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load derivations from this Python file (your own code).")
@click.option("--full", is_flag=True, help="Show long claims and evidence whole (no eliding).")
@click.option("--jsonl", is_flag=True,
              help="Stream JSON lines: one per step as it is checked, one per derivation.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (one derivation each); the report is the same.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run on the Dask scheduler at ADDRESS (pip install 'kexue-sym[dask]').")
@click.option("--no-cache", is_flag=True, help="Check every step; neither read nor write "
              "the verdict cache.")
def verify(names: tuple[str, ...], all_: bool, as_json: bool, strict: bool,
           timeout: float | None, files: tuple[str, ...], full: bool, jsonl: bool, jobs: int,
           dask_address: str | None, no_cache: bool) -> None:
    """Check every step of the named derivations.

    Verdicts are cached by content (kexue-sym cache info): an unchanged step is not checked
    again, and a cached verdict says so in its evidence.
    """
    from kexue_sym.cache import default_path
    from kexue_sym.runner import Task, run_all

    if as_json and jsonl:
        _fail("give --json or --jsonl, not both")
    entries = _entries(names, all_, files)
    quiet = as_json or jsonl
    cache = None if no_cache else str(default_path())
    tasks = [Task(e.name, tuple(dict.fromkeys(files)), timeout, cache) for e in entries]
    titles = {e.name: e for e in entries}

    def progress_for(name: str, steps: int):
        entry = titles[name]
        if jsonl:
            return None, _jsonl_progress(name)
        if quiet:
            return None, None
        click.echo(f"{entry.name}: {entry.title}  <{entry.source}>")
        return _progress(steps, full)

    def on_report(report: Report) -> None:
        if jsonl:
            click.echo(json.dumps({"derivation": report.name, "ok": report.ok(strict),
                                   "counts": report.counts(), "seconds": round(report.seconds, 4)}))
        elif not as_json:
            click.echo(summary_line(report, strict) + "\n")

    try:
        reports = run_all(tasks, jobs=jobs, dask=dask_address, on_report=on_report,
                          progress_for=progress_for)
    except RuntimeError as exc:
        _fail(str(exc))
    ok = all(r.ok(strict) for r in reports)
    if jsonl:
        sys.exit(0 if ok else 1)
    if as_json:
        click.echo(json.dumps({"derivations": [r.to_json(strict) for r in reports], "ok": ok,
                               "strict": strict}, indent=1))
    else:
        for r in reports:
            for bad in r.results:
                if bad.verdict.status is Status.CHECKED and strict and bad.step.expect is None:
                    click.echo(f"{r.name} step {bad.index} is only CHECKED (--strict): "
                               f"{bad.step.claim()}")
            for bad in r.failures():
                wanted = f" (expected {bad.step.expect.name})" if bad.step.expect else ""
                click.echo(f"{r.name} step {bad.index} {bad.verdict.status.name}{wanted}: "
                           f"{bad.step.claim()}\n    {bad.verdict.summary()}")
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Mutate every registered derivation.")
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load derivations from this Python file (your own code).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (one derivation each).")
@click.option("--timeout", type=SECONDS, default=None,
              help="CPU seconds allowed per mutant check (default 10).")
def mutate(names: tuple[str, ...], all_: bool, files: tuple[str, ...], as_json: bool,
           jobs: int, timeout: float | None) -> None:
    """Mutation testing: small wrong changes to every step, each verified.

    A coefficient changed, a sign flipped, two indices swapped, an exponent changed, a term
    dropped, an inequality reversed, an assumption removed.  Exit 1 if any mutant is accepted
    (PROVED or CHECKED) without being shown equivalent to its original.
    """
    from kexue_sym.runner import Task, mutate_all

    entries = _entries(names, all_, files)
    tasks = [Task(e.name, tuple(dict.fromkeys(files)), timeout) for e in entries]

    def show(r: dict) -> None:
        if as_json:
            return
        rate = f"{100 * r['refuted_rate_of_false']:.1f} %"
        click.echo(f"{r['name']}: {r['mutants']} mutants, {r['refuted']} REFUTED, "
                   f"{r['undecided']} UNDECIDED, {r['accepted']} accepted "
                   f"({r['not_equivalent_accepted']} not shown equivalent); {rate} of the false "
                   f"ones refuted; {r['true_by_numpy']} true by numpy; {r['seconds']:.1f}s")
        for ex in r["accepted_examples"]:
            why = ex["equivalent"] or ("the step holds without this assumption (not needed)"
                                       if ex["kind"] == "assumption removed" and ex["false"]
                                       is not True else
                                       "NOT shown equivalent: a checker or derivation bug?")
            click.echo(f"  step {ex['step']} {ex['kind']} {ex['verdict']}: {ex['claim'][:200]}")
            click.echo(f"      {why}")

    reports = mutate_all(tasks, jobs=jobs, on_result=show)
    bad = sum(r["not_equivalent_accepted"] for r in reports)
    if as_json:
        click.echo(json.dumps({"derivations": reports, "ok": bad == 0}, indent=1))
    sys.exit(0 if bad == 0 else 1)


@main.group()
def cache() -> None:
    """The verdict cache: where it is, how big, and clearing it."""


@cache.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def cache_info(as_json: bool) -> None:
    """Where the verdict cache is and what it holds."""
    from kexue_sym.cache import VerdictCache

    info = VerdictCache().info()
    if as_json:
        click.echo(json.dumps(info))
        return
    state = "" if info.get("usable", True) else " (not usable: 'kexue-sym cache clear' replaces it)"
    click.echo(f"{info['path']}: {info['entries']} verdicts, {info['bytes'] / 1024:.0f} KiB{state}")


@cache.command("clear")
def cache_clear() -> None:
    """Delete the verdict cache (a damaged or foreign file too)."""
    from kexue_sym.cache import VerdictCache

    store = VerdictCache()
    removed = store.clear()
    click.echo(f"removed {store.path} ({removed} verdicts)")


@main.command()
@click.argument("name", required=False)
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="Load derivations from this Python file (your own code).")
@click.option("--standalone", is_flag=True, help="A complete LaTeX document.")
@click.option("--timings", is_flag=True, help="Show the seconds each step took.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE instead of standard output.")
@click.option("--timeout", type=SECONDS, default=None, help="CPU seconds allowed per check.")
def latex(name: str | None, files: tuple[str, ...], standalone: bool, timings: bool,
          output: str | None, timeout: float | None) -> None:
    """Render a derivation, checked, as LaTeX (NAME, or the one derivation of --file)."""
    from kexue_sym.latex import render

    entries = _entries((name,) if name else (), False, files)
    if len(entries) > 1:
        _fail(f"{len(entries)} derivations in {', '.join(files)}: name one of "
              + ", ".join(e.name for e in entries))
    entry = entries[0]
    if output:
        _check_writable(output)  # before the derivation runs, not after
    report = entry.build().run(timeout=timeout)
    text = render(report, standalone=standalone, timings=timings)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror or exc}")
        click.echo(f"wrote {output} ({len(text)} bytes)", err=True)
    else:
        click.echo(text, nl=False)


def _check_writable(path: str) -> None:
    """One-line errors for an output path that cannot be written (missing folder, a folder,
    no permission)."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(folder):
        _fail(f"cannot write {path}: no such directory {folder}")
    if os.path.isdir(path):
        _fail(f"cannot write {path}: it is a directory")
    target = path if os.path.exists(path) else folder
    if not os.access(target, os.W_OK):
        _fail(f"cannot write {path}: permission denied")


@main.command()
@click.argument("name")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              show_default=True, help="Where to run; auto takes CUDA when present.")
@click.option("--quick", is_flag=True, help="Smaller sizes (the test suite's setting).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
def crosscheck(name: str, device: str, quick: bool, as_json: bool) -> None:
    """Hold a derivation's torch closed forms against independent references."""
    try:
        entry = registry.get(name)
    except registry.UnknownDerivation as exc:
        _fail(str(exc))
    if entry.crosscheck is None:
        _fail(f"derivation '{name}' has no numeric cross-check")
    import torch

    if device == "cuda" and not torch.cuda.is_available():
        _fail("--device cuda: CUDA is not available here; use --device cpu or auto")
    devices = ["cpu"] + (["cuda"] if device == "auto" and torch.cuda.is_available() else [])
    if device == "cuda":
        devices = ["cuda"]
    rows = []
    for dev in devices:
        rows.extend(entry.crosscheck(device=dev, quick=quick))
    ok = all(r["ok"] for r in rows)
    if as_json:
        click.echo(json.dumps({"name": name, "ok": ok, "rows": rows}, indent=1))
    else:
        click.echo(f"{'case':34s} {'device':6s} {'dtype':8s} {'n':>4s} {'batch':>6s} "
                   f"{'reference':26s} {'worst err':>10s} {'tol':>8s}  ok")
        for r in rows:
            click.echo(f"{r['case']:34s} {r['device']:6s} {r['dtype']:8s} {r['n']:>4d} "
                       f"{r['batch']:>6d} {r['reference']:26s} {r['worst_error']:>10.2e} "
                       f"{r['tolerance']:>8.1e}  {'yes' if r['ok'] else 'NO'}")
        click.echo(f"{name}: {'ok' if ok else 'FAILED'} ({len(rows)} checks on {', '.join(devices)})")
    sys.exit(0 if ok else 1)


def _read_metric_file(path: str) -> str:
    """The text of a metric file: a regular file (never a FIFO or a device), at most the
    parser's size limit, valid UTF-8; otherwise a one-line error."""
    from kexue_sym.parse import MAX_CHARS

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            _fail(f"cannot read {path}: not a regular file")
        limit = 4 * MAX_CHARS  # bytes: UTF-8 takes at most 4 per character
        data = fh.read(limit + 1)
    if len(data) > limit:
        _fail(f"{path} is larger than {limit} bytes (the parser reads at most {MAX_CHARS} "
              "characters)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{path} is not valid UTF-8 (byte {exc.start})")


def _curvature_job(coords_text: str, metric_text: str) -> dict:
    """Parse, check and compute (in the limited child); usage errors come back as
    ``{"error": message}``."""
    from kexue_sym.parse import ParseError, parse_coords, parse_metric

    try:
        xs = parse_coords(coords_text)
        g = parse_metric(metric_text, xs)
    except ParseError as exc:
        return {"error": str(exc)}
    if g.rows != g.cols:
        return {"error": f"the metric must be square, got {g.rows} x {g.cols}"}
    if g.rows != len(xs):
        return {"error": f"{g.rows} x {g.rows} metric but {len(xs)} coordinates "
                         f"({' '.join(map(str, xs))})"}
    if (g - g.T).applyfunc(lambda e: e.expand()) != g.zeros(g.rows):
        return {"error": "the metric must be symmetric"}
    try:
        return _curvature_report(g, xs)
    except (ZeroDivisionError, ValueError, NotImplementedError) as exc:
        return {"error": str(exc)}


#: a scalar longer than this (characters) is printed with its common subexpressions named
LONG_SCALAR = 240


def _shown(expr) -> dict:
    """How the terminal prints a scalar: as it is, or, when long, with repeated subexpressions
    named (``where c0 = ...``); the JSON always carries the whole expression."""
    import sympy as sp

    text = sp.sstr(expr)
    if len(text) <= LONG_SCALAR:
        return {"value": text, "where": []}
    where, (reduced,) = sp.cse(expr, symbols=sp.numbered_symbols("_cse"))
    # a name is worth it only for a sizeable subexpression: short ones (g**6, M*r**3) go back
    inline, kept = {}, []
    for k, v in where:
        v = v.xreplace(inline)
        if len(sp.sstr(v)) < 24:
            inline[k] = v
        else:
            kept.append((k, v))
    rename = {k: sp.Symbol(f"c{i}") for i, (k, _) in enumerate(kept)}
    reduced = reduced.xreplace(inline).xreplace(rename)
    kept = [(rename[k], v.xreplace(rename)) for k, v in kept]
    shown = sp.sstr(reduced)
    total = len(shown) + sum(len(sp.sstr(v)) for _, v in kept)
    if not kept or total > 0.7 * len(text):
        return {"value": text, "where": []}
    return {"value": shown, "where": [[str(k), sp.sstr(v)] for k, v in kept]}


def _curvature_report(g, coords) -> dict:
    """Everything the riemann command prints, as sympy-parsable strings (runs in a child)."""
    import sympy as sp

    from kexue_sym.riemann import Metric

    m = Metric(g, coords)
    names = [c.name for c in coords]
    riemann = {f"R_{{{' '.join(names[i] for i in idx)}}}": v for idx, v in m.riemann().items()}
    ric = m.ricci()
    ricci = {f"R_{{{names[i]} {names[j]}}}": ric[i, j] for i in range(len(names))
             for j in range(i, len(names)) if ric[i, j] != 0}
    scalar, kretschmann = m.ricci_scalar(), m.kretschmann()
    text = {"coords": names, "path": m.path, "exact": bool(m.curvature.e.exact),
            "generators": [sp.sstr(G) for G in m.generators],
            "general_reason": m.general_reason, "shown": {"ricci_scalar": _shown(scalar),
                                                       "kretschmann": _shown(kretschmann)},
            "ricci_scalar": sp.sstr(scalar), "kretschmann": sp.sstr(kretschmann),
            "riemann": {k: sp.sstr(v) for k, v in riemann.items()},
            "ricci": {k: sp.sstr(v) for k, v in ricci.items()}}
    # indices through sympy's printer: theta -> \theta, x_1 -> x_{1} (never string glue)
    tex = [sp.latex(c) for c in coords]
    latex = {"ricci_scalar": sp.latex(scalar), "kretschmann": sp.latex(kretschmann),
             "riemann": {f"R_{{{' '.join(tex[i] for i in idx)}}}": sp.latex(v)
                         for idx, v in m.riemann().items()},
             "ricci": {f"R_{{{tex[i]} {tex[j]}}}": sp.latex(ric[i, j]) for i in range(len(tex))
                       for j in range(i, len(tex)) if ric[i, j] != 0}}
    return {"text": text, "latex": latex}


@main.command()
@click.option("--coords", required=True, help='Coordinate names, e.g. "t r theta phi".')
@click.option("--metric", "metric_text", help='diag(...) or [[g00, g01], [g10, g11]].')
@click.option("--metric-file", type=click.Path(exists=True, dir_okay=False),
              help="Read the metric expression from FILE.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--latex", "as_latex", is_flag=True, help="Print LaTeX.")
@click.option("--timeout", type=SECONDS, default=300.0, show_default=True,
              help="CPU seconds allowed for the computation.")
def riemann(coords: str, metric_text: str | None, metric_file: str | None, as_json: bool,
            as_latex: bool, timeout: float) -> None:
    """Curvature of your own metric: independent R_abcd, Ricci, scalar, Kretschmann.

    The input is parsed by a restricted parser (kexue_sym.parse): nothing is evaluated as Python.
    """
    from kexue_sym.timeout import CheckMemory, CheckTimeout, ChildError, call_with_timeout

    if (metric_text is None) == (metric_file is None):
        _fail("give exactly one of --metric and --metric-file")
    if metric_file is not None:
        metric_text = _read_metric_file(metric_file)
    # parsing, the checks and the curvature all run in the limited child: nothing a user
    # types is computed without the time and memory limits
    try:
        out = call_with_timeout(_curvature_job, coords, metric_text, seconds=timeout)
    except CheckTimeout:
        _fail(f"timed out after {timeout:g} CPU seconds: no path finished the curvature of "
              "this metric (raise --timeout to wait longer)")
    except CheckMemory as exc:
        _fail(f"the curvature computation ran {exc}; the metric is too large for this machine")
    except ChildError as exc:
        _fail(f"the curvature computation failed: {exc}")
    if "error" in out:
        _fail(out["error"])
    if as_json:
        click.echo(json.dumps({k: v for k, v in out["text"].items() if k != "shown"}, indent=1))
        return
    if as_latex:
        lat = out["latex"]
        for k, v in {**lat["riemann"], **lat["ricci"]}.items():
            click.echo(f"{k} = {v} \\\\")
        click.echo(f"R = {lat['ricci_scalar']} \\\\")
        click.echo(f"R_{{abcd}}R^{{abcd}} = {lat['kretschmann']}")
        return
    text = out["text"]
    if text.get("path") == "general":
        click.echo(f"(general path: {text['general_reason']} is outside the differential field, "
                   "so plain sympy with cancel on every component; a zero may stay unrecognised)")
    elif text.get("path") == "field":
        exactness = ("exact" if text["exact"] else
                     "every result an identity, a zero may stay unrecognised")
        click.echo(f"(field path, generators {', '.join(text['generators'])}: {exactness})")
    click.echo("independent non-zero R_abcd:" if text["riemann"] else "R_abcd = 0 (flat)")
    for k, v in text["riemann"].items():
        click.echo(f"  {k} = {v}")
    click.echo("Ricci tensor (non-zero, upper triangle):" if text["ricci"] else "Ricci tensor = 0")
    for k, v in text["ricci"].items():
        click.echo(f"  {k} = {v}")
    for label, key in (("Ricci scalar R", "ricci_scalar"),
                       ("Kretschmann R_abcd R^abcd", "kretschmann")):
        shown = text["shown"][key]
        click.echo(f"{label} = {shown['value']}")
        if shown["where"]:
            click.echo("  where " + ",\n        ".join(f"{k} = {v}" for k, v in shown["where"]))


if __name__ == "__main__":
    main()
