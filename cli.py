"""The ``kexue-sym`` command: a thin click layer over :mod:`kexue_sym`.

    kexue-sym list
    kexue-sym verify NAME... | --all [--json] [--strict] [--timeout S] [--file PATH]
    kexue-sym latex NAME [--standalone] [-o FILE]
    kexue-sym crosscheck NAME [--device auto|cpu|cuda] [--quick] [--json]

Exit codes: 0 every step PROVED or CHECKED (only PROVED with --strict), 1 a step REFUTED or
UNDECIDED (or a failed cross-check), 2 a usage error, reported on one line with a suggestion.
"""
from __future__ import annotations

import json
import shutil
import sys
import time

import click

from kexue_sym import registry
from kexue_sym.derivation import Report, Step
from kexue_sym.verdict import Status, Verdict

_MARK = {Status.PROVED: "PROVED   ", Status.CHECKED: "CHECKED  ", Status.REFUTED: "REFUTED  ",
         Status.UNDECIDED: "UNDECIDED"}


def _fail(message: str) -> None:
    """A usage error: one line on stderr, exit code 2."""
    click.echo(f"kexue-sym: error: {message}", err=True)
    sys.exit(2)


def _entries(names: tuple[str, ...], all_: bool, files: tuple[str, ...]) -> list[registry.Entry]:
    chosen: list[registry.Entry] = []
    for path in files:
        try:
            loaded = registry.load_file(path)
        except (OSError, ImportError, SyntaxError, registry.DuplicateDerivation) as exc:
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
    return chosen


def _width() -> int:
    return max(60, shutil.get_terminal_size((120, 20)).columns)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _progress(total: int):
    width = _width()

    def show(index: int, step: Step, verdict: Verdict) -> None:
        head = f"  [{index:>{len(str(total))}}/{total}] {_MARK[verdict.status]} {verdict.seconds:6.2f}s  "
        click.echo(head + _short(step.claim(), width - len(head)))
        pad = " " * (len(str(total)) * 2 + 7)
        click.echo(_short(f"{pad}by {step.by}", width))
        evidence = f"{pad}{verdict.summary()}"
        click.echo(evidence if not verdict.ok else _short(evidence, width))
    return show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
                                "crosscheck": e.crosscheck is not None} for e in entries]))
        return
    for e in entries:
        click.echo(f"{e.name:16s} {e.title}  <{e.source}>")


@main.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Verify every registered derivation.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (no progress).")
@click.option("--strict", is_flag=True, help="Fail unless every step is PROVED.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds allowed per check (default 20).")
@click.option("--file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="Also load derivations from this Python file (your own code).")
def verify(names: tuple[str, ...], all_: bool, as_json: bool, strict: bool,
           timeout: float | None, files: tuple[str, ...]) -> None:
    """Check every step of the named derivations."""
    entries = _entries(names, all_, files)
    reports: list[Report] = []
    for entry in entries:
        if not as_json:
            click.echo(f"{entry.name}: {entry.title}  <{entry.source}>")
        start = time.perf_counter()
        derivation = entry.build()
        progress = None if as_json else _progress(len(derivation.steps))
        report = derivation.run(timeout=timeout, progress=progress)
        report.seconds = time.perf_counter() - start  # building counts too
        reports.append(report)
        if not as_json:
            counts = ", ".join(f"{v} {k}" for k, v in report.counts().items() if v)
            verdict = "ok" if report.ok(strict) else "FAILED"
            click.echo(f"{entry.name}: {verdict} ({counts}) in {report.seconds:.2f}s\n")
    ok = all(r.ok(strict) for r in reports)
    if as_json:
        click.echo(json.dumps({"derivations": [r.to_json(strict) for r in reports], "ok": ok,
                               "strict": strict}, indent=1))
    else:
        for r in reports:
            for bad in r.results:
                if bad.verdict.status is Status.CHECKED and strict:
                    click.echo(f"{r.name} step {bad.index} is only CHECKED (--strict): "
                               f"{bad.step.claim()}")
            for bad in r.failures():
                click.echo(f"{r.name} step {bad.index} {bad.verdict.status.name}: "
                           f"{bad.step.claim()}\n    {bad.verdict.summary()}")
    sys.exit(0 if ok else 1)


@main.command()
@click.argument("name")
@click.option("--standalone", is_flag=True, help="A complete LaTeX document.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE instead of standard output.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None)
def latex(name: str, standalone: bool, output: str | None, timeout: float | None) -> None:
    """Render a derivation, checked, as LaTeX."""
    from kexue_sym.latex import render

    try:
        entry = registry.get(name)
    except registry.UnknownDerivation as exc:
        _fail(str(exc))
    report = entry.build().run(timeout=timeout)
    text = render(report, standalone=standalone)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        click.echo(f"wrote {output} ({len(text)} bytes)", err=True)
    else:
        click.echo(text, nl=False)


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
    text = {"coords": names, "ricci_scalar": sp.sstr(scalar), "kretschmann": sp.sstr(kretschmann),
            "riemann": {k: sp.sstr(v) for k, v in riemann.items()},
            "ricci": {k: sp.sstr(v) for k, v in ricci.items()}}
    latex = {"ricci_scalar": sp.latex(scalar), "kretschmann": sp.latex(kretschmann),
             "riemann": {k: sp.latex(v) for k, v in riemann.items()},
             "ricci": {k: sp.latex(v) for k, v in ricci.items()}}
    return {"text": text, "latex": latex}


@main.command()
@click.option("--coords", required=True, help='Coordinate names, e.g. "t r theta phi".')
@click.option("--metric", "metric_text", help='diag(...) or [[g00, g01], [g10, g11]].')
@click.option("--metric-file", type=click.Path(exists=True, dir_okay=False),
              help="Read the metric expression from FILE.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--latex", "as_latex", is_flag=True, help="Print LaTeX.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True)
def riemann(coords: str, metric_text: str | None, metric_file: str | None, as_json: bool,
            as_latex: bool, timeout: float) -> None:
    """Curvature of your own metric: independent R_abcd, Ricci, scalar, Kretschmann.

    The input is parsed by a restricted parser (kexue_sym.parse): nothing is evaluated as Python.
    """
    from kexue_sym.parse import ParseError, parse_coords, parse_metric
    from kexue_sym.timeout import CheckTimeout, ChildError, call_with_timeout

    if (metric_text is None) == (metric_file is None):
        _fail("give exactly one of --metric and --metric-file")
    if metric_file is not None:
        with open(metric_file, encoding="utf-8") as fh:
            metric_text = fh.read()
    try:
        xs = parse_coords(coords)
        g = parse_metric(metric_text, xs)
    except ParseError as exc:
        _fail(str(exc))
    if g.rows != g.cols:
        _fail(f"the metric must be square, got {g.rows} x {g.cols}")
    if g.rows != len(xs):
        _fail(f"{g.rows} x {g.rows} metric but {len(xs)} coordinates ({' '.join(map(str, xs))})")
    if (g - g.T).applyfunc(lambda e: e.expand()) != g.zeros(g.rows):
        _fail("the metric must be symmetric")
    try:
        out = call_with_timeout(_curvature_report, g, xs, seconds=timeout)
    except CheckTimeout:
        click.echo(f"kexue-sym: curvature not finished within {timeout:g} s (--timeout)", err=True)
        sys.exit(1)
    except ChildError as exc:
        message = str(exc)
        if message.startswith(("ZeroDivisionError", "ValueError", "NotImplementedError")):
            _fail(message.split(": ", 1)[1])
        raise
    if as_json:
        click.echo(json.dumps(out["text"], indent=1))
        return
    if as_latex:
        lat = out["latex"]
        for k, v in {**lat["riemann"], **lat["ricci"]}.items():
            click.echo(f"{k} = {v} \\\\")
        click.echo(f"R = {lat['ricci_scalar']} \\\\")
        click.echo(f"R_{{abcd}}R^{{abcd}} = {lat['kretschmann']}")
        return
    text = out["text"]
    click.echo("independent non-zero R_abcd:" if text["riemann"] else "R_abcd = 0 (flat)")
    for k, v in text["riemann"].items():
        click.echo(f"  {k} = {v}")
    click.echo("Ricci tensor (non-zero, upper triangle):" if text["ricci"] else "Ricci tensor = 0")
    for k, v in text["ricci"].items():
        click.echo(f"  {k} = {v}")
    click.echo(f"Ricci scalar R = {text['ricci_scalar']}")
    click.echo(f"Kretschmann R_abcd R^abcd = {text['kretschmann']}")


if __name__ == "__main__":
    main()
