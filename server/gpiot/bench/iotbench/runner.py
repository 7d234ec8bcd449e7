"""Run IoTBench on the real pipeline: one unit per (configuration, task, sample), checkpointed.

* spec tasks: CG (``stages.generate_code_samples``) on the task's spec; the best attempt is
  scored by the hidden tests in a sandboxed child, statically for the task's methods, by ruff,
  and by embedding similarity to the reference;
* decomposition tasks: TD (``stages.decompose``) against the reference decomposition;
* applications: ``run_app`` into a temporary workspace, then the generated ``pipeline.run(...)``
  on the app's inputs in a sandboxed child, scored by the app's ``evaluate.py``.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np

from gpiot.bench.iotbench import metrics
from gpiot.bench.iotbench.checkpoint import Checkpoint, unit_key
from gpiot.bench.iotbench.configs import BenchConfig
from gpiot.bench.iotbench.execute import run_generated_app, run_hidden_tests
from gpiot.bench.iotbench.lint import RUFF_DESCRIPTION, lint, ruff_path
from gpiot.bench.iotbench.measure import BenchRuntime, StageClock, peak_rss_mib, token_delta
from gpiot.bench.iotbench.tasks import AppTask, Benchmark, DecompositionTask, SpecTask
from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled, GpiotError
from gpiot.model.provision import file_sha256
from gpiot.pipeline import stages
from gpiot.pipeline.render import PIPELINE_FILE, plan_pipeline
from gpiot.pipeline.run import run_app
from gpiot.pipeline.workspace import Workspace
from gpiot.retrieval.corpus import NOTES_DIR, REPO_ROOT
from gpiot.retrieval.hook import NoRetrieval, Retriever
from gpiot.runtime.adapters import MANIFEST_NAME
from gpiot.runtime.sampling import ROLE_SAMPLING, Role, Sampling
from gpiot.settings import Settings

COMPLETENESS_THRESHOLD: Final = 0.5
DEFAULT_TEMPERATURE: Final = 0.4
MAX_PARALLEL: Final = 8  # samples decoded together (2 cores: 4 → 2.4×, 8 → 3.2× tokens/s)
# 2: the header names the role sampling and the adapters' manifest; 3: and the system's code
BENCH_VERSION: Final = 3
_PACKAGE: Final = Path(__file__).resolve().parents[2]
# What a unit's row depends on besides the header's settings: the engine's code, the harness code
# that runs and scores a unit, and the knowledge notes. The report is built from the rows
# afterwards, so its code may change during a run.
_SYSTEM_CODE: Final = (
    "pipeline",
    "runtime",
    "validate",
    "retrieval",
    "model",
    "settings.py",
    "cancel.py",
    "bench/iotbench",
)
_NOT_SYSTEM: Final = frozenset(
    {"bench/iotbench/report.py", "bench/iotbench/command.py", "bench/iotbench/checkpoint.py"}
)


class Embeddings:
    """The retrieval package's embedder (all-MiniLM-L6-v2), loaded on first use; when it cannot
    be loaded the similarity metrics are None and ``problem`` says why."""

    def __init__(self) -> None:
        self._embedder: Any = None
        self.problem: str | None = None
        self.id = "unavailable"

    def encode(self, texts: list[str]) -> np.ndarray | None:
        if self.problem is not None:
            return None
        if self._embedder is None:
            try:
                from gpiot.retrieval.embedder import load_embedder

                self._embedder = load_embedder()
                self.id = str(self._embedder.id)
            except (GpiotError, ImportError) as exc:
                self.problem = str(exc)
                return None
        return np.asarray(self._embedder.encode(texts), dtype=np.float64)


@dataclass(frozen=True)
class Unit:
    config: str  # a configuration's name, or a TD group (td:base / td:adapters)
    kind: str  # "spec" | "td" | "app"
    task: str
    sample: int
    task_hash: str

    @property
    def key(self) -> str:
        return unit_key(self.config, self.kind, self.task, self.sample)


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:16]


def spec_hash(task: SpecTask) -> str:
    return _hash(task.path.read_bytes())


def td_hash(task: DecompositionTask) -> str:
    data = {"statement": task.statement, **task.reference.to_dict()}
    return _hash(json.dumps(data, sort_keys=True).encode())


def app_hash(task: AppTask) -> str:
    files = sorted(p for p in task.folder.iterdir() if p.is_file() and p.suffix in (".py", ".json"))
    return _hash(*(p.name.encode() + p.read_bytes() for p in files))


@dataclass
class Plan:
    """Which units a run consists of, in run order."""

    configs: list[BenchConfig]
    samples: int
    units: list[tuple[BenchConfig, Unit]] = field(default_factory=list)


def plan_units(benchmark: Benchmark, configs: list[BenchConfig], samples: int) -> Plan:
    """Units in run order, task by task with the configurations side by side (so a stopped run
    has paired results): the TD tasks once per TD group, the applications, then the spec tasks,
    each configuration's n samples of a task together (they are decoded as one batch)."""
    plan = Plan(configs, samples)
    td_groups: dict[str, BenchConfig] = {}
    for config in configs:
        td_groups.setdefault(config.td_group, config)
    for td in benchmark.decomposition:
        for group, config in td_groups.items():
            plan.units.append((config, Unit(group, "td", td.id, 0, td_hash(td))))
    for app in benchmark.apps:
        for config in configs:
            plan.units.append((config, Unit(config.name, "app", app.id, 0, app_hash(app))))
    for task in benchmark.spec:
        digest = spec_hash(task)
        for config in configs:
            for sample in range(samples):
                plan.units.append((config, Unit(config.name, "spec", task.id, sample, digest)))
    return plan


def batches(units: list[tuple[BenchConfig, Unit]]) -> Iterator[list[tuple[BenchConfig, Unit]]]:
    """Consecutive spec samples of one configuration and task (sample numbers in a row) as one
    batch; every other unit alone."""
    batch: list[tuple[BenchConfig, Unit]] = []
    for config, unit in units:
        if batch:
            last = batch[-1][1]
            if (
                unit.kind == "spec"
                and (last.kind, last.config, last.task) == ("spec", unit.config, unit.task)
                and unit.sample == last.sample + 1
            ):
                batch.append((config, unit))
                continue
            yield batch
        batch = [(config, unit)]
    if batch:
        yield batch


def app_file_text(statement: str) -> str:
    """An app file whose top comment is the statement (what a developer writes)."""
    lines = [f"# {line}".rstrip() for line in statement.strip().splitlines()]
    return "\n".join(lines) + "\n"


def run_parameters(pipeline_source: str) -> list[str]:
    """The parameter names of the generated ``run(...)``."""
    for node in ast.parse(pipeline_source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "run":
            return [a.arg for a in node.args.args]
    raise GpiotError("the generated pipeline.py has no run() function")


@dataclass
class Runner:
    """Executes planned units and appends one checkpoint row per unit."""

    settings: Settings
    benchmark: Benchmark
    checkpoint: Checkpoint
    retriever: Retriever
    temperature: float = DEFAULT_TEMPERATURE
    cancel: CancelToken = field(default_factory=CancelToken)
    embeddings: Embeddings = field(default_factory=Embeddings)
    ruff: str | None = field(default_factory=ruff_path)
    _reference_vectors: dict[str, np.ndarray | None] = field(default_factory=dict)

    @property
    def sampling(self) -> Sampling:
        return dataclasses.replace(ROLE_SAMPLING[Role.CG], temperature=self.temperature)

    @contextmanager
    def runtime(self, settings: Settings) -> Iterator[BenchRuntime]:
        runtime = BenchRuntime.load(settings)
        try:
            assert isinstance(runtime, BenchRuntime)
            yield runtime
        finally:
            runtime.close()

    def run(
        self,
        plan: Plan,
        on_unit: Callable[[Unit, bool], None] = lambda unit, skipped: None,
        on_start: Callable[[Unit], None] = lambda unit: None,
    ) -> None:
        """Run every unit the checkpoint does not hold yet; a runtime per adapter group, both
        kept loaded so the configurations can alternate task by task."""
        pending = [(c, u) for c, u in plan.units if not self.checkpoint.done(u.key, u.task_hash)]
        for _, unit in plan.units:
            if self.checkpoint.done(unit.key, unit.task_hash):
                on_unit(unit, True)
        parallel = max(1, min(plan.samples, MAX_PARALLEL))
        with (
            tempfile.TemporaryDirectory(prefix="gpiot-bench-noadapters-") as empty,
            ExitStack() as stack,
        ):
            runtimes: dict[bool, BenchRuntime] = {}
            try:
                for batch in batches(pending):
                    self.cancel.raise_if_cancelled()
                    config, units = batch[0][0], [unit for _, unit in batch]
                    settings = config.settings(self.settings, Path(empty))
                    if config.adapters not in runtimes:
                        loaded = dataclasses.replace(settings, parallel=parallel)
                        runtimes[config.adapters] = stack.enter_context(self.runtime(loaded))
                    on_start(units[0])
                    retriever = self.retriever if config.retrieval else NoRetrieval()
                    rows = self.run_units(runtimes[config.adapters], settings, retriever, units)
                    for unit, row in zip(units, rows, strict=True):
                        self.checkpoint.append(row)
                        on_unit(unit, False)
            except KeyboardInterrupt:  # stop decoding now, before the runtimes close
                self.cancel.cancel("interrupted")
                raise

    def run_units(
        self,
        runtime: BenchRuntime,
        settings: Settings,
        retriever: Retriever,
        units: list[Unit],
    ) -> list[dict[str, Any]]:
        """One checkpoint row per unit; several units only for one task's consecutive samples.
        A batch's wall time is shared equally by its samples."""
        first = units[0]
        runtime.seed = self.settings.seed + first.sample  # sample i of the batch: + i
        runtime.cg_sampling = self.sampling if first.kind == "spec" else None
        before = runtime.snapshot()
        started = time.perf_counter()
        if first.kind == "spec":
            task = next(t for t in self.benchmark.spec if t.id == first.task)
            bodies = self.spec_units(runtime, settings, retriever, task, len(units))
        elif first.kind == "td":
            td = next(t for t in self.benchmark.decomposition if t.id == first.task)
            bodies = [self.td_unit(runtime, td)]
        else:
            app = next(t for t in self.benchmark.apps if t.id == first.task)
            bodies = [self.app_unit(runtime, settings, retriever, app)]
        wall = (time.perf_counter() - started) / len(units)
        tokens = token_delta(before, runtime.snapshot())
        return [
            {
                "config": unit.config,
                "kind": unit.kind,
                "task": unit.task,
                "sample": unit.sample,
                "task_hash": unit.task_hash,
                "tokens": tokens,
                **body,
                "batch": len(units),
                "wall_s": round(wall, 3),
                "peak_rss": peak_rss_mib(),
            }
            for unit, body in zip(units, bodies, strict=True)
        ]

    # -- spec-level CG ---------------------------------------------------------------------------

    def _reference_vector(self, task: SpecTask) -> np.ndarray | None:
        if task.id not in self._reference_vectors:
            vectors = self.embeddings.encode([task.reference_source])
            self._reference_vectors[task.id] = None if vectors is None else vectors[0]
        return self._reference_vectors[task.id]

    def spec_units(
        self,
        runtime: BenchRuntime,
        settings: Settings,
        retriever: Retriever,
        task: SpecTask,
        n: int,
    ) -> list[dict[str, Any]]:
        """CG's n samples of the task, decoded together, each scored on its own."""
        t0 = time.perf_counter()
        try:
            results = stages.generate_code_samples(
                runtime, task.spec, None, settings, retriever, self.cancel, n
            )
        except Cancelled:
            raise
        except GpiotError as exc:  # e.g. a prompt longer than the context
            seconds = {"generate": round((time.perf_counter() - t0) / n, 3)}
            failed = {"error": str(exc), "passed": False, "executable": False, "tokens": {}}
            return [{"category": task.category, **failed, "seconds": seconds}] * n
        # validation and retrieval time, shared equally; model time is each sample's own share
        checks_s = (time.perf_counter() - t0 - sum(r.model_s for r in results)) / n
        return [self.score_spec(task, result, checks_s) for result in results]

    def score_spec(
        self, task: SpecTask, result: stages.CodeResult, checks_s: float
    ) -> dict[str, Any]:
        """One sample's row: hidden tests, method use, ruff, embedding similarity, its cost."""
        seconds = {
            "generate": round(result.model_s + checks_s, 3),
            "cg_model": round(result.model_s, 3),
            "cg_checks": round(checks_s, 3),  # validation, retrieval
        }
        code = result.best_attempt
        t0 = time.perf_counter()
        tests = run_hidden_tests(task.path, task.function, code, cancel=self.cancel)
        seconds["tests"] = round(time.perf_counter() - t0, 3)
        row: dict[str, Any] = {
            "category": task.category,
            "error": None,
            "passed": tests.passed,
            "executable": tests.executable,
            "test_status": tests.status,
            "test_detail": tests.detail,
            "validated": result.code is not None,
            "attempts": result.attempts,
            "problems": [p.render() for p in result.report.problems],
            "uses_method": metrics.uses_method(code, task.methods),
            "lines": metrics.code_lines(code),
            "api_sources": result.api_sources,
            "code": code,
            "tokens": {
                Role.CG.value: {
                    "calls": len(result.generations),
                    "prompt_tokens": sum(g.prompt_tokens for g in result.generations),
                    "generated_tokens": sum(g.generated_tokens for g in result.generations),
                    "model_s": round(result.model_s, 3),
                }
            },
        }
        t0 = time.perf_counter()
        if self.ruff:
            found = lint(code, self.ruff)
            row["lint_findings"], row["lint_codes"] = found.findings, list(found.codes)
        else:
            row["lint_findings"], row["lint_codes"] = None, []
        seconds["lint"] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()
        reference = self._reference_vector(task)
        vectors = self.embeddings.encode([code]) if reference is not None else None
        row["embedding_similarity"] = (
            None if vectors is None or reference is None else float(vectors[0] @ reference)
        )
        seconds["embed"] = round(time.perf_counter() - t0, 3)
        row["seconds"] = seconds
        return row

    # -- task decomposition ----------------------------------------------------------------------

    def td_unit(self, runtime: BenchRuntime, task: DecompositionTask) -> dict[str, Any]:
        t0 = time.perf_counter()
        try:
            generated = stages.decompose(runtime, task.statement, self.cancel)
        except Cancelled:
            raise
        except (GpiotError, ValueError, KeyError, TypeError) as exc:  # output not in the format
            return {
                "format_ok": False,
                "error": f"{type(exc).__name__}: {exc}",
                "seconds": {"decompose": round(time.perf_counter() - t0, 3)},
            }
        seconds = {"decompose": round(time.perf_counter() - t0, 3)}
        subtasks = [(s.name, s.steps) for s in generated.subtasks]
        reference = [(s.name, s.steps) for s in task.reference.subtasks]
        bleu = metrics.bleu4(
            metrics.tokenize(metrics.decomposition_text(subtasks)),
            metrics.tokenize(metrics.decomposition_text(reference)),
        )
        row: dict[str, Any] = {
            "format_ok": bool(subtasks) and all(name.strip() for name, _ in subtasks),
            "error": None,
            "subtasks": [s.to_dict() for s in generated.subtasks],
            "bleu4": bleu,
            "completeness": None,
            "best_similarity_mean": None,
        }
        texts = [f"{name}. {' '.join(steps)}" for name, steps in (*reference, *subtasks)]
        vectors = self.embeddings.encode(texts) if subtasks else None
        if vectors is not None:
            sim = metrics.cosine_matrix(vectors[: len(reference)], vectors[len(reference) :])
            row["completeness"] = metrics.completeness(sim, COMPLETENESS_THRESHOLD)
            row["best_similarity_mean"] = float(sim.max(axis=1).mean())
        row["seconds"] = seconds
        return row

    # -- applications ----------------------------------------------------------------------------

    def app_unit(
        self, runtime: BenchRuntime, settings: Settings, retriever: Retriever, app: AppTask
    ) -> dict[str, Any]:
        clock = StageClock()
        with tempfile.TemporaryDirectory(prefix=f"gpiot-bench-{app.id}-") as tmp:
            root = Path(tmp)
            app_file = f"{app.id}.py"
            (root / app_file).write_text(app_file_text(app.statement), encoding="utf-8")
            try:
                result = run_app(
                    runtime,
                    settings,
                    Workspace(root),
                    app_file,
                    app.statement,
                    retriever=retriever,
                    cancel=self.cancel,
                    on_event=clock,
                )
            except Cancelled:
                raise
            except (GpiotError, ValueError, KeyError, TypeError) as exc:
                return {
                    "generated": False,
                    "ran": False,
                    "scores": {},
                    "detail": f"the pipeline failed: {type(exc).__name__}: {exc}",
                    "seconds": clock.stop(),
                }
            seconds = clock.stop()
            folder = root / result.folder
            plan = plan_pipeline([(Path(o.path).stem, o.spec) for o in result.outcomes])
            names = run_parameters((folder / PIPELINE_FILE).read_text(encoding="utf-8"))
            params = [(n, p.type) for n, p in zip(names, plan.free_inputs, strict=True)]
            t0 = time.perf_counter()
            outcome = run_generated_app(
                folder, app.evaluate, params, app.outputs, cancel=self.cancel
            )
            seconds["run"] = round(time.perf_counter() - t0, 3)
            sources = {
                Path(o.path).name: (root / o.path).read_text(encoding="utf-8")
                for o in result.outcomes
            }
        return {
            "generated": True,
            "ran": bool(outcome.get("ran")),
            "scores": outcome.get("scores", {}),
            "detail": outcome.get("detail", ""),
            "harness_error": bool(outcome.get("harness_error")),
            "run_status": outcome.get("status"),
            "run_params": [list(p) for p in params],
            "input_mapping": outcome.get("input_mapping"),
            "output_mapping": outcome.get("output_mapping"),
            "produced": outcome.get("produced"),
            "subtasks": [
                {"name": o.subtask.name, "function": o.spec.function, "status": o.status}
                for o in result.outcomes
            ],
            "validated": sum(o.status == "validated" for o in result.outcomes),
            "files": sources,
            "seconds": seconds,
        }


def system_sha256() -> str:
    """One hash of the code and notes that a unit's result depends on (``_SYSTEM_CODE``), so a
    run that spans sessions never mixes rows made by different versions of the system."""
    files: list[Path] = []
    for name in _SYSTEM_CODE:
        path = _PACKAGE / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    files = [f for f in files if f.relative_to(_PACKAGE).as_posix() not in _NOT_SYSTEM]
    files += sorted(NOTES_DIR.rglob("*.md"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def header(settings: Settings, temperature: float, model_name: str) -> dict[str, Any]:
    """What must match for checkpoint rows to be comparable (and resumable)."""
    manifest = settings.adapters_path / MANIFEST_NAME
    return {
        "bench_version": BENCH_VERSION,
        "model": model_name,
        "context_size": settings.context_size,
        "seed": settings.seed,
        "temperature": temperature,
        "repair_attempts": settings.repair_attempts,
        "smoke_run": settings.smoke_run,
        "smoke_timeout_s": settings.smoke_timeout_s,
        "lint": RUFF_DESCRIPTION,
        "completeness_threshold": COMPLETENESS_THRESHOLD,
        "sampling": {role.value: dataclasses.asdict(ROLE_SAMPLING[role]) for role in Role},
        "adapters_manifest_sha256": file_sha256(manifest) if manifest.is_file() else "",
        "system_sha256": system_sha256(),
    }
