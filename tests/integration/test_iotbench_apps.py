"""IoTBench application tasks: each app's reference solution, run through its evaluate.py on the
real recordings the packages ship, scores in the range recorded in knowledge/iotbench/DATA.md."""

from __future__ import annotations

import importlib.util
import json
import warnings
from pathlib import Path
from types import ModuleType

import pytest

APPS = Path(__file__).resolve().parents[2] / "knowledge" / "iotbench" / "apps"

# metric: (low, high) — the recorded reference-solution score with a small margin
EXPECTED: dict[str, dict[str, tuple[float, float]]] = {
    "ecg_heartbeats_mitbih208": {
        "precision": (0.95, 1.0),
        "recall": (0.93, 1.0),
        "f1": (0.94, 1.0),
    },
    "ppg_heart_rate_heartpy": {"mae_bpm": (0.0, 3.0), "within_5bpm": (0.75, 1.0)},
    "har_watch_subjects": {"accuracy": (0.7, 1.0), "macro_f1": (0.7, 1.0)},
    "rep_count_watch": {"mae_reps": (0.0, 1.5), "within_1": (0.85, 1.0)},
}


def _load(app: str, name: str) -> ModuleType:
    path = APPS / app / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"iotbench_app_{app}_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_app_is_covered() -> None:
    assert sorted(p.name for p in APPS.iterdir() if p.is_dir()) == sorted(EXPECTED)


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_task_json_names_inputs_and_outputs(app: str) -> None:
    task = json.loads((APPS / app / "task.json").read_text(encoding="utf-8"))
    assert task["id"] == app
    for key in ("title", "statement", "dataset", "metric", "inputs", "outputs"):
        assert task[key], key
    for name in (*task["inputs"], *task["outputs"]):
        assert name in task["statement"], f"the statement must name {name!r}"
    inputs = _load(app, "evaluate").load_inputs()
    assert sorted(inputs) == sorted(task["inputs"])


@pytest.mark.parametrize("app", sorted(EXPECTED))
def test_reference_solution_scores_in_recorded_range(app: str) -> None:
    evaluate = _load(app, "evaluate")
    solution = _load(app, "reference_solution")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outputs = solution.solve(evaluate.load_inputs())
        scores = evaluate.score(outputs)
        empty = evaluate.score({})
    for metric, (low, high) in EXPECTED[app].items():
        assert low <= scores[metric] <= high, f"{app}: {metric} = {scores[metric]:.3f}"
        assert not low <= empty[metric] <= high, f"{app}: an empty answer must not score {metric}"


@pytest.mark.parametrize(
    "app", ["ecg_heartbeats_mitbih208", "ppg_heart_rate_heartpy", "rep_count_watch"]
)
def test_derived_reference_is_frozen_and_labelled(app: str) -> None:
    ref = json.loads((APPS / app / "reference.json").read_text(encoding="utf-8"))
    assert ref["derived"] is True and ref["method"]
    assert (APPS / app / "derive.py").is_file()
