"""Smoke run: call the generated function once, in a limited and watched child process."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from gpiot.cancel import CancelToken
from gpiot.pipeline.spec import Spec
from gpiot.validate.problems import SMOKE_STATUSES, SmokeResult, trim

__all__ = ["RUNNER", "SmokeResult", "smoke_run"]

RUNNER: Final = Path(__file__).with_name("_runner.py")
POLL_S: Final = 0.02
DUMP_GRACE_S: Final = 0.15
LOG_TAIL_BYTES: Final = 16_384
MODULE_NAME: Final = "generated.py"
_MEMORY_HINTS: Final = re.compile(
    r"MemoryError|Cannot allocate memory|bad_alloc|out of memory|Unable to allocate", re.IGNORECASE
)
_FRAME: Final = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<name>\S+)')


def _environment(workdir: Path) -> dict[str, str]:
    """A minimal environment: nothing is inherited from the server's."""
    home = str(workdir)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": home,
        "TMPDIR": home,
        "MPLCONFIGDIR": home,
        "MPLBACKEND": "Agg",
    }
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
    ):
        env[name] = "1"
    return env


def _exited(process: subprocess.Popen[bytes]) -> bool:
    """True once the child has exited; on Linux it stays unreaped so its group id stays ours."""
    if not hasattr(os, "waitid"):  # macOS: poll() reaps, and _kill_group then leaves it alone
        return process.poll() is not None
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _kill_group(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
    """Signal the child's whole process group, unless the child has already been reaped."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _watch(process: subprocess.Popen[bytes], deadline: float, cancel: CancelToken | None) -> str:
    """Wait for the child; "exited", "timeout" or "cancelled"."""
    while True:
        if _exited(process):
            return "exited"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "timeout"
        step = min(POLL_S, remaining)
        if cancel is not None:
            if cancel.wait(step):
                return "cancelled"
        else:
            time.sleep(step)


def _log_tail(log: Path) -> str:
    try:
        with log.open("rb") as handle:
            handle.seek(max(0, log.stat().st_size - LOG_TAIL_BYTES))
            return handle.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _stuck_at(log_text: str, module: Path) -> tuple[str, int | None]:
    """Where faulthandler's dump says the generated code was (innermost frame first)."""
    for match in _FRAME.finditer(log_text):
        if Path(match["file"]).name == module.name:
            return f" (it was at line {match['line']} in {match['name']})", int(match["line"])
    return "", None


def _from_child(data: dict[str, Any], seconds: float) -> SmokeResult:
    status = str(data.get("status", "failed"))
    if status not in SMOKE_STATUSES or status == "cancelled":
        status = "failed"
    kind = data.get("kind")
    line = data.get("line")
    return SmokeResult(
        status=status,
        detail=trim(str(data.get("detail", "")), 800),
        seconds=seconds,
        kind=str(kind) if kind else ("runtime" if status == "failed" else None),
        line=line if isinstance(line, int) else None,
    )


def _without_result(returncode: int, log_text: str, seconds: float, memory_mb: int) -> SmokeResult:
    """Explain a child that ended without writing its result (a signal, ``os._exit``, …)."""
    last = trim(log_text.strip().splitlines()[-1], 300) if log_text.strip() else ""
    tail = f": {last}" if last else ""
    if returncode < 0:
        sig = -returncode
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = f"signal {sig}"
        if sig == signal.SIGXCPU:
            return SmokeResult("timeout", "used up its CPU time limit", seconds, kind="timeout")
        if _MEMORY_HINTS.search(log_text) or sig == signal.SIGKILL:
            detail = f"ran out of memory (limit {memory_mb} MB; killed by {name}){tail}"
            return SmokeResult("memory", detail, seconds, kind="memory")
        return SmokeResult("failed", f"the process crashed ({name}){tail}", seconds, kind="runtime")
    if _MEMORY_HINTS.search(log_text):
        detail = f"ran out of memory (limit {memory_mb} MB){tail}"
        return SmokeResult("memory", detail, seconds, kind="memory")
    detail = f"the process exited with status {returncode} before reporting a result{tail}"
    return SmokeResult("failed", detail, seconds, kind="runtime")


def run_script(
    script: Path,
    request: dict[str, Any],
    request_path: Path,
    log_path: Path,
    workdir: Path,
    deadline: float,
    cancel: CancelToken | None,
    dump_on_timeout: bool = False,
) -> tuple[str, int]:
    """Run ``script`` on ``request`` in a sandboxed child (isolated, minimal environment, own
    session, ``workdir`` as cwd) until it exits, ``deadline`` passes or ``cancel`` is set; its
    output goes to ``log_path``. Returns the outcome of the wait and the exit code."""
    request_path.write_text(json.dumps(request), encoding="utf-8")
    command = [sys.executable, "-I", "-B", str(script), str(request_path)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=workdir,
            env=_environment(workdir),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            close_fds=True,
        )
    try:
        outcome = _watch(process, deadline, cancel)
        if outcome == "timeout" and dump_on_timeout:  # ask faulthandler where it is stuck
            _kill_group(process, signal.SIGUSR1)
            grace = time.monotonic() + DUMP_GRACE_S
            while time.monotonic() < grace and not _exited(process):
                time.sleep(0.01)
    finally:
        _kill_group(process)
        process.wait()
    return outcome, process.returncode


def smoke_run(
    source: str,
    spec: Spec,
    *,
    timeout_s: float = 10.0,
    memory_mb: int = 1024,
    cancel: CancelToken | None = None,
) -> SmokeResult:
    """Import ``source`` and call ``spec.function`` once on synthesised arguments.

    The child runs isolated (``-I``) in a fresh temporary directory that is removed afterwards,
    with a minimal environment, address-space/CPU/file-size limits, no core dumps, its own
    session (so the whole group can be killed), an audit hook against processes, networking,
    native code and writes outside its directory, and a wall-clock limit of ``timeout_s`` that
    includes interpreter start-up. ``cancel`` is polled every 20 ms.
    """
    started = time.monotonic()
    if cancel is not None and cancel.cancelled:
        return SmokeResult("cancelled", cancel.reason, 0.0)
    with tempfile.TemporaryDirectory(prefix="gpiot-smoke-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        workdir = root / "work"
        workdir.mkdir()
        module = workdir / MODULE_NAME
        module.write_text(source, encoding="utf-8")
        result_path, log_path, request_path = (
            root / "result.json",
            root / "log.txt",
            root / "req.json",
        )
        request = {
            "module": str(module),
            "workdir": str(workdir),
            "result": str(result_path),
            "spec": spec.to_dict(),
            "memory_mb": memory_mb,
            "cpu_s": math.ceil(timeout_s) + 1,
        }
        outcome, returncode = run_script(
            RUNNER, request, request_path, log_path, workdir, started + timeout_s, cancel, True
        )
        seconds = time.monotonic() - started
        if outcome == "cancelled":
            reason = cancel.reason if cancel is not None else "cancelled"
            return SmokeResult("cancelled", reason, seconds)
        log_text = _log_tail(log_path)
        if outcome == "timeout":
            where, line = _stuck_at(log_text, module)
            detail = f"did not finish within {timeout_s:g} s{where}"
            return SmokeResult("timeout", detail, seconds, kind="timeout", line=line)
        try:
            data = json.loads(result_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict):
            return _from_child(data, seconds)
        return _without_result(returncode, log_text, seconds, memory_mb)
