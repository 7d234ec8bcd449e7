"""Loading IoTBench tasks from ``knowledge/iotbench/`` and checking them against the contract.

Spec-level tasks are Python files imported by path (they hold the reference and the hidden tests);
decomposition tasks are lines of a JSONL file; application tasks are folders. Any file that breaks
the contract stops the load with an error that names the file (and line).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from gpiot.errors import GpiotError
from gpiot.pipeline.decomposition import Decomposition
from gpiot.pipeline.prompts import PARAM_TYPES
from gpiot.pipeline.spec import Spec, SpecFormatError, is_identifier

IOTBENCH_DIR = Path(__file__).resolve().parents[4] / "knowledge" / "iotbench"
CATEGORIES = (
    "filtering",
    "resampling",
    "peak_detection",
    "hrv",
    "ppg",
    "imu_orientation",
    "counting",
    "windowing_features",
    "spectral",
    "anomaly",
    "classification",
    "edge",
)
MODALITIES = ("ecg", "ppg", "imu", "audio", "csi", "radar", "environmental", "edge", "data")
APP_KEYS = ("id", "title", "statement", "dataset", "metric", "inputs", "outputs")


class TaskFormatError(GpiotError):
    """A benchmark task file does not follow the IoTBench format."""


@dataclass(frozen=True)
class SpecTask:
    id: str
    category: str
    modality: str
    methods: tuple[str, ...]
    function: str
    spec: Spec
    spec_text: str
    reference_source: str  # the reference function's source, for code-embedding similarity
    path: Path


@dataclass(frozen=True)
class DecompositionTask:
    id: str
    modality: str
    statement: str
    reference: Decomposition


@dataclass(frozen=True)
class AppTask:
    id: str
    title: str
    statement: str
    metric: dict[str, Any]
    inputs: dict[str, str]
    outputs: dict[str, str]
    folder: Path

    @property
    def evaluate(self) -> Path:
        return self.folder / "evaluate.py"


@dataclass(frozen=True)
class Benchmark:
    spec: list[SpecTask] = field(default_factory=list)
    decomposition: list[DecompositionTask] = field(default_factory=list)
    apps: list[AppTask] = field(default_factory=list)


def _where(path: Path) -> str:
    try:
        return str(path.relative_to(IOTBENCH_DIR.parents[1]))
    except ValueError:
        return str(path)


def _fail(path: Path, message: str, line: int | None = None) -> TaskFormatError:
    at = f"{_where(path)}:{line}" if line else _where(path)
    return TaskFormatError(f"{at}: {message}", "see the IoTBench task format")


def import_by_path(path: Path, name: str) -> ModuleType:
    """Import a Python file as module ``name`` (kept in ``sys.modules``, as dataclasses need)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise _fail(path, "cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise _fail(path, f"importing it failed: {type(exc).__name__}: {exc}") from exc
    return module


def _function_source(path: Path, text: str, function: str) -> str:
    tree = ast.parse(text, str(path))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return ast.get_source_segment(text, node) or ""
    raise _fail(path, f"FUNCTION {function!r} is not defined at module level")


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)


def load_spec_task(path: Path) -> SpecTask:
    module = import_by_path(path, f"iotbench_spec_{path.stem}")
    task = getattr(module, "TASK", None)
    if not isinstance(task, dict):
        raise _fail(path, "has no TASK dict")
    missing = [k for k in ("id", "category", "modality", "methods") if k not in task]
    if missing:
        raise _fail(path, f"TASK lacks {', '.join(missing)}")
    if task["id"] != path.stem:
        raise _fail(path, f"TASK id {task['id']!r} differs from the file name {path.stem!r}")
    if task["category"] not in CATEGORIES:
        raise _fail(path, f"unknown category {task['category']!r} (one of {', '.join(CATEGORIES)})")
    if task["category"] != path.parent.name:
        raise _fail(path, f"category {task['category']!r} but it lies in {path.parent.name}/")
    if task["modality"] not in MODALITIES:
        raise _fail(path, f"unknown modality {task['modality']!r}")
    if not _string_list(task["methods"]):
        raise _fail(path, "TASK methods must be a non-empty list of names")
    function, spec_text = getattr(module, "FUNCTION", None), getattr(module, "SPEC", None)
    if not isinstance(function, str) or not is_identifier(function):
        raise _fail(path, "FUNCTION must be the reference function's name")
    if not isinstance(spec_text, str):
        raise _fail(path, "SPEC must be a string in the spec Markdown format")
    try:
        spec = Spec.from_markdown(spec_text, function=function)
    except SpecFormatError as exc:
        raise _fail(path, f"SPEC does not parse: {exc}") from exc
    bad = [p.render() for p in (*spec.inputs, *spec.outputs) if p.type not in PARAM_TYPES]
    if bad:
        raise _fail(path, f"SPEC parameter types outside PARAM_TYPES: {'; '.join(bad)}")
    if not spec.inputs or not spec.outputs:
        raise _fail(path, "SPEC needs at least one input and one output")
    if not callable(getattr(module, function, None)):
        raise _fail(path, f"no callable reference {function!r}")
    if not callable(getattr(module, "check", None)):
        raise _fail(path, "no check(fn) function (the hidden tests)")
    source = _function_source(path, path.read_text(encoding="utf-8"), function)
    return SpecTask(
        id=task["id"],
        category=task["category"],
        modality=task["modality"],
        methods=tuple(task["methods"]),
        function=function,
        spec=spec,
        spec_text=spec_text,
        reference_source=source,
        path=path,
    )


def load_decomposition_tasks(path: Path) -> list[DecompositionTask]:
    tasks: list[DecompositionTask] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise _fail(path, f"not JSON ({exc})", number) from exc
        if not isinstance(data, dict):
            raise _fail(path, "each line must be a JSON object", number)
        for key in ("id", "modality", "statement", "subtasks"):
            if key not in data:
                raise _fail(path, f"missing {key!r}", number)
        task_id = str(data["id"])
        if task_id in seen:
            raise _fail(path, f"duplicate id {task_id!r}", number)
        seen.add(task_id)
        subtasks = data["subtasks"]
        if not isinstance(subtasks, list) or not 3 <= len(subtasks) <= 6:
            raise _fail(path, f"{task_id}: subtasks must be a list of 3 to 6 entries", number)
        for item in subtasks:
            if not isinstance(item, dict) or not item.get("name") or not item.get("steps"):
                raise _fail(path, f"{task_id}: every sub-task needs a name and steps", number)
            if not _string_list(item["steps"]):
                raise _fail(path, f"{task_id}: steps must be a list of strings", number)
        statement = str(data["statement"]).strip()
        if not statement:
            raise _fail(path, f"{task_id}: empty statement", number)
        reference = Decomposition.from_dict({"statement": statement, "subtasks": subtasks})
        tasks.append(DecompositionTask(task_id, str(data["modality"]), statement, reference))
    return tasks


def _defined_functions(path: Path) -> set[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as exc:
        raise _fail(path, f"syntax error: {exc.msg}", exc.lineno) from exc
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}


def load_app_task(folder: Path) -> AppTask:
    """Checked statically: evaluate.py is only run in the sandboxed child (it loads datasets)."""
    path = folder / "task.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(path, f"cannot be read as JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise _fail(path, "must be a JSON object")
    missing = [k for k in APP_KEYS if k not in data]
    if missing:
        raise _fail(path, f"lacks {', '.join(missing)}")
    if data["id"] != folder.name:
        raise _fail(path, f"id {data['id']!r} differs from the folder name {folder.name!r}")
    for key in ("inputs", "outputs"):
        value = data[key]
        if not isinstance(value, dict) or not value or not all(is_identifier(k) for k in value):
            raise _fail(path, f"{key} must map parameter names to descriptions")
    evaluate = folder / "evaluate.py"
    if not evaluate.is_file():
        raise _fail(evaluate, "is missing")
    absent = {"load_inputs", "score"} - _defined_functions(evaluate)
    if absent:
        raise _fail(evaluate, f"does not define {', '.join(sorted(absent))}")
    return AppTask(
        id=str(data["id"]),
        title=str(data["title"]),
        statement=str(data["statement"]).strip(),
        metric=dict(data["metric"]),
        inputs={str(k): str(v) for k, v in data["inputs"].items()},
        outputs={str(k): str(v) for k, v in data["outputs"].items()},
        folder=folder,
    )


def load_benchmark(root: Path = IOTBENCH_DIR) -> Benchmark:
    """Every task under ``root``, sorted by id within each kind. A missing part is empty."""
    if not root.is_dir():
        raise TaskFormatError(
            f"no IoTBench tasks at {root}", "the tasks live in knowledge/iotbench/"
        )
    spec = [load_spec_task(p) for p in sorted((root / "spec").glob("*/*.py"))]
    ids = [t.id for t in spec]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise TaskFormatError(f"spec task ids used twice: {', '.join(duplicates)}")
    jsonl = root / "decomposition.jsonl"
    decomposition = load_decomposition_tasks(jsonl) if jsonl.is_file() else []
    apps_dir = root / "apps"
    apps = (
        [load_app_task(d) for d in sorted(apps_dir.iterdir()) if (d / "task.json").is_file()]
        if apps_dir.is_dir()
        else []
    )
    return Benchmark(
        sorted(spec, key=lambda t: t.id),
        sorted(decomposition, key=lambda t: t.id),
        sorted(apps, key=lambda t: t.id),
    )
