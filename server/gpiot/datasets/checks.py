"""Run seed checks in the sandbox: a limited child process with the smoke run's audit hook.

Samples run in batches (one interpreter start and one numpy/scipy import per batch), each with its
own namespace and time limit.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from gpiot.validate import sandbox

CHECK_RUNNER: Final = Path(__file__).with_name("_check_runner.py")
BATCH: Final = 150


@dataclass(frozen=True)
class CheckSample:
    id: str
    module: str  # the answer module
    check: str  # the check function's source
    check_name: str
    preamble: tuple[str, ...]  # imports available to the check


@dataclass(frozen=True)
class CheckResult:
    id: str
    passed: bool
    detail: str


def _run_batch(
    batch: Sequence[CheckSample], per_sample_s: float, memory_mb: int
) -> list[CheckResult]:
    with tempfile.TemporaryDirectory(prefix="gpiot-seedcheck-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        work = root / "work"
        work.mkdir()
        request = {
            "smoke_runner": str(sandbox.RUNNER),
            "workdir": str(work),
            "result": str(root / "result.json"),
            "memory_mb": memory_mb,
            "cpu_s": math.ceil(per_sample_s * len(batch)) + 30,
            "per_sample_s": per_sample_s,
            "samples": [
                {
                    "id": s.id,
                    "module": s.module,
                    "check": s.check,
                    "check_name": s.check_name,
                    "preamble": list(s.preamble),
                }
                for s in batch
            ],
        }
        (root / "req.json").write_text(json.dumps(request), encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "TMPDIR": str(work), "LC_ALL": "C.UTF-8"}
        env |= dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"), "1")
        proc = subprocess.run(
            [sys.executable, "-I", "-B", str(CHECK_RUNNER), str(root / "req.json")],
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=per_sample_s * len(batch) + 60,
            check=False,
        )
        try:
            data = json.loads((root / "result.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            detail = f"check process ended with {proc.returncode}: {tail[0]}"
            return [CheckResult(s.id, False, detail) for s in batch]
    return [
        CheckResult(s.id, bool(data[s.id][0]), str(data[s.id][1]))
        if s.id in data
        else CheckResult(s.id, False, "no result (the process stopped before it)")
        for s in batch
    ]


def run_checks(
    samples: Sequence[CheckSample], per_sample_s: float = 10.0, memory_mb: int = 2048
) -> list[CheckResult]:
    """Run every sample's check on its module; results in the samples' order."""
    results: list[CheckResult] = []
    for start in range(0, len(samples), BATCH):
        results += _run_batch(samples[start : start + BATCH], per_sample_s, memory_mb)
    return results
