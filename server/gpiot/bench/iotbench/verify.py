"""Check the harness and the tasks without the model: every reference through the same sandbox.

A spec task's reference must pass its hidden tests; an application's ``reference_solution.py``
(``solve(inputs) -> outputs``), wrapped as a ``pipeline.run(...)``, must run and be scored.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from gpiot.bench.iotbench.execute import run_generated_app, run_hidden_tests
from gpiot.bench.iotbench.mapping import kind_of_description
from gpiot.bench.iotbench.tasks import AppTask, Benchmark


@dataclass(frozen=True)
class Verdict:
    kind: str
    task: str
    ok: bool
    detail: str


def _shim(app: AppTask, solution: Path) -> str:
    names = list(app.inputs)
    mapping = ", ".join(f"{n!r}: {n}" for n in names)
    return (
        "import importlib.util\n\n\n"
        f"def run({', '.join(names)}):\n"
        f"    spec = importlib.util.spec_from_file_location('reference', {str(solution)!r})\n"
        "    module = importlib.util.module_from_spec(spec)\n"
        "    spec.loader.exec_module(module)\n"
        f"    return module.solve({{{mapping}}})\n"
    )


def verify_app(app: AppTask) -> Verdict:
    solution = (app.folder / "reference_solution.py").resolve()
    if not solution.is_file():
        return Verdict("app", app.id, True, "no reference_solution.py (nothing to check)")
    with tempfile.TemporaryDirectory(prefix="gpiot-bench-verify-") as tmp:
        folder = Path(tmp) / "reference_subtasks"
        folder.mkdir()
        (folder / "pipeline.py").write_text(_shim(app, solution), encoding="utf-8")
        types = [
            (n, "np.ndarray" if kind_of_description(d) == "array" else "float")
            for n, d in app.inputs.items()
        ]
        outcome = run_generated_app(folder, app.evaluate, types, app.outputs)
    ok = bool(outcome.get("ran")) and bool(outcome.get("scores"))
    scores = ", ".join(
        f"{k} {v:.3g}" for k, v in outcome.get("scores", {}).items() if v is not None
    )
    return Verdict("app", app.id, ok, scores if ok else str(outcome.get("detail", "")))


def verify_references(benchmark: Benchmark) -> list[Verdict]:
    verdicts = []
    for task in benchmark.spec:
        result = run_hidden_tests(task.path, task.function, task.path.read_text(encoding="utf-8"))
        detail = f"{result.seconds:.1f} s" if result.passed else f"{result.status}: {result.detail}"
        verdicts.append(Verdict("spec", task.id, result.passed, detail))
    verdicts += [verify_app(app) for app in benchmark.apps]
    return verdicts
