"""Child-process side of the seed checks: ``python -I -B _check_runner.py REQUEST``.

It reuses the smoke run's resource limits and audit hook (``gpiot/validate/_runner.py``, loaded by
path, so gpiot need not be importable here), then, for each sample: executes the seed file's
imports and the answer module in a fresh namespace, defines the check and calls it, with a
per-sample time limit. It writes one JSON object ``{id: [passed, detail]}`` to the result file.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import sys
import time
import traceback
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any


class SampleTimeout(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise SampleTimeout("the check did not finish in time")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_one(sample: dict[str, Any], seconds: float) -> tuple[bool, str]:
    namespace: dict[str, Any] = {"__name__": f"seed_{sample['id']}"}
    started = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        exec(compile("\n".join(sample["preamble"]), "<preamble>", "exec"), namespace)
        exec(compile(sample["module"], "<module>", "exec"), namespace)
        exec(compile(sample["check"], "<check>", "exec"), namespace)
        namespace[sample["check_name"]]()
    except BaseException as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        where = next(
            (f"{f.filename}:{f.lineno}" for f in reversed(frames) if f.filename[0] == "<"), ""
        )
        return False, f"{type(exc).__name__}: {str(exc)[:300]} {where}".strip()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return True, f"{time.perf_counter() - started:.3f} s"


def main() -> int:
    request: dict[str, Any] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    runner = _load("gpiot_smoke_runner", Path(request["smoke_runner"]))
    runner._limit(request)
    with open(request["result"], "w", encoding="utf-8") as result_file:
        import _posixsubprocess

        import numpy  # noqa: F401 - before the hook: numpy and scipy load ctypes themselves
        import scipy.fft
        import scipy.integrate
        import scipy.interpolate
        import scipy.linalg
        import scipy.ndimage
        import scipy.optimize
        import scipy.signal
        import scipy.spatial
        import scipy.stats  # noqa: F401

        guard = runner.Guard(Path(request["workdir"]))
        _posixsubprocess.fork_exec = guard.fork_exec
        sys.addaudithook(guard)
        guard.active = True
        signal.signal(signal.SIGALRM, _alarm)
        results: dict[str, list[Any]] = {}
        for sample in request["samples"]:
            ok, detail = run_one(sample, float(request["per_sample_s"]))
            if guard.blocked:
                ok, detail = False, "blocked by the sandbox: " + "; ".join(guard.blocked)
                guard.blocked.clear()
            results[sample["id"]] = [ok, detail]
        result_file.write(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
