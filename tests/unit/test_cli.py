"""The CLI's failure paths: one clear line and a non-zero exit, never a traceback."""

import subprocess
import sys
from pathlib import Path


def _gpiot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gpiot.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_statement_is_reported(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text("import numpy\n")
    done = _gpiot("decompose", str(app), cwd=tmp_path)
    assert done.returncode == 1
    assert "no problem statement found" in done.stderr
    assert "Traceback" not in done.stderr


def test_corrupt_model_is_reported_before_llama_cpp(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\x00" * 8)
    app = tmp_path / "app.py"
    app.write_text("# Detect heartbeats in an ECG recorded at 360 Hz and print the rate.\n")
    done = _gpiot("decompose", str(app), "--model", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "truncated" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "app_subtasks").exists()


def test_model_status_reports_a_missing_file(tmp_path: Path) -> None:
    done = _gpiot("model", "--model", str(tmp_path / "nope.gguf"), "--json", cwd=tmp_path)
    assert done.returncode == 1
    assert '"ok": false' in done.stdout
    assert "does not exist" in done.stdout


def test_invalid_flag_value_is_reported(tmp_path: Path) -> None:
    done = _gpiot("model", "--threads", "0", cwd=tmp_path)
    assert done.returncode == 1
    assert "threads" in done.stderr
