"""``gpiot knowledge build|query|eval|status``: thin commands over the retrieval modules.

Importing this module is cheap (the CLI imports it at start): torch, sentence-transformers and
qdrant-client load inside the commands.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from gpiot.errors import GpiotError
from gpiot.retrieval import store
from gpiot.retrieval.corpus import EVAL_DIR, NOTES_DIR, load_notes
from gpiot.retrieval.index import BuildReport
from gpiot.retrieval.index import Progress as ProgressFn
from gpiot.settings import Settings, from_env

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

_STAGES = {"notes": "embedding notes", "api": "embedding API reference"}


def _settings(args: argparse.Namespace) -> Settings:
    settings, problems = from_env()
    for problem in problems:
        err.print(f"[yellow]warning:[/] {problem}")
    if getattr(args, "store", None):
        settings, problems = settings.with_values({"knowledge_store": args.store})
        if problems:
            raise GpiotError("; ".join(problems))
    return settings


@contextmanager
def _build_progress(quiet: bool) -> Iterator[ProgressFn]:
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=quiet,
    ) as progress:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(_STAGES.get(stage, stage), total=total or 1)
            progress.update(tasks[stage], completed=done if total else 1, total=total or 1)

        yield update


def _build(
    location: store.StoreLocation, notes_dir: Path, api: bool, quiet: bool, fresh: bool = False
) -> BuildReport:
    from gpiot.retrieval.embedder import load_embedder
    from gpiot.retrieval.index import build_index

    if fresh:
        _drop(location)
    with err.status("loading the embedder", spinner="dots") if not quiet else _null():
        embedder = load_embedder()
    client = store.open_store(location, create=True)
    with _build_progress(quiet) as progress:
        return build_index(client, embedder, location.where, notes_dir, api, progress)


def _drop(location: store.StoreLocation) -> None:
    """Empty the index; a local folder is removed (which also recovers from a damaged one)."""
    from gpiot.retrieval.chunks import API_COLLECTION, NOTES_COLLECTION

    if location.is_local:
        store.close_store(location)
        folder = Path(location.where)
        if folder.is_dir() and ((folder / "meta.json").exists() or not any(folder.iterdir())):
            shutil.rmtree(folder)
        return
    client = store.open_store(location, create=True)
    for name in (NOTES_COLLECTION, API_COLLECTION):
        if client.collection_exists(name):
            client.delete_collection(name)


@contextmanager
def _null() -> Iterator[None]:
    yield


def _print_build(report: BuildReport, size: int | None) -> None:
    table = Table(title=f"knowledge index: {report.store}")
    for column in ("collection", "chunks", "embedded", "kept", "removed"):
        table.add_column(column, justify="left" if column == "collection" else "right")
    for c in report.collections:
        table.add_row(c.name, str(c.chunks), str(c.embedded), str(c.kept), str(c.removed))
    out.print(table)
    extra = f", {size / 2**20:.1f} MiB on disk" if size is not None else ""
    out.print(
        f"{report.notes} notes, {report.api_entries} API entries in {report.seconds:.1f} s{extra}"
    )
    for problem in report.problems:
        err.print(f"[yellow]warning:[/] {problem}")


def cmd_build(args: argparse.Namespace) -> int:
    location = store.store_location(_settings(args))
    report = _build(location, Path(args.notes), not args.no_api, args.json, fresh=args.rebuild)
    size = store.folder_size(Path(location.where)) if location.is_local else None
    if args.json:
        out.print_json(json.dumps({**report.to_dict(), "bytes": size}))
    else:
        _print_build(report, size)
    note_failures = [p for p in report.problems if p.endswith(".md") or ".md:" in p]
    return 1 if note_failures else 0


def cmd_query(args: argparse.Namespace) -> int:
    from gpiot.retrieval.search import api_snippet, note_snippet, open_knowledge

    retriever = open_knowledge(_settings(args))
    if args.api:
        snippets = [api_snippet(h) for h in retriever.search_api(args.text, args.k, args.mode)]
    else:
        snippets = [note_snippet(h) for h in retriever.search_notes(args.text, args.k, args.mode)]
    if args.json:
        out.print_json(json.dumps([asdict(s) for s in snippets]))
        return 0
    if not snippets:
        out.print("no results")
    for rank, s in enumerate(snippets, 1):
        out.print(f"[bold]{rank}. {s.title}[/]  [dim]{s.source}  score {s.score}[/]")
        out.print(f"   {s.text}", markup=False)
    return 0


def _machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": model or platform.processor(),
        "cores": cores,
        "python": platform.python_version(),
        "load_average_1m": round(os.getloadavg()[0], 2),  # the dev VM is shared
        "platform": platform.platform(),
    }


def cmd_eval(args: argparse.Namespace) -> int:
    from gpiot.retrieval.chunks import API_COLLECTION
    from gpiot.retrieval.embedder import load_embedder
    from gpiot.retrieval.evaluate import (
        API_QUERIES,
        RANK_DEPTH,
        best_mode,
        check_labels,
        evaluate_mode,
        load_api_queries,
        load_queries,
        require_queries,
        score_any,
    )
    from gpiot.retrieval.search import MODES, KnowledgeRetriever, open_knowledge

    eval_dir, notes_dir = Path(args.eval_dir), Path(args.notes)
    queries, problems = load_queries(eval_dir)
    require_queries(queries, eval_dir)
    corpus = load_notes(notes_dir)
    problems += [str(e) for e in corpus.errors]
    problems += check_labels(queries, {n.id for n in corpus.notes})
    result: dict[str, Any] = {"machine": _machine(), "notes": len(corpus.notes)}
    result["queries"] = len(queries)

    start = time.perf_counter()
    embedder = load_embedder()
    result["embedder_load_s"] = round(time.perf_counter() - start, 2)
    temp = None
    if args.no_build:
        retriever = open_knowledge(_settings(args))
    else:  # a fresh index in a temporary folder: cold full build, then a no-change rebuild
        temp = Path(tempfile.mkdtemp(prefix="gpiot-knowledge-eval-"))
        location = store.StoreLocation("local", str(temp / "index"))
        cold = _build(location, notes_dir, not args.no_api, args.json)
        warm = _build(location, notes_dir, not args.no_api, args.json)
        result["build"] = {
            "cold_full_s": round(cold.seconds, 2),
            "incremental_nothing_changed_s": round(warm.seconds, 2),
            "embedded_cold": sum(c.embedded for c in cold.collections),
            "embedded_incremental": sum(c.embedded for c in warm.collections),
            "collections": [c.to_dict() for c in cold.collections],
            "api_entries": cold.api_entries,
            "bytes_on_disk": store.folder_size(Path(location.where)),
        }
        retriever = KnowledgeRetriever(store.open_store(location), embedder)

    def search(text: str, k: int, mode: str) -> list[str]:
        return [h.note_id for h in retriever.search_notes(text, k, mode)]

    def search_api(text: str, grounded: bool) -> list[str]:
        hits = retriever.search_api(text, RANK_DEPTH, grounded=grounded)
        return [str(h.payload.get("name", "")) for h in hits]

    try:
        modes = [evaluate_mode(search, queries, m) for m in MODES]
        api_queries = load_api_queries(eval_dir / API_QUERIES)
        if api_queries and store.count(retriever.client, API_COLLECTION):
            result["api"] = {
                label: score_any([search_api(q.text, grounded) for q in api_queries], api_queries)
                for label, grounded in (("search only", False), ("note-grounded", True))
            }
    finally:
        if temp is not None:
            store.close_store(store.StoreLocation("local", str(temp / "index")))
            shutil.rmtree(temp, ignore_errors=True)
    result["modes"] = [m.to_dict() for m in modes]
    result["best_mode"] = best_mode(modes)
    result["problems"] = problems
    _print_eval(result, modes)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    err.print(f"wrote {output}")
    return 0


def _print_eval(result: dict[str, Any], modes: list[Any]) -> None:
    table = Table(title=f"retrieval on {result['queries']} queries, {result['notes']} notes")
    for column in ("mode", "recall@1", "recall@3", "recall@5", "MRR", "p50 ms", "p95 ms"):
        table.add_column(column, justify="left" if column == "mode" else "right")
    for m in modes:
        d = m.to_dict()
        best = " *" if m.mode == result["best_mode"] else ""
        table.add_row(
            m.mode + best,
            f"{d['recall@1']:.3f}",
            f"{d['recall@3']:.3f}",
            f"{d['recall@5']:.3f}",
            f"{d['mrr']:.3f}",
            f"{d['latency_ms']['p50']:.1f}",
            f"{d['latency_ms']['p95']:.1f}",
        )
    out.print(table)
    per = Table(title="recall@5 / MRR per modality")
    per.add_column("modality")
    per.add_column("queries", justify="right")
    for m in modes:
        per.add_column(m.mode, justify="right")
    for modality in sorted(modes[0].by_modality):
        cells = [
            f"{m.by_modality[modality].recall[5]:.2f} / {m.by_modality[modality].mrr:.2f}"
            for m in modes
        ]
        per.add_row(modality, str(modes[0].by_modality[modality].queries), *cells)
    out.print(per)
    if "build" in result:
        b = result["build"]
        out.print(
            f"build: cold full {b['cold_full_s']:.1f} s ({b['embedded_cold']} chunks embedded), "
            f"nothing changed {b['incremental_nothing_changed_s']:.1f} s "
            f"({b['embedded_incremental']} embedded), "
            f"{b['bytes_on_disk'] / 2**20:.1f} MiB on disk; "
            f"embedder load {result['embedder_load_s']:.1f} s"
        )
    for label, api in result.get("api", {}).items():
        out.print(
            f"API reference ({api['queries']} CG queries), {label}: hit@1 {api['hit@1']:.2f}, "
            f"hit@3 {api['hit@3']:.2f}, MRR {api['mrr']:.2f}"
        )
    for problem in result["problems"]:
        err.print(f"[yellow]warning:[/] {problem}")


def cmd_status(args: argparse.Namespace) -> int:
    from gpiot.retrieval.chunks import API_COLLECTION, NOTES_COLLECTION, note_chunks
    from gpiot.retrieval.embedder import EMBEDDER_ID, model_dir
    from gpiot.retrieval.errors import KnowledgeError
    from gpiot.retrieval.index import plan_update

    settings = _settings(args)
    location = store.store_location(settings)
    rows: dict[str, Any] = {"store": location.describe()}
    try:
        rows["embedder"] = f"{EMBEDDER_ID}, {model_dir()}"
    except KnowledgeError as exc:
        rows["embedder"] = f"unavailable: {exc}"
    corpus = load_notes(Path(args.notes))
    rows["notes on disk"] = f"{len(corpus.notes)} ({len(corpus.errors)} with errors)"
    ok = not corpus.errors
    try:
        client = store.open_store(location)
        wanted = [(c.point_id(EMBEDDER_ID), c) for c in note_chunks(corpus.notes)]
        plan = plan_update(wanted, store.existing_ids(client, NOTES_COLLECTION))
        rows["note chunks indexed"] = store.count(client, NOTES_COLLECTION)
        rows["API entries indexed"] = store.count(client, API_COLLECTION)
        stale = len(plan.embed) + len(plan.remove)
        rows["index up to date"] = (
            "yes" if not stale else f"no: {len(plan.embed)} to embed, {len(plan.remove)} to remove"
        )
        if location.is_local:
            rows["size on disk"] = f"{store.folder_size(Path(location.where)) / 2**20:.1f} MiB"
    except KnowledgeError as exc:
        rows["index"] = f"unavailable: {exc}"
        ok = False
    if args.json:
        out.print_json(json.dumps({**rows, "ok": ok, "errors": [str(e) for e in corpus.errors]}))
    else:
        for key, value in rows.items():
            out.print(f"[bold]{key:>20}[/]  {value}")
        for e in corpus.errors:
            err.print(f"[yellow]warning:[/] {e}")
    return 0 if ok else 1


def add_knowledge_parser(sub: Any) -> None:
    """Register ``gpiot knowledge …`` on the CLI's sub-parsers."""
    p = sub.add_parser("knowledge", help="the IoT knowledge base: build, query, eval, status")
    kb = p.add_subparsers(dest="knowledge", required=True)
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--store", help="index folder or Qdrant URL (env GPIOT_KNOWLEDGE_STORE)")
    shared.add_argument("--notes", default=str(NOTES_DIR), help="notes folder")
    shared.add_argument("--json", action="store_true", help="machine-readable output on stdout")

    b = kb.add_parser("build", parents=[shared], help="index notes and API reference")
    b.add_argument("--no-api", action="store_true", help="notes only, no API reference")
    b.add_argument("--rebuild", action="store_true", help="drop the index and embed everything")
    b.set_defaults(func=cmd_build)

    q = kb.add_parser("query", aliases=["search"], parents=[shared], help="search it")
    q.add_argument("text", help="what to look for")
    q.add_argument("--k", type=int, default=5, help="how many results (5)")
    q.add_argument("--api", action="store_true", help="search the API reference instead")
    q.add_argument("--mode", choices=("dense", "sparse", "hybrid"), help="retrieval mode")
    q.set_defaults(func=cmd_query)

    e = kb.add_parser("eval", parents=[shared], help="recall, MRR, latency, build time")
    e.add_argument("--output", default="docs/bench/knowledge.json", help="where to write JSON")
    e.add_argument("--eval-dir", default=str(EVAL_DIR), help="folder of queries-*.jsonl")
    e.add_argument("--no-build", action="store_true", help="evaluate the configured index")
    e.add_argument("--no-api", action="store_true", help="build notes only (faster)")
    e.set_defaults(func=cmd_eval)

    s = kb.add_parser("status", aliases=["stats"], parents=[shared], help="index state")
    s.set_defaults(func=cmd_status)
