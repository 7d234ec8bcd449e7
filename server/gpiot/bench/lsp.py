"""`gpiot bench lsp`: does the language server stay responsive while the model works?

A real LSP client (pygls) starts `gpiot serve` over stdio, starts "Decompose IoT app" (specs and
stubs) on the bundled ECG example, and while the decomposition runs sends hover requests on a
generated function and code-action listings on the app file every 100 ms (target: p95 under
50 ms). It also times the first file's arrival and inline completion of the first stub, cold and
from the cache. It prints a table and writes JSON.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient
from pygls.uris import to_fs_path
from rich.console import Console
from rich.table import Table

from gpiot.bench.perf import machine
from gpiot.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[3] / "knowledge" / "examples" / "ecg_heartbeats.py"
INTERVAL_S = 0.1


def apply_to_disk(edit: lsp.WorkspaceEdit) -> None:
    """Apply a workspace edit the way an editor does, for whole-file edits and new files."""

    def replace(uri: str, edits: list[lsp.TextEdit]) -> None:
        path = Path(to_fs_path(uri) or "")
        text = path.read_text() if path.exists() else ""
        for change in edits:
            if (change.range.start.line, change.range.start.character) != (0, 0):
                raise ValueError(f"only whole-file edits are expected, got {change.range}")
            lines = text.split("\n")
            end = change.range.end
            rest = "\n".join(lines[end.line :])[end.character :] if end.line < len(lines) else ""
            text = change.new_text + rest
        path.write_text(text)

    for change in edit.document_changes or []:
        if isinstance(change, lsp.CreateFile):
            path = Path(to_fs_path(change.uri) or "")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        elif isinstance(change, lsp.TextDocumentEdit):
            replace(
                change.text_document.uri, [e for e in change.edits if isinstance(e, lsp.TextEdit)]
            )
    for uri, edits in (edit.changes or {}).items():
        replace(uri, list(edits))


async def _inline_seconds(client: LanguageClient, uri: str) -> float:
    """Time one inline completion in the first stub body of ``uri``."""
    text = Path(to_fs_path(uri) or "").read_text()
    line = next(i for i, t in enumerate(text.splitlines()) if "raise NotImplementedError" in t)
    t0 = time.perf_counter()
    await client.text_document_inline_completion_async(
        lsp.InlineCompletionParams(
            context=lsp.InlineCompletionContext(lsp.InlineCompletionTriggerKind.Invoked),
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(line, 4),
        )
    )
    return time.perf_counter() - t0


def _percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {
        "n": len(ordered),
        "p50_ms": statistics.median(ordered),
        "p95_ms": p95,
        "max_ms": ordered[-1],
    }


async def _measure(root: Path, options: dict[str, Any]) -> dict[str, Any]:
    client = LanguageClient("gpiot-bench", "1")
    created: list[str] = []

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)  # type: ignore[untyped-decorator]
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        apply_to_disk(params.edit)
        created.extend(
            c.uri for c in params.edit.document_changes or [] if isinstance(c, lsp.CreateFile)
        )
        return lsp.ApplyWorkspaceEditResult(applied=True)

    @client.feature(lsp.WINDOW_WORK_DONE_PROGRESS_CREATE)  # type: ignore[untyped-decorator]
    def progress_create(params: lsp.WorkDoneProgressCreateParams) -> None:
        return None

    for method in (lsp.PROGRESS, lsp.WINDOW_SHOW_MESSAGE, lsp.WINDOW_LOG_MESSAGE):
        client.feature(method)(lambda params: None)  # seen, not needed here

    await client.start_io(sys.executable, "-m", "gpiot.cli", "serve")
    capabilities = lsp.ClientCapabilities(
        workspace=lsp.WorkspaceClientCapabilities(
            workspace_edit=lsp.WorkspaceEditClientCapabilities(
                document_changes=True, resource_operations=[lsp.ResourceOperationKind.Create]
            )
        ),
        window=lsp.WindowClientCapabilities(work_done_progress=True),
    )
    await client.initialize_async(
        lsp.InitializeParams(
            capabilities=capabilities, root_uri=root.as_uri(), initialization_options=options
        )
    )
    client.initialized(lsp.InitializedParams())
    app = root / EXAMPLE.name
    app.write_text(EXAMPLE.read_text())
    uri = app.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", 1, app.read_text()))
    )
    start = time.perf_counter()
    job = asyncio.ensure_future(
        client.workspace_execute_command_async(
            lsp.ExecuteCommandParams("gpiot.decompose", [uri, 0])
        )
    )
    hovers: list[float] = []
    actions: list[float] = []
    opened: str | None = None
    position = lsp.Position(0, 0)
    here = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    first_file_s: float | None = None
    while not job.done():
        if opened is None and created:  # the first sub-task file: hover on its function
            first_file_s = time.perf_counter() - start
            opened = created[0]
            text = Path(to_fs_path(opened) or "").read_text()
            line = next((i for i, t in enumerate(text.splitlines()) if t.startswith("def ")), 0)
            position = lsp.Position(line, 5)
            client.text_document_did_open(
                lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(opened, "python", 1, text))
            )
        t0 = time.perf_counter()
        await client.text_document_code_action_async(
            lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri), here, lsp.CodeActionContext([]))
        )
        actions.append((time.perf_counter() - t0) * 1000)
        if opened is not None:
            t0 = time.perf_counter()
            await client.text_document_hover_async(
                lsp.HoverParams(lsp.TextDocumentIdentifier(opened), position)
            )
            hovers.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(INTERVAL_S)
    result: dict[str, Any] = job.result() or {}
    seconds = time.perf_counter() - start
    inline = [await _inline_seconds(client, opened) for _ in range(2)] if opened else []
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]
    return {
        "decomposition": {
            "ok": result.get("ok"),
            "message": result.get("message"),
            "seconds": seconds,
            "first_file_s": first_file_s,
        },
        "inline_completion": {
            "cold_s": inline[0] if inline else None,
            "cached_ms": inline[1] * 1000 if len(inline) > 1 else None,
        },
        "hover": _percentiles(hovers),
        "code_action": _percentiles(actions),
    }


def run_lsp_bench(settings: Settings, output: Path, console: Console) -> dict[str, Any]:
    options = {"generateCode": False, "speculative": False}
    with tempfile.TemporaryDirectory(prefix="gpiot-bench-lsp-") as folder:
        measured = asyncio.run(_measure(Path(folder), options))
    report = {"machine": machine(settings), "settings": options, **measured}
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    table = Table(title="Language server latency while a decomposition runs")
    table.add_column("request")
    for column in ("n", "p50", "p95", "max"):
        table.add_column(column, justify="right")
    for name in ("hover", "code_action"):
        row = report[name]
        if row["n"]:
            cells = [f"{row[k]:.1f} ms" for k in ("p50_ms", "p95_ms", "max_ms")]
            table.add_row(name, str(row["n"]), *cells)
    decomposition, inline = measured["decomposition"], measured["inline_completion"]
    first = decomposition["first_file_s"]
    table.add_row("first sub-task file", "1", f"{first:.1f} s" if first else "none", "", "")
    table.add_row("whole decomposition", "1", f"{decomposition['seconds']:.1f} s", "", "")
    if inline["cold_s"] is not None:
        table.add_row("inline completion, cold", "1", f"{inline['cold_s']:.1f} s", "", "")
        table.add_row("inline completion, cached", "1", f"{inline['cached_ms']:.1f} ms", "", "")
    console.print(table)
    console.print(f"decomposition: {decomposition['message']}")
    return report
