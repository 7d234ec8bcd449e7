"""Lint findings of a generated module: ruff in a subprocess, with a fixed rule set."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

RULES: Final = "E,F,W,B"  # pycodestyle errors and warnings, pyflakes, bugbear
LINE_LENGTH: Final = 100
RUFF_DESCRIPTION: Final = (
    f"ruff check --isolated --select {RULES} --line-length {LINE_LENGTH} (project config ignored)"
)


@dataclass(frozen=True)
class LintResult:
    findings: int
    codes: tuple[str, ...]


def ruff_path() -> str | None:
    """The ruff next to this interpreter (the virtual environment's), else the one on PATH."""
    local = Path(sys.executable).with_name("ruff")
    return str(local) if local.is_file() else shutil.which("ruff")


def lint(code: str, ruff: str, timeout_s: float = 30.0) -> LintResult:
    """Run ruff on ``code`` (fed on stdin) and count its findings."""
    done = subprocess.run(
        [
            ruff,
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            RULES,
            "--line-length",
            str(LINE_LENGTH),
            "--output-format",
            "json",
            "--exit-zero",
            "--stdin-filename",
            "generated.py",
            "-",
        ],
        input=code,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ruff failed ({done.returncode}): {done.stderr.strip()[:200]}")
    items = json.loads(done.stdout or "[]")
    return LintResult(len(items), tuple(str(i.get("code")) for i in items))
