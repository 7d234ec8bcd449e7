"""Run hidden tests and generated apps in a limited, watched child process.

The process handling (minimal environment, own session, wall-clock watch with cancel polling,
killing the whole group, explaining a child that died without a result) is the smoke run's, from
:mod:`gpiot.validate.sandbox`; the child (``_child.py``) reuses its limits and audit-hook guard.
The harness never imports generated code into its own process.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled
from gpiot.validate.sandbox import _log_tail, _without_result, run_script

CHILD: Final = Path(__file__).with_name("_child.py")
SPEC_TIMEOUT_S: Final = 30.0
SPEC_MEMORY_MB: Final = 2048
APP_TIMEOUT_S: Final = 300.0
APP_MEMORY_MB: Final = 4096


@dataclass(frozen=True)
class ChildOutcome:
    data: dict[str, Any]  # what the child reported; {} when it reported nothing
    status: str  # "done" | "timeout" | "crashed"
    detail: str
    seconds: float


def run_child(
    request: dict[str, Any],
    workdir: Path,
    *,
    timeout_s: float,
    memory_mb: int,
    cancel: CancelToken | None = None,
) -> ChildOutcome:
    """Run ``_child.py`` on ``request`` with ``workdir`` as its only writable folder."""
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gpiot-bench-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        result_path, log_path, request_path = root / "result.json", root / "log.txt", root / "r"
        full = {
            **request,
            "workdir": str(workdir),
            "result": str(result_path),
            "memory_mb": memory_mb,
            "cpu_s": math.ceil(timeout_s) + 1,
        }
        outcome, returncode = run_script(
            CHILD, full, request_path, log_path, workdir, started + timeout_s, cancel
        )
        seconds = time.monotonic() - started
        if outcome == "cancelled":
            raise Cancelled(cancel.reason if cancel is not None else "cancelled")
        if outcome == "timeout":
            return ChildOutcome({}, "timeout", f"did not finish within {timeout_s:g} s", seconds)
        try:
            data = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            return ChildOutcome(data, "done", str(data.get("detail", "")), seconds)
        died = _without_result(returncode, _log_tail(log_path), seconds, memory_mb)
        return ChildOutcome({}, "crashed", f"{died.status}: {died.detail}", seconds)


@dataclass(frozen=True)
class TestOutcome:
    passed: bool
    executable: bool
    status: str  # passed | failed | exception | import | memory | timeout | crashed
    detail: str
    seconds: float


def run_hidden_tests(
    task_file: Path,
    function: str,
    code: str,
    *,
    timeout_s: float = SPEC_TIMEOUT_S,
    memory_mb: int = SPEC_MEMORY_MB,
    cancel: CancelToken | None = None,
) -> TestOutcome:
    """``check(fn)`` of ``task_file`` on ``function`` from the generated module ``code``.

    Executable means the module imported and no call of the function raised (or the tests
    passed, which covers tests that expect an exception).
    """
    with tempfile.TemporaryDirectory(prefix="gpiot-bench-work-") as tmp:
        workdir = Path(tmp)
        module = workdir / "generated.py"
        module.write_text(code, encoding="utf-8")
        request = {
            "mode": "spec",
            "task": str(task_file.resolve()),
            "module": str(module),
            "function": function,
        }
        child = run_child(request, workdir, timeout_s=timeout_s, memory_mb=memory_mb, cancel=cancel)
    if child.status != "done":
        return TestOutcome(False, False, child.status, child.detail, child.seconds)
    status = str(child.data.get("status", "crashed"))
    detail = str(child.data.get("detail", ""))
    if child.data.get("unsafe"):
        detail = f"{detail}; sandbox blocked: {child.data['unsafe']}".lstrip("; ")
    passed = status == "passed"
    executable = bool(child.data.get("executable")) or passed
    return TestOutcome(passed, executable, status, detail, child.seconds)


def run_generated_app(
    folder: Path,
    evaluate: Path,
    run_params: list[tuple[str, str]],
    outputs: dict[str, str],
    *,
    timeout_s: float = APP_TIMEOUT_S,
    memory_mb: int = APP_MEMORY_MB,
    cancel: CancelToken | None = None,
) -> dict[str, Any]:
    """The generated ``pipeline.run(...)`` on the app's inputs, scored by ``evaluate.score``."""
    request = {
        "mode": "app",
        "folder": str(folder.resolve()),
        "evaluate": str(evaluate.resolve()),
        "run_params": [list(p) for p in run_params],
        "outputs": outputs,
    }
    child = run_child(request, folder, timeout_s=timeout_s, memory_mb=memory_mb, cancel=cancel)
    data = dict(child.data)
    data.setdefault("ran", False)
    data.setdefault("scores", {})
    if child.status != "done":
        data["detail"] = child.detail
    data["status"] = child.status
    data["seconds"] = child.seconds
    return data
