"""A real Node LSP client (Microsoft's vscode-languageserver-protocol) drives `gpiot serve`.

tests/clients/node/lsp_client.js initializes with VS Code's capabilities, lists the code actions
on the bundled problem statement, runs "Decompose IoT app", applies the server's workspace edits
to disk, records the work-done progress, hovers a generated function and its call site, and asks
for an inline completion in a stub. These tests check its JSON summary against the protocol
contract: once with a client that creates files (CreateFile + TextDocumentEdit), once with one
that cannot (the server writes the files and shows them; the run is cancelled after the first).
"""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
CLIENT_DIR = ROOT / "tests" / "clients" / "node"
EXAMPLE = ROOT / "knowledge" / "examples" / "imu_steps.py"
# Short runs: the decomposition writes specs with stubs (generateCode false; the code path of the
# pipeline has its own tests); the inline completion of one stub then runs code generation.
SETTINGS = {"generateCode": False, "repairAttempts": 0, "speculative": False, "smokeRun": True}
DECOMPOSE = "Decompose IoT app"
SUBTASKS = "imu_steps_subtasks"


def gpiot_executable() -> str:
    beside = Path(sys.executable).with_name("gpiot")
    found = str(beside) if beside.exists() else shutil.which("gpiot")
    assert found, "the gpiot console script is not installed (make setup)"
    return found


@pytest.fixture(scope="module")
def node_client() -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the Node LSP client test needs Node.js >= 18 and npm")
    if not (CLIENT_DIR / "node_modules" / "vscode-languageserver-protocol").is_dir():
        npm = shutil.which("npm")
        assert npm, "npm is needed to install the Node client's packages (make clients)"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CLIENT_DIR, check=True)
    return CLIENT_DIR / "lsp_client.js"


def run_client(script: Path, workspace: Path, *options: str) -> dict[str, Any]:
    app = workspace / "imu_steps.py"
    command = [
        "node",
        str(script),
        "--workspace",
        str(workspace),
        "--file",
        str(app),
        "--settings",
        json.dumps(SETTINGS),
        *options,
        "--",
        gpiot_executable(),
        "serve",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        pytest.fail(f"the Node client failed ({done.returncode}):\n{done.stderr[-4000:]}")
    summary: dict[str, Any] = json.loads(done.stdout)
    summary["_stderr"] = done.stderr[-4000:]
    return summary


def new_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "imu_steps.py").write_text(EXAMPLE.read_text())
    return workspace


def one_token_progress(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The progress events of the (single) work-done token that began."""
    begun = [p["token"] for p in summary["progress"] if p["kind"] == "begin"]
    assert begun, f"no work-done progress began: {summary['progress']}"
    token = begun[0]
    events = [p for p in summary["progress"] if p["token"] == token]
    assert events[0]["kind"] == "begin", events
    assert events[-1]["kind"] == "end", f"progress never ended: {events[-3:]}"
    assert [e["kind"] for e in events[1:-1]] == ["report"] * (len(events) - 2)
    return events


def path_of(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path))


def test_decompose_with_a_client_that_creates_files(node_client: Path, tmp_path: Path) -> None:
    workspace = new_workspace(tmp_path)
    summary = run_client(node_client, workspace)
    assert summary["errors"] == [], summary["errors"]
    assert summary["serverExit"] == {"code": 0, "signal": None}

    # Listing offers the action on the problem statement; it runs as a command with [uri, line].
    decompose = [a for a in summary["codeActions"] if a["title"] == DECOMPOSE]
    assert len(decompose) == 1, summary["codeActions"]
    assert decompose[0]["kind"] == "refactor.rewrite"
    assert decompose[0]["command"] == "gpiot.decompose"
    uri, line = decompose[0]["arguments"]
    assert path_of(uri) == workspace / "imu_steps.py" and isinstance(line, int)
    assert summary["executeError"] is None, summary["_stderr"]

    # Progress: begin (cancellable), reports, end.
    events = one_token_progress(summary)
    assert events[0]["cancellable"] is True
    assert len(events) >= 4, events

    # Files came through workspace/applyEdit as CreateFile + TextDocumentEdit, one sub-task at a
    # time and in sub-task order, while the progress was still running; nothing behind our back.
    assert summary["showDocuments"] == []
    edits = summary["applyEdits"]
    assert all(e["applied"] for e in edits), edits
    created = [op["path"] for e in edits for op in e["operations"] if op["kind"] == "create"]
    edited = {op["path"] for e in edits for op in e["operations"] if op["kind"] == "edit"}
    assert set(created) <= edited
    modules = [p for p in created if Path(p).parent.name == SUBTASKS and p[-3:] == ".py"]
    numbered = [p for p in modules if Path(p).name[:2].isdigit()]
    assert len(numbered) >= 2, created
    assert numbered == sorted(numbered), numbered
    assert f"{SUBTASKS}/pipeline.py" in created and f"{SUBTASKS}/README.md" in created
    first_create = min(e["t"] for e in edits if any(o["kind"] == "create" for o in e["operations"]))
    assert first_create < events[-1]["t"]
    assert len([e for e in events if e["t"] > first_create]) >= 2, "all files came at the end"
    creates_per_edit = [sum(o["kind"] == "create" for o in e["operations"]) for e in edits]
    assert max(creates_per_edit) == 1 and len(edits) >= len(numbered) + 2

    for rel in created:
        assert (workspace / rel).is_file() and (workspace / rel).read_text().strip(), rel
        if rel.endswith(".py"):
            ast.parse((workspace / rel).read_text(), rel)
    manifest = json.loads((workspace / ".gpiot" / "manifest.json").read_text())
    assert set(manifest["apps"]["imu_steps.py"]["files"]) >= set(numbered)

    # Hover on the generated function shows its spec; on its call site in pipeline.py too.
    hover = summary["hover"]
    assert hover is not None and hover["path"] == numbered[0], summary["hover"]
    assert hover["function"] in hover["text"]
    assert "Target" in hover["text"] and "Input" in hover["text"], hover["text"]
    assert summary["callSiteHover"] is not None, "the function is not called in pipeline.py"
    assert hover["function"] in summary["callSiteHover"]["text"]
    assert "Target" in summary["callSiteHover"]["text"]

    # Inline completion inside a stub body returns a body; accepting it gives a parsing module
    # in which the function is no longer a stub.
    completion = summary["inlineCompletion"]
    assert completion is not None, "the server does not offer textDocument/inlineCompletion"
    assert completion["serverStub"], "generateCode false should leave stubs"
    if not completion["items"]:
        # Only when every attempt failed to parse (it would break the file), and the log says so.
        reason = f"inline completion for {completion['function']}: no attempt parses"
        assert any(reason in m for m in summary["logTail"]), summary["logTail"]
        return
    item = completion["items"][0]
    assert item["insertText"].strip()
    accepted = accept(completion["documentText"], item)
    tree = ast.parse(accepted)
    function = next(
        n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == completion["function"]
    )
    assert ast.get_docstring(function), "the spec docstring was lost"
    assert "NotImplementedError" not in ast.unparse(function)


def accept(text: str, item: dict[str, Any]) -> str:
    """The document after accepting an inline completion item (its range, else the cursor)."""
    lines = text.splitlines(keepends=True)

    def offset(position: dict[str, int]) -> int:
        return sum(len(line) for line in lines[: position["line"]]) + position["character"]

    span = item["range"]
    assert span is not None, "the item has no range"
    start, end = offset(span["start"]), offset(span["end"])
    return text[:start] + item["insertText"] + text[end:]


def test_fallback_when_the_client_cannot_create_files(node_client: Path, tmp_path: Path) -> None:
    """No resourceOperations: the server writes files itself, shows them; cancel stops the run."""
    workspace = new_workspace(tmp_path)
    summary = run_client(node_client, workspace, "--no-create-files", "--cancel-after-first-file")
    assert summary["errors"] == [], summary["errors"]
    assert summary["serverExit"] == {"code": 0, "signal": None}
    assert any(a["title"] == DECOMPOSE for a in summary["codeActions"])

    shown = summary["showDocuments"]
    assert shown, f"no window/showDocument in the fallback: {summary['_stderr']}"
    assert all(s["existsOnDisk"] for s in shown), shown
    assert all(op["kind"] != "create" for e in summary["applyEdits"] for op in e["operations"])
    first = shown[0]["path"]
    assert Path(first).parent.name == SUBTASKS and Path(first).name[:2].isdigit(), first
    ast.parse((workspace / first).read_text(), first)

    # The cancel (window/workDoneProgress/cancel) ended the run and the user was told.
    assert summary["cancelSent"] is not None
    events = one_token_progress(summary)
    assert events[-1]["t"] >= summary["cancelSent"]["t"]
    said = " ".join(m["message"] for m in summary["messages"])
    assert "cancel" in said.lower(), summary["messages"]
    # Files written before the cancel stay, and stay recorded.
    manifest = json.loads((workspace / ".gpiot" / "manifest.json").read_text())
    assert first in manifest["apps"]["imu_steps.py"]["files"]
