"""IoTBench end to end: the sandboxed harness on real tasks, and `gpiot bench iot` on the real
pipeline (marker `model`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpiot.bench.iotbench.command import spread
from gpiot.bench.iotbench.execute import run_generated_app, run_hidden_tests
from gpiot.bench.iotbench.tasks import SpecTask, load_benchmark
from gpiot.bench.iotbench.verify import verify_app
from gpiot.cli import main


def first_tasks(n: int) -> list[SpecTask]:
    tasks = spread(load_benchmark().spec, lambda t: t.category)[:n]
    assert len(tasks) == n, "knowledge/iotbench/spec/ holds too few tasks"
    return tasks


def test_hidden_tests_run_in_the_sandbox_on_a_real_task() -> None:
    task = first_tasks(1)[0]
    reference = run_hidden_tests(task.path, task.function, task.path.read_text())
    assert reference.passed and reference.executable, reference
    params = ", ".join(p.name for p in task.spec.inputs)
    first = task.spec.inputs[0].name
    identity = f"def {task.function}({params}):\n    return {first}\n"
    wrong = run_hidden_tests(task.path, task.function, identity)
    assert not wrong.passed and wrong.status in ("failed", "exception"), wrong
    raising = f"def {task.function}({params}):\n    raise RuntimeError('boom')\n"
    crashed = run_hidden_tests(task.path, task.function, raising)
    assert not crashed.passed and not crashed.executable and "boom" in crashed.detail
    unsafe = f"import os\ndef {task.function}({params}):\n    os.system('true')\n"
    blocked = run_hidden_tests(task.path, task.function, unsafe)
    assert not blocked.executable and "blocked by the sandbox" in blocked.detail


EVALUATE = """
import numpy as np

def load_inputs():
    return {"ecg": np.arange(10.0), "fs": 100.0}

def score(outputs):
    peaks = np.asarray(outputs["r_peaks"])
    return {"n_peaks": float(len(peaks)), "first": float(peaks[0])}
"""

PIPELINE = """
def run(ecg_signal, sampling_rate):
    import numpy as np
    filtered = np.asarray(ecg_signal) * 2
    return {"filtered": filtered, "r_peak_indices": np.array([3, 7]), "rate": sampling_rate}
"""


def test_a_generated_app_runs_in_the_sandbox_with_mapped_inputs_and_outputs(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "app_subtasks"
    folder.mkdir()
    (folder / "pipeline.py").write_text(PIPELINE)
    evaluate = tmp_path / "evaluate.py"
    evaluate.write_text(EVALUATE)
    params = [("ecg_signal", "np.ndarray"), ("sampling_rate", "float")]
    outcome = run_generated_app(folder, evaluate, params, {"r_peaks": "indices of the R-peaks"})
    assert outcome["ran"] is True, outcome
    assert outcome["scores"] == {"n_peaks": 2.0, "first": 3.0}
    assert outcome["input_mapping"]["pairs"] == {"ecg_signal": "ecg", "sampling_rate": "fs"}
    assert outcome["output_mapping"]["pairs"] == {"r_peaks": "r_peak_indices"}
    (folder / "pipeline.py").write_text(PIPELINE.replace("* 2", "* undefined_name"))
    failed = run_generated_app(folder, evaluate, params, {"r_peaks": "indices"})
    assert failed["ran"] is False and "NameError" in failed["detail"]
    unmapped = run_generated_app(folder, evaluate, [("path", "str")], {"r_peaks": "indices"})
    assert unmapped["ran"] is False and unmapped["input_mapping"]["missing"] == ["path"]


def test_an_app_reference_solution_runs_through_the_harness_on_its_real_recording() -> None:
    apps = [a for a in load_benchmark().apps if (a.folder / "reference_solution.py").is_file()]
    assert apps, "knowledge/iotbench/apps/ holds no application with a reference solution"
    verdict = verify_app(apps[0])
    assert verdict.ok, verdict.detail


@pytest.mark.model
def test_bench_iot_runs_the_real_pipeline_and_resumes(tmp_path: Path) -> None:
    tasks = first_tasks(2)
    folder, checkpoint = tmp_path / "report", tmp_path / "ck.jsonl"
    output, report = folder / "iotbench.json", folder / "iotbench.md"
    argv = [
        "bench", "iot", "--kinds", "spec", "--configs", "base,full",
        "--tasks", ",".join(t.id for t in tasks), "--samples", "1",
        "--checkpoint", str(checkpoint), "--report", str(folder),
    ]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(output.read_text())
    spec = data["results"]["base"]["spec"]
    assert spec["tasks"] == 2 and spec["samples"] == 2
    for key in ("pass@1", "executability", "method_rate", "lint_per_100_lines", "validated_rate"):
        assert spec[key] is not None and 0 <= spec[key] <= 100, key
    assert spec["pass@5"] is None  # needs n >= 5
    assert spec["embedding_similarity"] is None or -1 <= spec["embedding_similarity"] <= 1
    assert set(spec["per_task"]) == {t.id for t in tasks}
    assert spec["cost"]["generated_tokens"]["cg"] > 0 and spec["cost"]["peak_rss_mib"] > 100
    assert "full" in data["skipped"] or "full" in data["results"]
    assert data["settings"]["temperature"] == 0.4 and data["units_reported"] == 2 * (
        1 + ("full" in data["results"])
    )
    rows = [json.loads(line) for line in checkpoint.read_text().splitlines()[1:]]
    assert {r["task"] for r in rows if r["config"] == "base"} == {t.id for t in tasks}
    assert all(f"def {t.function}(" in r["code"] for r in rows for t in tasks if t.id == r["task"])
    assert "| pass@1 |" in report.read_text()
    # a second run finds everything in the checkpoint and runs no unit again
    before = checkpoint.read_text()
    assert main(argv) == 0
    assert checkpoint.read_text() == before
