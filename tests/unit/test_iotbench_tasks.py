"""IoTBench task content: every spec task honours the TASK/SPEC/FUNCTION contract, its reference
passes its hidden tests and obviously wrong implementations fail them; the decomposition tasks
parse."""

from __future__ import annotations

import importlib.util
import inspect
import json
import warnings
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from gpiot.pipeline.decomposition import Decomposition
from gpiot.pipeline.prompts import PARAM_TYPES
from gpiot.pipeline.spec import Spec

IOTBENCH = Path(__file__).resolve().parents[2] / "knowledge" / "iotbench"
SPEC_FILES = sorted((IOTBENCH / "spec").glob("*/*.py"))
CATEGORIES = {
    "filtering", "resampling", "peak_detection", "hrv", "ppg", "imu_orientation", "counting",
    "windowing_features", "spectral", "anomaly", "classification", "edge",
}  # fmt: skip
MODALITIES = {"ecg", "ppg", "imu", "audio", "csi", "radar", "environmental", "edge", "data"}
DIFFICULTIES = {"easy", "medium", "hard"}


def load_task(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"iotbench_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _identity(*args: Any) -> Any:
    return args[0]


def _none(*args: Any) -> Any:
    return None


def _raises(*args: Any) -> Any:
    raise RuntimeError("not implemented")


@pytest.fixture(scope="module", params=SPEC_FILES, ids=[p.stem for p in SPEC_FILES])
def task(request: pytest.FixtureRequest) -> ModuleType:
    return load_task(request.param)


def test_enough_tasks_per_category() -> None:
    tasks = [load_task(p).TASK for p in SPEC_FILES]
    assert len(tasks) >= 60
    per_category = Counter(t["category"] for t in tasks)
    assert set(per_category) == CATEGORIES
    assert min(per_category.values()) >= 4, per_category
    per_difficulty = Counter(t["difficulty"] for t in tasks)
    assert all(per_difficulty[d] >= len(tasks) // 4 for d in DIFFICULTIES), per_difficulty
    assert set(Counter(t["modality"] for t in tasks)) == MODALITIES


def test_task_contract(task: ModuleType) -> None:
    meta = task.TASK
    path = Path(str(task.__file__))
    assert meta["id"] == path.stem
    assert meta["category"] == path.parent.name and meta["category"] in CATEGORIES
    assert meta["modality"] in MODALITIES
    assert meta["difficulty"] in DIFFICULTIES
    assert meta["methods"] and all(isinstance(m, str) and m for m in meta["methods"])
    spec = Spec.from_markdown(task.SPEC, function=task.FUNCTION)
    assert spec.inputs and spec.outputs
    for param in (*spec.inputs, *spec.outputs):
        assert param.type in PARAM_TYPES, f"{param.name}: type {param.type!r}"
        assert len(param.description) >= 10, f"{param.name}: describe units/shape"
    reference = getattr(task, task.FUNCTION)
    assert list(inspect.signature(reference).parameters) == [p.name for p in spec.inputs]


def test_reference_passes(task: ModuleType) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        task.check(getattr(task, task.FUNCTION))


@pytest.mark.parametrize("wrong", [_identity, _none, _raises], ids=["identity", "none", "raises"])
def test_wrong_implementation_fails(task: ModuleType, wrong: Any) -> None:
    with warnings.catch_warnings(), pytest.raises(Exception):  # noqa: B017
        warnings.simplefilter("ignore")
        task.check(wrong)


def _decompositions() -> list[dict[str, Any]]:
    lines = (IOTBENCH / "decomposition.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_decomposition_tasks() -> None:
    rows = _decompositions()
    assert len(rows) >= 30
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids), "duplicate decomposition ids"
    assert {r["modality"] for r in rows} >= MODALITIES - {"edge", "data"}
    for row in rows:
        assert row["modality"] in MODALITIES, row["id"]
        assert len(row["statement"]) > 40, row["id"]
        decomposition = Decomposition.from_dict(row)
        assert 3 <= len(decomposition.subtasks) <= 6, row["id"]
        for sub in decomposition.subtasks:
            # within TD_SCHEMA's limits, so the reference is an answer TD could produce
            assert sub.name and len(sub.name) <= 60, row["id"]
            assert 1 <= len(sub.steps) <= 4, row["id"]
            assert all(10 <= len(step) <= 160 for step in sub.steps), row["id"]
