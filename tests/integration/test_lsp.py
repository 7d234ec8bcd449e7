"""The language server over stdio, driven by a real LSP client (pytest-lsp) in a subprocess.

Tests without the `model` marker never load the model: code-action listing, hover, diagnostics,
settings and errors. The `model` tests run real decompositions and generations.
"""

from __future__ import annotations

import ast
import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from gpiot.bench.lsp import apply_to_disk
from gpiot.pipeline.decomposition import SubTask
from gpiot.pipeline.manifest import GeneratedFile, Manifest, sha256_text
from gpiot.pipeline.render import render_subtask_module
from gpiot.pipeline.spec import Param, Spec
from gpiot.pipeline.workspace import Workspace

SERVER = [sys.executable, "-m", "gpiot.cli", "serve"]
STATEMENT = (
    "# Count the steps in a wrist accelerometer recording sampled at 50 Hz and report the\n"
    "# cadence in steps per minute. Input: a (n, 3) numpy array in m/s^2.\n"
)
SPEC = Spec(
    "count_steps",
    "Count steps in a 3-axis accelerometer signal by peak detection on its magnitude.",
    (
        Param("acc", "np.ndarray", "accelerometer samples in m/s^2, shape (n, 3)"),
        Param("fs", "float", "sampling rate in Hz"),
    ),
    (Param("steps", "int", "number of steps"),),
    ("knowledge/notes/imu/imu-step-counting.md#steps",),
)
BODY = (
    "import numpy as np\n"
    "from scipy.signal import find_peaks\n\n\n"
    "def count_steps(acc, fs):\n"
    '    """Count steps."""\n'
    "    magnitude = np.linalg.norm(acc, axis=1)\n"
    "    peaks, _ = find_peaks(magnitude, distance=int(0.3 * fs))\n"
    "    return int(len(peaks))\n"
)


def make_client() -> LanguageClient:
    client = pytest_lsp.make_test_lsp_client()
    converter = client.protocol._converter

    def command_or_action(obj: Any, _: type) -> lsp.Command | lsp.CodeAction:
        # lsprotocol reads any object with a "command" key as a Command, even a CodeAction
        # whose command is an object: tell them apart by that object, as editors do.
        kind = lsp.Command if isinstance(obj.get("command"), str) else lsp.CodeAction
        return converter.structure(obj, kind)  # type: ignore[no-any-return]

    converter.register_structure_hook(lsp.Command | lsp.CodeAction, command_or_action)
    client.applied: list[str] = []  # type: ignore[attr-defined, misc]

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(
        ls: LanguageClient, params: lsp.ApplyWorkspaceEditParams
    ) -> lsp.ApplyWorkspaceEditResult:
        apply_to_disk(params.edit)
        ls.applied.append(params.label or "")  # type: ignore[attr-defined]
        return lsp.ApplyWorkspaceEditResult(applied=True)

    return client


CONFIG = ClientServerConfig(server_command=SERVER, client_factory=make_client)


async def start(client: LanguageClient, root: Path, options: dict[str, Any], create: bool = True):
    capabilities = client_capabilities("visual-studio-code")
    if not create:
        assert capabilities.workspace and capabilities.workspace.workspace_edit
        capabilities.workspace.workspace_edit.resource_operations = []
        capabilities.workspace.workspace_edit.document_changes = False
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities,
            root_uri=root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name="ws")],
            initialization_options=options,
        )
    )


@pytest_lsp.fixture(config=CONFIG)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    yield
    await lsp_client.shutdown_session()


def open_file(client: LanguageClient, path: Path, text: str | None = None) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "python", 1, path.read_text() if text is None else text)
        )
    )
    return uri


def code_actions(client: LanguageClient, uri: str, line: int):  # type: ignore[no-untyped-def]
    where = lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0))
    return client.text_document_code_action_async(
        lsp.CodeActionParams(lsp.TextDocumentIdentifier(uri), where, lsp.CodeActionContext([]))
    )


def generated_workspace(root: Path, stub: bool) -> Path:
    """A workspace as a decomposition leaves it: one sub-task file recorded in the manifest."""
    workspace = Workspace(root)
    (root / "steps.py").write_text(STATEMENT)
    subtask = SubTask("Count steps", ("magnitude", "peaks"))
    text = render_subtask_module(
        subtask, 1, 1, SPEC, None if stub else BODY, STATEMENT, [], app_file="steps.py"
    )
    rel = "steps_subtasks/01_count_steps.py"
    workspace.write_text_atomic(rel, text)
    manifest = Manifest()
    manifest.upsert_app("steps.py", STATEMENT)
    entry = GeneratedFile(
        rel,
        sha256_text(text),
        "subtask",
        "count_steps",
        SPEC.to_dict(),
        "stub" if stub else "validated",
        sources=["knowledge/notes/imu/imu-step-counting.md#steps"],
    )
    manifest.record_file("steps.py", entry)
    manifest.save(workspace)
    return root / rel


async def test_decompose_is_offered_only_in_a_statement_block(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {})
    app = tmp_path / "steps.py"
    app.write_text(STATEMENT + "\nimport numpy as np\n")
    uri = open_file(client, app)
    actions = await code_actions(client, uri, 1)
    assert actions and [a.title for a in actions] == ["Decompose IoT app"]
    assert actions[0].command.command == "gpiot.decompose"
    assert list(actions[0].command.arguments) == [uri, 0]
    assert await code_actions(client, uri, 3) is None


async def test_hover_shows_the_spec_of_a_generated_function_at_its_call_site(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {})
    generated_workspace(tmp_path, stub=False)
    caller = tmp_path / "steps_subtasks" / "use.py"
    caller.write_text("from x import count_steps\n\nn = count_steps(acc, 50.0)\n")
    uri = open_file(client, caller)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(2, 6))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    text = hover.contents.value
    assert "count_steps(acc, fs)" in text
    assert "peak detection on its magnitude" in text
    assert "`acc` (`np.ndarray`)" in text and "`steps` (`int`)" in text
    assert "imu-step-counting.md#steps" in text
    nothing = await client.text_document_hover_async(
        lsp.HoverParams(lsp.TextDocumentIdentifier(uri), lsp.Position(2, 0))
    )
    assert nothing is None


async def test_diagnostics_report_a_function_that_no_longer_matches_its_spec(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {})
    path = generated_workspace(tmp_path, stub=False)
    broken = path.read_text().replace("def count_steps(acc, fs):", "def count_steps(acc):")
    uri = open_file(client, path, broken)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diagnostics = client.diagnostics[uri]
    assert diagnostics and all(d.source == "gpiot" for d in diagnostics)
    assert any("fs" in d.message for d in diagnostics)
    signature = next(d for d in diagnostics if "fs" in d.message)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri),
            signature.range,
            lsp.CodeActionContext([signature]),
        )
    )
    assert actions is not None
    fix = next(a for a in actions if a.kind == lsp.CodeActionKind.QuickFix)
    assert fix.command is not None and fix.command.command == "gpiot.generate"


async def test_invalid_settings_are_reported_and_defaults_kept(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"threads": "many", "colour": "blue"})
    for _ in range(50):
        if len(client.messages) >= 2:
            break
        await asyncio.sleep(0.1)
    texts = [m.message for m in client.messages]
    assert any("'threads'" in t for t in texts) and any("'colour'" in t for t in texts)


async def test_a_missing_model_is_a_clear_message_not_a_crash(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"model": str(tmp_path / "nope.gguf")})
    app = tmp_path / "steps.py"
    app.write_text(STATEMENT)
    uri = open_file(client, app)
    result = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("gpiot.decompose", [uri, 0])
    )
    assert result["ok"] is False
    assert "does not exist" in result["message"]
    errors = [m for m in client.messages if m.type == lsp.MessageType.Error]
    assert errors and "nope.gguf" in errors[-1].message
    actions = await code_actions(client, uri, 0)  # the server is still alive and answering
    assert actions is not None


@pytest.mark.model
async def test_decompose_creates_files_through_workspace_edits_with_progress(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"generateCode": False, "speculative": False})
    app = tmp_path / "steps.py"
    app.write_text(STATEMENT)
    uri = open_file(client, app)
    result = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("gpiot.decompose", [uri, 0])
    )
    assert result["ok"], result
    folder = tmp_path / "steps_subtasks"
    created = sorted(p.name for p in folder.glob("*.py"))
    assert "pipeline.py" in created and len(created) >= 3
    labels = client.applied  # type: ignore[attr-defined]
    subtask_labels = [label for label in labels if "/0" in label or "/1" in label]
    assert subtask_labels == sorted(subtask_labels)  # in sub-task order, one edit per file
    assert any(label.endswith("pipeline.py") for label in labels)
    (reports,) = [r for r in client.progress_reports.values() if r]
    assert isinstance(reports[0], lsp.WorkDoneProgressBegin) and reports[0].cancellable
    assert isinstance(reports[-1], lsp.WorkDoneProgressEnd)
    messages = [r.message for r in reports if isinstance(r, lsp.WorkDoneProgressReport)]
    assert any("decomposing" in (m or "") for m in messages)
    assert any("spec 1/" in (m or "") for m in messages)
    manifest = Manifest.load(Workspace(tmp_path))
    assert len(manifest.apps["steps.py"].files) == len(created) + 1  # + README.md


@pytest.mark.model
async def test_cancel_stops_a_decomposition_and_keeps_files_written_to_disk_without_edits(
    client: LanguageClient, tmp_path: Path
) -> None:
    """A client that cannot create files gets them on disk plus showDocument; cancel stops it."""
    await start(client, tmp_path, {"generateCode": False, "speculative": False}, create=False)
    app = tmp_path / "steps.py"
    app.write_text(STATEMENT)
    uri = open_file(client, app)
    job = asyncio.ensure_future(
        client.workspace_execute_command_async(
            lsp.ExecuteCommandParams("gpiot.decompose", [uri, 0])
        )
    )
    for _ in range(6000):
        if client.shown_documents or job.done():
            break
        await asyncio.sleep(0.1)
    assert client.shown_documents, "no file was shown"
    (token,) = list(client.progress_reports)
    client.window_work_done_progress_cancel(lsp.WorkDoneProgressCancelParams(token))
    result = await asyncio.wait_for(job, 120)
    assert result["ok"] is False and "cancelled" in result["message"]
    shown = Path(client.shown_documents[0].uri.removeprefix("file://"))
    assert shown.parent == tmp_path / "steps_subtasks" and shown.read_text().startswith('"""')
    assert client.applied == []  # type: ignore[attr-defined]
    assert not (tmp_path / "steps_subtasks" / "pipeline.py").exists()
    assert isinstance(client.progress_reports[token][-1], lsp.WorkDoneProgressEnd)


@pytest.mark.model
async def test_inline_completion_fills_a_stub_and_generate_replaces_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"speculative": False, "repairAttempts": 1})
    path = generated_workspace(tmp_path, stub=True)
    text = path.read_text()
    uri = open_file(client, path)
    stub_line = next(
        i for i, line in enumerate(text.splitlines()) if "raise NotImplementedError" in line
    )
    items = await client.text_document_inline_completion_async(
        lsp.InlineCompletionParams(
            context=lsp.InlineCompletionContext(lsp.InlineCompletionTriggerKind.Invoked),
            text_document=lsp.TextDocumentIdentifier(uri),
            position=lsp.Position(stub_line, 4),
        )
    )
    assert isinstance(items, lsp.InlineCompletionList) and items.items
    item = items.items[0]
    assert isinstance(item.insert_text, str) and "return" in item.insert_text
    assert item.range is not None and item.range.start.line <= stub_line < item.range.end.line
    assert item.insert_text.startswith("    ")  # a body, indented under the def

    result = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams("gpiot.generate", [uri, stub_line])
    )
    if result["ok"]:  # the same spec: a validated implementation replaces the stub
        new_text = path.read_text()
        (func,) = [n for n in ast.parse(new_text).body if isinstance(n, ast.FunctionDef)]
        assert func.name == "count_steps" and [a.arg for a in func.args.args] == ["acc", "fs"]
        assert "raise NotImplementedError" not in new_text
        entry = Manifest.load(Workspace(tmp_path)).lookup("steps_subtasks/01_count_steps.py")
        assert entry is not None and entry[1].sha256 == sha256_text(new_text)
    else:  # no attempt passed validation: the stub is left exactly as it was, and the user told
        assert "passed validation" in result["message"] and path.read_text() == text
