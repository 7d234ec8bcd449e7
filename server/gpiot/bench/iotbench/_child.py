"""Child-process side of IoTBench: run hidden tests or a generated app, executed by path as
``python -I -B _child.py REQUEST``.

It reuses the smoke run's resource limits and audit-hook guard (``gpiot/validate/_runner.py``,
loaded by file path since gpiot may not be importable here). Trusted code (the task file with its
hidden tests, the app's ``evaluate.py``, and the libraries the generated code imports) is loaded
before the guard goes in; the generated code runs under it. One JSON object is written to the
result file, which was opened before the guard.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import importlib.util
import json
import math
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, Final

RUNNER: Final = Path(__file__).resolve().parents[2] / "validate" / "_runner.py"
MAPPING: Final = Path(__file__).with_name("mapping.py")
LIMIT: Final = 600


def _trim(text: str, limit: int = LIMIT) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _preimport(paths: list[Path]) -> None:
    """Import the libraries the generated files import, before the guard (they are trusted)."""
    for path in paths:
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                with contextlib.suppress(Exception):
                    importlib.import_module(name)


def _error(exc: BaseException, generated: str) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == generated]
    where = f" (at line {frames[-1].lineno} of the generated code)" if frames else ""
    return _trim(f"{type(exc).__name__}: {exc}{where}")


def run_spec(request: dict[str, Any], guard: Any) -> dict[str, Any]:
    """Hidden tests: ``check(fn)`` from the task file on the generated function."""
    task = _load("iotbench_task", Path(request["task"]))
    generated = Path(request["module"])
    _preimport([generated])
    raised: list[str] = []
    guard.active = True
    try:
        module = _load("generated_module", generated)
        fn = getattr(module, request["function"])
    except BaseException as exc:
        guard.active = False
        return {"status": "import", "executable": False, "detail": _error(exc, str(generated))}

    @functools.wraps(fn)
    def watched(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BaseException as exc:
            raised.append(_error(exc, str(generated)))
            raise

    try:
        task.check(watched)
    except AssertionError as exc:
        guard.active = False
        status = "exception" if raised else "failed"
        detail = raised[0] if raised else _trim(f"AssertionError: {exc}")
        return {"status": status, "executable": not raised, "detail": detail}
    except MemoryError:
        guard.active = False
        return {"status": "memory", "executable": False, "detail": "ran out of memory"}
    except BaseException as exc:
        guard.active = False
        detail = raised[0] if raised else _error(exc, str(generated))
        return {"status": "exception", "executable": False, "detail": detail}
    guard.active = False
    return {"status": "passed", "executable": True, "detail": ""}


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _describe(value: Any) -> str:
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__} shape={tuple(shape)}"
    if isinstance(value, list | tuple):
        return f"{type(value).__name__} of {len(value)}"
    return _trim(repr(value), 80)


def run_app(request: dict[str, Any], guard: Any) -> dict[str, Any]:
    """The generated pipeline's ``run(...)`` on the app's inputs, scored by its evaluate.py."""
    mapping = _load("iotbench_mapping", MAPPING)
    evaluate = _load("iotbench_evaluate", Path(request["evaluate"]))
    out: dict[str, Any] = {"ran": False, "scores": {}, "input_mapping": None}
    try:
        inputs = evaluate.load_inputs()
    except BaseException as exc:
        out["detail"] = f"the harness could not load the app's inputs: {_error(exc, '')}"
        out["harness_error"] = True
        return out
    params = [(str(n), str(t)) for n, t in request["run_params"]]
    kwargs, in_map = mapping.map_inputs(params, inputs)
    out["input_mapping"] = in_map.to_dict()
    if not in_map.ok:
        out["detail"] = f"no app input for run() parameter(s) {', '.join(in_map.missing)}"
        return out
    folder = Path(request["folder"])
    pipeline_path = folder / "pipeline.py"
    _preimport(sorted(folder.glob("*.py")))
    guard.active = True
    try:
        pipeline = _load("generated_pipeline", pipeline_path)
        produced = pipeline.run(**kwargs)
    except BaseException as exc:
        guard.active = False
        frames = traceback.extract_tb(exc.__traceback__)
        where = next(
            (
                f" (in {Path(f.filename).name} line {f.lineno})"
                for f in reversed(frames)
                if Path(f.filename).parent == folder
            ),
            "",
        )
        out["detail"] = _trim(f"run() raised {type(exc).__name__}: {exc}{where}")
        return out
    guard.active = False
    if not isinstance(produced, dict):
        out["detail"] = f"run() returned {type(produced).__name__}, not a dict"
        return out
    out["ran"] = True
    out["produced"] = {str(k): _describe(v) for k, v in produced.items()}
    outputs, out_map = mapping.map_outputs(request["outputs"], produced)
    out["output_mapping"] = out_map.to_dict()
    if not out_map.ok:
        out["detail"] = f"run() produced nothing for output(s) {', '.join(out_map.missing)}"
        return out
    try:
        scores = evaluate.score(outputs)
    except BaseException as exc:
        out["detail"] = f"scoring the outputs failed: {_error(exc, '')}"
        return out
    out["scores"] = {str(k): _number(v) for k, v in dict(scores).items()}
    out["detail"] = ""
    return out


def main() -> int:
    request: dict[str, Any] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    runner = _load("gpiot_sandbox_runner", RUNNER)
    runner._limit(request)
    sys.dont_write_bytecode = True
    with open(request["result"], "w", encoding="utf-8") as result_file:
        import _posixsubprocess

        import numpy  # noqa: F401 - before the guard: it loads ctypes itself

        guard = runner.Guard(Path(request["workdir"]))
        os.chdir(request["workdir"])
        _posixsubprocess.fork_exec = guard.fork_exec
        if "subprocess" in sys.modules:
            sys.modules["subprocess"]._fork_exec = guard.fork_exec  # type: ignore[attr-defined]
        sys.addaudithook(guard)
        try:
            outcome = (
                run_spec(request, guard) if request["mode"] == "spec" else run_app(request, guard)
            )
        except MemoryError:
            outcome = {"status": "memory", "executable": False, "detail": "ran out of memory"}
        if guard.blocked:
            outcome["unsafe"] = _trim("; ".join(dict.fromkeys(guard.blocked)))
        result_file.write(json.dumps(outcome, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
