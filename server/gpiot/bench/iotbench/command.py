"""`gpiot bench iot`: the command line over the loader, runner and report (thin)."""

from __future__ import annotations

import argparse
import platform
import shlex
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

from rich.console import Console

from gpiot.settings import Settings

if TYPE_CHECKING:
    from gpiot.bench.iotbench.tasks import Benchmark

# The checkpoint lives beside the report it feeds: committed with it, a clean clone resumes the run.
CHECKPOINT_NAME = "iotbench.jsonl"
DEFAULT_REPORT_DIR = "docs/bench"
KINDS = ("spec", "td", "app")
SUBSETS = ("quick", "full")
FULL_SAMPLES: Final = 5
# --subset quick: a fixed selection that finishes in about 15 minutes on 2 cores per configuration.
# At most this many tasks of each kind (spec tasks spread over categories, TD tasks over
# modalities), one CG sample per spec task, and no applications unless --kinds asks for them.
QUICK_LIMITS: Final = {"spec": 6, "td": 4, "app": 1}
QUICK_KINDS: Final = ("spec", "td")
QUICK_SAMPLES: Final = 1
T = TypeVar("T")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--configs",
        help="comma-separated configurations (default: all; missing components are skipped): "
        "base, base+retrieval, base+adapters, base+repair, retrieval+repair, full, full-no-repair",
    )
    parser.add_argument(
        "--subset",
        choices=SUBSETS,
        default="full",
        help="full: every task, 5 samples (default); quick: 6 spec tasks from different "
        "categories, 4 TD tasks, no apps, 1 sample (about 15 min per configuration on 2 cores); "
        "--samples, --limit, --tasks and --kinds given explicitly override the subset's choice",
    )
    parser.add_argument(
        "--samples", type=int, help=f"CG samples per spec task (full: {FULL_SAMPLES}, quick: 1)"
    )
    parser.add_argument(
        "--limit", type=int, help="at most N tasks of each kind (spread over spec categories)"
    )
    parser.add_argument("--tasks", help="comma-separated task ids (any kind)")
    parser.add_argument("--kinds", help="task kinds: spec,td,app (full: all three; quick: spec,td)")
    parser.add_argument("--temperature", type=float, default=0.4, help="CG sampling temperature")
    parser.add_argument(
        "--checkpoint",
        help=f"JSONL checkpoint (default: {CHECKPOINT_NAME} in the --report folder, so the "
        "report's rows travel with it and a run resumes on another machine)",
    )
    resume = parser.add_mutually_exclusive_group()
    resume.add_argument(
        "--resume",
        dest="fresh",
        action="store_false",
        default=False,
        help="skip units already in the checkpoint (default)",
    )
    resume.add_argument(
        "--fresh",
        dest="fresh",
        action="store_true",
        help="start a new checkpoint (the old one is kept as .old)",
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="write the report from the checkpoint without running the model",
    )
    parser.add_argument(
        "--verify-references",
        action="store_true",
        help="no model: run every reference through the harness's sandbox and exit",
    )
    parser.add_argument(
        "--report",
        metavar="DIR",
        default=DEFAULT_REPORT_DIR,
        help="report folder: iotbench.json, iotbench.md and PNG plots (default docs/bench)",
    )
    parser.add_argument("--tasks-dir", help="IoTBench folder (default knowledge/iotbench)")


def spread(items: Sequence[T], group: Callable[[T], Any]) -> list[T]:
    """Round-robin over groups (in sorted group order), so a prefix covers every group."""
    groups: dict[Any, list[T]] = {}
    for item in items:
        groups.setdefault(group(item), []).append(item)
    ordered = [groups[k] for k in sorted(groups)]
    out: list[T] = []
    for i in range(max((len(g) for g in ordered), default=0)):
        out += [g[i] for g in ordered if i < len(g)]
    return out


def select_tasks(full: Benchmark, args: argparse.Namespace) -> tuple[Benchmark, int]:
    """The tasks and the number of CG samples per spec task that a run covers.

    ``--subset`` picks the defaults; --samples, --limit, --tasks and --kinds, when given
    (not None), win over them. Raises GpiotError on a bad option value."""
    from gpiot.bench.iotbench.tasks import Benchmark
    from gpiot.errors import GpiotError

    quick = args.subset == "quick"
    samples = args.samples
    if samples is None:
        samples = QUICK_SAMPLES if quick else FULL_SAMPLES
    if samples < 1:
        raise GpiotError("--samples must be at least 1")
    if args.limit is not None and args.limit < 0:
        raise GpiotError("--limit must not be negative")
    if args.kinds is not None:
        kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
    else:
        kinds = set(QUICK_KINDS if quick else KINDS)
    if not kinds or kinds - set(KINDS):
        raise GpiotError(f"--kinds takes {', '.join(KINDS)}")
    spec = spread(full.spec, lambda t: t.category) if "spec" in kinds else []
    td = full.decomposition if "td" in kinds else []
    if quick:
        td = spread(td, lambda t: t.modality)
    apps = full.apps if "app" in kinds else []
    if args.tasks:
        wanted = {t.strip() for t in args.tasks.split(",") if t.strip()}
        known = {t.id for t in full.spec} | {t.id for t in full.decomposition}
        known |= {t.id for t in full.apps}
        if wanted - known:
            raise GpiotError(f"unknown task id(s): {', '.join(sorted(wanted - known))}")
        spec = [t for t in spec if t.id in wanted]
        td = [t for t in td if t.id in wanted]
        apps = [t for t in apps if t.id in wanted]
    if args.limit is not None:
        spec, td, apps = spec[: args.limit], td[: args.limit], apps[: args.limit]
    elif quick and not args.tasks:
        spec = spec[: QUICK_LIMITS["spec"]]
        td = td[: QUICK_LIMITS["td"]]
        apps = apps[: QUICK_LIMITS["app"]]
    # Spec tasks stay round-robin over categories, so a run stopped part-way (the full run spans
    # sessions) has covered every category about equally.
    selected = Benchmark(
        spec,
        sorted(td, key=lambda t: t.id),
        sorted(apps, key=lambda t: t.id),
    )
    return selected, samples


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def run_iot(args: argparse.Namespace, settings: Settings, out: Console, err: Console) -> int:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from gpiot.bench.iotbench.checkpoint import open_checkpoint
    from gpiot.bench.iotbench.configs import adapters_missing, select_configs, skip_reason
    from gpiot.bench.iotbench.report import build_report, print_report, write_report
    from gpiot.bench.iotbench.runner import Runner, Unit, header, plan_units
    from gpiot.bench.iotbench.tasks import IOTBENCH_DIR, load_benchmark
    from gpiot.errors import Cancelled, GpiotError
    from gpiot.retrieval.hook import NoRetrieval, Retriever
    from gpiot.runtime.engine import resolve_model_path

    if Path(args.report).suffix.lower() in (".md", ".json", ".png"):
        raise GpiotError(
            f"--report takes a folder, not a file ({args.report})",
            "the folder receives iotbench.json, iotbench.md and the PNG plots",
        )
    full = load_benchmark(Path(args.tasks_dir) if args.tasks_dir else IOTBENCH_DIR)
    benchmark, samples = select_tasks(full, args)
    if args.verify_references:
        return _verify(benchmark, out)
    configs = select_configs(args.configs)

    # --report-only runs nothing, so it needs neither the adapters nor the knowledge index (which a
    # run in progress holds open): every configuration is reported from the rows it has.
    running = not args.report_only
    adapters_problem = None
    if running and any(c.adapters for c in configs):
        adapters_problem = adapters_missing(settings)
    retriever: Retriever = NoRetrieval()
    retrieval_problem: str | None = None
    if running and getattr(args, "no_retrieval", False):
        retrieval_problem = "--no-retrieval was given"
    elif running and any(c.retrieval for c in configs):
        from gpiot.retrieval.search import open_retriever

        retriever, retrieval_problem = open_retriever(settings)
    skipped = {
        c.name: reason
        for c in configs
        if (reason := skip_reason(c, adapters_problem, retrieval_problem))
    }
    for name, reason in skipped.items():
        err.print(f"[yellow]skipping {name}:[/] {reason}")
    runnable = [c for c in configs if c.name not in skipped]

    model_name = resolve_model_path(settings).name
    checkpoint = open_checkpoint(
        Path(args.checkpoint) if args.checkpoint else Path(args.report) / CHECKPOINT_NAME,
        header(settings, args.temperature, model_name),
        fresh=args.fresh and not args.report_only,
        report_only=args.report_only,
    )
    checkpoint.host = f"{_cpu_name()}, {settings.threads} threads"
    plan = plan_units(benchmark, runnable, samples)
    runner = Runner(settings, benchmark, checkpoint, retriever, args.temperature)
    if not args.report_only and plan.units:
        done = sum(checkpoint.done(u.key, u.task_hash) for _, u in plan.units)
        err.print(
            f"IoTBench: {len(plan.units)} units ({done} already in {checkpoint.path}); "
            f"configs {', '.join(c.name for c in runnable) or 'none'}"
        )
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=err,
        ) as progress:
            bar = progress.add_task("starting", total=len(plan.units))

            def started(unit: Unit) -> None:
                progress.update(
                    bar, description=f"{unit.config} {unit.kind} {unit.task} #{unit.sample}"
                )

            def finished(unit: Unit, skipped_unit: bool) -> None:
                progress.advance(bar)
                if not skipped_unit:
                    progress.console.print(_unit_line(unit, checkpoint.rows[unit.key]))

            try:
                runner.run(plan, on_unit=finished, on_start=started)
            except KeyboardInterrupt:
                runner.cancel.cancel("interrupted")
                raise Cancelled(
                    f"interrupted; finished units are in {checkpoint.path}; "
                    "rerun the same command to resume"
                ) from None

    from gpiot.retrieval.embedder import EMBEDDER_ID

    rows = checkpoint.select(u.key for _, u in plan.units)
    context = {
        "command": "gpiot " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cpu": _cpu_name(),
            "threads": settings.threads,
            "python": platform.python_version(),
        },
        "model": model_name,
        "settings": checkpoint.header,
        "embedder": runner.embeddings.id if runner.embeddings.id != "unavailable" else EMBEDDER_ID,
        "embedder_problem": runner.embeddings.problem,
        "subset": args.subset,
        "tasks": {
            "spec": len(benchmark.spec),
            "td": len(benchmark.decomposition),
            "app": len(benchmark.apps),
        },
        "samples": samples,
        "units_planned": len(plan.units),
        "units_reported": len(rows),
        "rows_by_host": dict(Counter(str(r.get("host", "not recorded")) for r in rows)),
        "checkpoint": str(checkpoint.path),
    }
    report = build_report(rows, configs, skipped, context)
    print_report(report, out)
    written = write_report(report, Path(args.report))
    out.print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _unit_line(unit: Any, row: dict[str, Any]) -> str:
    where = f"{unit.config} {unit.kind} {unit.task} #{unit.sample}"
    seconds = f"{row.get('wall_s', 0):.0f} s"
    if unit.kind == "spec":
        if row.get("error"):
            return f"[red]✗[/] {where}: {row['error']} ({seconds})"
        mark = "[green]✓[/]" if row.get("passed") else "[red]✗[/]"
        status = row.get("test_status", "")
        detail = (row.get("test_detail") or "")[:100]
        return f"{mark} {where}: {status} {detail} ({seconds})".replace("  ", " ")
    if unit.kind == "td":
        bleu = row.get("bleu4")
        comp = row.get("completeness")
        return (
            f"{'[green]✓[/]' if row.get('format_ok') else '[red]✗[/]'} {where}: "
            f"BLEU-4 {bleu if bleu is None else round(bleu, 3)}, "
            f"completeness {comp if comp is None else round(comp, 2)} ({seconds})"
        )
    mark = "[green]✓[/]" if row.get("ran") else "[red]✗[/]"
    return f"{mark} {where}: ran={row.get('ran')} {row.get('scores')} {row.get('detail', '')[:100]}"


def _verify(benchmark: Any, out: Console) -> int:
    from gpiot.bench.iotbench.verify import verify_references

    verdicts = verify_references(benchmark)
    for v in verdicts:
        mark = "[green]✓[/]" if v.ok else "[red]✗[/]"
        out.print(f"{mark} {v.kind} {v.task}: {v.detail}")
    failed = sum(not v.ok for v in verdicts)
    out.print(f"{len(verdicts) - failed} of {len(verdicts)} references pass through the harness")
    return 1 if failed else 0
