"""`gpiot` command line: decompose, spec, generate, model, bench, knowledge."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from gpiot import __version__
from gpiot.bench.iotbench.command import add_arguments as add_iot_arguments
from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled, GpiotError
from gpiot.pipeline.events import (
    CodeReady,
    DecompositionReady,
    Event,
    FileWritten,
    ProblemFound,
    SpecReady,
    StageStarted,
    stage_text,
)
from gpiot.pipeline.statement import StatementError, check_statement, extract_statement
from gpiot.pipeline.workspace import Workspace
from gpiot.retrieval.commands import add_knowledge_parser
from gpiot.retrieval.hook import NoRetrieval, Retriever
from gpiot.runtime.engine import Runtime
from gpiot.settings import Settings, from_env
from gpiot.tuning.cli import add_tune_parser

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


def _settings(args: argparse.Namespace) -> Settings:
    settings, problems = from_env()
    for problem in problems:
        err.print(f"[yellow]warning:[/] {problem}")
    flags = {
        "model": args.model,
        "adapters_dir": args.adapters,
        "threads": args.threads,
        "context_size": args.context_size,
        "repair_attempts": getattr(args, "repair_attempts", None),
        "smoke_run": False if getattr(args, "no_smoke", False) else None,
    }
    settings, problems = settings.with_values({k: v for k, v in flags.items() if v is not None})
    if problems:
        raise GpiotError("; ".join(problems))
    return settings


@contextmanager
def _model_progress(quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A byte progress bar, shown only if the model has to be assembled or verified."""
    with Progress(
        TextColumn("[bold]preparing model"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task("model", total=None, visible=False)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total, visible=True)

        yield update


def _load_runtime(settings: Settings, quiet: bool) -> Runtime:
    with _model_progress(quiet) as update:
        runtime = Runtime.load(settings, update)
    if runtime.adapter_problem:
        err.print(f"[yellow]{runtime.adapter_problem}[/]")
    return runtime


class _Reporter:
    """Renders pipeline events on stderr as a live status line plus a log of what happened."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.status = err.status("starting", spinner="dots") if not quiet else None

    def __enter__(self) -> _Reporter:
        if self.status:
            self.status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.status:
            self.status.stop()

    def __call__(self, event: Event) -> None:
        if self.quiet:
            return
        match event:
            case StageStarted():
                self._status(stage_text(event))
            case DecompositionReady(decomposition=dec):
                err.print(f"[green]✓[/] decomposed into {len(dec.subtasks)} sub-tasks")
                for i, task in enumerate(dec.subtasks, 1):
                    err.print(f"    {i}. {task.name}")
            case SpecReady(index=i, total=n, spec=spec):
                err.print(f"[green]✓[/] spec {i}/{n}: {spec.signature[4:-1]}")
            case CodeReady(index=i, total=n, function=f, validated=ok, attempts=a, smoke=s):
                mark = "[green]✓[/]" if ok else "[red]✗[/]"
                verdict = "validated" if ok else "failed validation, written as a stub"
                err.print(f"{mark} code {i}/{n}: {f} {verdict} ({a} attempt(s); smoke run {s})")
            case FileWritten(path=p, action=a):
                err.print(f"    {a}: {p}")
            case ProblemFound(message=m, severity=sev):
                colour = "red" if sev == "error" else "yellow"
                err.print(f"    [{colour}]{sev}:[/] {m}")

    def _status(self, text: str) -> None:
        if self.status:
            self.status.update(text)


@contextmanager
def _model_session(
    settings: Settings, quiet: bool, kept: str
) -> Iterator[tuple[Runtime, CancelToken, _Reporter]]:
    """Load the runtime, report progress, turn Ctrl-C into a cancel, and always close."""
    cancel = CancelToken()
    runtime = _load_runtime(settings, quiet)
    try:
        with _Reporter(quiet) as report:
            yield runtime, cancel, report
    except KeyboardInterrupt:
        cancel.cancel("interrupted")
        raise Cancelled(f"interrupted; {kept}") from None
    finally:
        runtime.close()


def _retriever(args: argparse.Namespace, settings: Settings) -> Retriever:
    """The knowledge retriever, or NoRetrieval (with a printed reason) when it cannot open."""
    if getattr(args, "no_retrieval", False):
        return NoRetrieval()
    from gpiot.retrieval.search import open_retriever

    retriever, problem = open_retriever(settings)
    if problem:
        err.print(f"[yellow]running without retrieval:[/] {problem}")
    return retriever


def _read_statement(args: argparse.Namespace) -> tuple[Workspace, str, str]:
    """(workspace, app file relative to it, statement) from FILE or --text."""
    if args.text:
        statement = check_statement(args.text)
        app = Path(args.app or "app.py")
    elif args.file:
        app = Path(args.file)
        try:
            source = app.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GpiotError(f"cannot read {app}: {exc}") from exc
        statement = extract_statement(source)
    else:
        raise GpiotError("give a FILE or --text", "e.g. gpiot decompose app.py")
    app = app.resolve()
    if args.workspace:
        root = Path(args.workspace).resolve()
    else:
        cwd = Path.cwd().resolve()
        root = cwd if app.is_relative_to(cwd) else app.parent
    workspace = Workspace(root)
    return workspace, workspace.relative(app), statement


def cmd_decompose(args: argparse.Namespace) -> int:
    from gpiot.pipeline.run import run_app

    workspace, app, statement = _read_statement(args)
    settings = _settings(args)
    with _model_session(settings, args.json, "files written so far are kept") as session:
        runtime, cancel, report = session
        retriever = _retriever(args, settings)
        result = run_app(
            runtime,
            settings,
            workspace,
            app,
            statement,
            code=not args.specs_only,
            force=args.force,
            retriever=retriever,
            cancel=cancel,
            on_event=report,
        )
    folder = workspace.root / result.folder
    validated = sum(o.status == "validated" for o in result.outcomes)
    if args.json:
        out.print_json(
            json.dumps(
                {
                    "app": result.app_file,
                    "folder": str(folder),
                    "seconds": round(result.seconds, 1),
                    "decomposition": result.decomposition.to_dict(),
                    "subtasks": [
                        {
                            "path": o.path,
                            "status": o.status,
                            "action": o.action,
                            "attempts": o.attempts,
                            "problems": o.problems,
                            "spec": o.spec.to_dict(),
                        }
                        for o in result.outcomes
                    ],
                    "files": result.extra_files,
                }
            )
        )
    else:
        out.print(
            f"[bold]Generated {len(result.outcomes)} sub-tasks ({validated} validated) in "
            f"{result.seconds:.0f} s:[/] {folder}"
        )
    return 0


def cmd_spec(args: argparse.Namespace) -> int:
    from gpiot.pipeline.stages import decompose, specify

    _, _, statement = _read_statement(args)
    settings = _settings(args)
    specs = []
    with _model_session(settings, args.json, "nothing was written") as session:
        runtime, cancel, report = session
        retriever = _retriever(args, settings)
        report(StageStarted("decompose"))
        dec = decompose(runtime, statement, cancel)
        report(DecompositionReady(dec))
        available: list[Any] = []
        taken: set[str] = set()
        for i, task in enumerate(dec.subtasks):
            report(StageStarted("spec", i + 1, len(dec.subtasks), task.name))
            spec = specify(runtime, dec, i, available, retriever, cancel, taken)
            taken.add(spec.function)
            available += [*spec.inputs, *spec.outputs]
            specs.append(spec)
    if args.json:
        out.print_json(
            json.dumps({"decomposition": dec.to_dict(), "specs": [s.to_dict() for s in specs]})
        )
    else:
        for i, (task, spec) in enumerate(zip(dec.subtasks, specs, strict=True), 1):
            out.rule(f"{i}. {task.name} — {spec.function}")
            out.print(spec.to_markdown(), markup=False)
    return 0


def cmd_generate(args: argparse.Namespace) -> int:
    from gpiot.pipeline.fill import fill_stubs

    settings = _settings(args)
    workspace = Workspace(Path(args.workspace or Path.cwd()).resolve())
    paths = [Path(p) for p in args.paths]
    with _model_session(settings, args.json, "files filled so far are kept") as session:
        runtime, cancel, report = session
        retriever = _retriever(args, settings)
        results = fill_stubs(runtime, settings, workspace, paths, cancel, report, retriever)
    if args.json:
        out.print_json(json.dumps([r.to_dict() for r in results]))
    else:
        filled = sum(r.filled for r in results)
        out.print(f"[bold]Filled {filled} of {sum(r.stubs for r in results)} stub(s)[/]")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    from gpiot.model.status import model_status

    settings = _settings(args)
    with _model_progress(args.json) as update:
        status = model_status(settings, verify=args.verify, load=not args.no_load, progress=update)
    if args.json:
        out.print_json(json.dumps(status.to_dict()))
    else:
        for key, value in status.rows():
            out.print(f"[bold]{key:>14}[/]  {value}", markup=True)
    return 0 if status.ok else EXIT_ERROR


def cmd_bench(args: argparse.Namespace) -> int:
    from gpiot.bench.perf import run_perf

    settings = _settings(args)
    run_perf(settings, Path(args.output), quick=args.quick, console=out)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import logging

    from gpiot.lsp import create_server

    logging.basicConfig(
        filename=args.log_file,
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )  # never stdout: in stdio mode it carries the protocol
    server = create_server()
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not host or not port.isdigit():
            raise GpiotError(f"--tcp wants HOST:PORT, got {args.tcp!r}")
        server.start_tcp(host, int(port))
    else:
        server.start_io()
    return 0


def cmd_bench_iot(args: argparse.Namespace) -> int:
    from gpiot.bench.iotbench.command import run_iot

    return run_iot(args, _settings(args), out, err)


def cmd_bench_lsp(args: argparse.Namespace) -> int:
    from gpiot.bench.lsp import run_lsp_bench

    run_lsp_bench(_settings(args), Path(args.output), out)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gpiot", description="Local IoT program synthesis with small language models."
    )
    parser.add_argument("--version", action="version", version=f"gpiot {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", help="GGUF path or packaged model key (env GPIOT_MODEL)")
    common.add_argument("--adapters", help="adapters folder with manifest.json")
    common.add_argument("--threads", type=int, help="CPU threads for llama.cpp")
    common.add_argument("--context-size", type=int, help="tokens per role context")
    common.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    sub = parser.add_subparsers(dest="command", required=True)

    def statement_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("file", nargs="?", help="Python file whose top comment is the statement")
        p.add_argument("--text", help="the problem statement itself instead of a file")
        p.add_argument("--app", help="with --text: the app file name to generate for (app.py)")
        p.add_argument("--workspace", help="workspace root (default: the current folder)")

    codegen = argparse.ArgumentParser(add_help=False)
    codegen.add_argument("--repair-attempts", type=int, help="repairs after a failed check")
    codegen.add_argument("--no-smoke", action="store_true", help="skip the sandboxed smoke run")
    codegen.add_argument(
        "--no-retrieval", action="store_true", help="do not use the knowledge index"
    )

    p = sub.add_parser("decompose", parents=[common, codegen], help="statement → sub-task files")
    statement_args(p)
    p.add_argument("--specs-only", action="store_true", help="write specs with stubs, no code")
    p.add_argument("--force", action="store_true", help="overwrite edited files (after a backup)")
    p.set_defaults(func=cmd_decompose)

    p = sub.add_parser("spec", parents=[common], help="statement → printed specs (no files)")
    statement_args(p)
    p.add_argument("--no-retrieval", action="store_true", help="do not use the knowledge index")
    p.set_defaults(func=cmd_spec)

    p = sub.add_parser("generate", parents=[common, codegen], help="fill stubs in sub-task files")
    p.add_argument("paths", nargs="+", help="sub-task files or folders")
    p.add_argument("--workspace", help="workspace root (default: the current folder)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("model", parents=[common], help="show and verify the configured model")
    p.add_argument("--verify", action="store_true", help="re-hash the model file")
    p.add_argument("--no-load", action="store_true", help="do not test-load it in llama.cpp")
    p.set_defaults(func=cmd_model)

    p = sub.add_parser("serve", help="the language server (stdio unless --tcp)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio")
    p.add_argument("--log-file", help="write the server log here (default: stderr)")
    p.add_argument("--verbose", action="store_true", help="debug logging")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("bench", parents=[common], help="benchmarks")
    bench = p.add_subparsers(dest="bench", required=True)
    b = bench.add_parser("perf", parents=[common], help="speed and memory of the runtime")
    b.add_argument("--output", default="docs/bench/perf.json", help="where to write the JSON")
    b.add_argument("--quick", action="store_true", help="one example instead of all")
    b.set_defaults(func=cmd_bench)
    b = bench.add_parser("lsp", parents=[common], help="server latency during a decomposition")
    b.add_argument("--output", default="docs/bench/lsp.json", help="where to write the JSON")
    b.set_defaults(func=cmd_bench_lsp)
    b = bench.add_parser("iot", parents=[common, codegen], help="IoTBench: quality of generation")
    add_iot_arguments(b)
    b.set_defaults(func=cmd_bench_iot)

    add_knowledge_parser(sub)
    add_tune_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except Cancelled as exc:
        err.print(f"[yellow]cancelled:[/] {exc.message}")
        return EXIT_CANCELLED
    except (GpiotError, StatementError) as exc:
        err.print(f"[red]error:[/] {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err.print("[yellow]cancelled[/]")
        return EXIT_CANCELLED


if __name__ == "__main__":
    sys.exit(main())
