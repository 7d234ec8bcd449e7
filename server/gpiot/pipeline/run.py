"""The whole pipeline for one app file: TD → RT → CG → validate/repair → files, as events.

Files are written as each sub-task is ready (not all at the end), through a `FileWriter`; the CLI
writes to disk, and the language server can supply a writer that turns files into workspace edits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Protocol

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled, GpiotError
from gpiot.pipeline import stages
from gpiot.pipeline.decomposition import Decomposition, SubTask
from gpiot.pipeline.events import (
    CodeReady,
    DecompositionReady,
    EventSink,
    FileWritten,
    ProblemFound,
    SpecReady,
    StageStarted,
    ignore,
)
from gpiot.pipeline.manifest import GeneratedFile, Manifest, apply_write, decide_write
from gpiot.pipeline.render import (
    PIPELINE_FILE,
    README_FILE,
    render_pipeline_module,
    render_readme,
    render_subtask_module,
)
from gpiot.pipeline.spec import Param, Spec
from gpiot.pipeline.workspace import Workspace
from gpiot.retrieval.hook import NoRetrieval, Retriever
from gpiot.runtime.engine import Runtime
from gpiot.settings import Settings


class FileWriter(Protocol):
    def write(self, path: str, content: str, record: GeneratedFile) -> str:
        """Write (or keep) one generated file; return the action taken."""
        ...


# Makes the writer of one run from the workspace, the run's manifest and the app file.
WriterFactory = Callable[[Workspace, Manifest, str], FileWriter]


class DiskWriter:
    """Writes into the workspace under the manifest's rules; saves the manifest after each file."""

    def __init__(self, workspace: Workspace, manifest: Manifest, source: str, force: bool) -> None:
        self.workspace = workspace
        self.manifest = manifest
        self.source = source
        self.force = force

    def write(self, path: str, content: str, record: GeneratedFile) -> str:
        decision = decide_write(self.workspace, self.manifest, path, content, self.force)
        apply_write(
            self.workspace, self.manifest, decision, path, content, record, source=self.source
        )
        self.manifest.save(self.workspace)
        return decision.action


@dataclass
class SubtaskOutcome:
    index: int
    subtask: SubTask
    spec: Spec
    path: str
    status: str  # "validated" | "unvalidated" | "stub"
    problems: list[str]
    attempts: int
    action: str


@dataclass
class PipelineResult:
    app_file: str
    decomposition: Decomposition
    outcomes: list[SubtaskOutcome] = field(default_factory=list)
    extra_files: dict[str, str] = field(default_factory=dict)  # path → action
    seconds: float = 0.0

    @property
    def folder(self) -> str:
        return str(PurePosixPath(self.outcomes[0].path).parent) if self.outcomes else ""


@dataclass
class _AppRun:
    """The state one run shares between its stages."""

    runtime: Runtime
    settings: Settings
    workspace: Workspace
    writer: FileWriter
    retriever: Retriever
    token: CancelToken
    on_event: EventSink
    source: str
    statement: str

    def write(self, path: str, content: str, record: GeneratedFile) -> str:
        action = self.writer.write(path, content, record)
        self.on_event(FileWritten(path, action, content))
        if action.startswith("keep"):
            self.on_event(ProblemFound(f"{path} was changed by you; kept it (use --force)"))
        return action

    def subtask(
        self, subtask: SubTask, spec: Spec, index: int, total: int, code: bool
    ) -> SubtaskOutcome:
        """CG with validation for one sub-task, then its file."""
        path = self.workspace.subtask_file(self.source, index, subtask)
        problems = ["not generated yet (decomposed with specs only)"]
        body: str | None = None
        attempt: str | None = None
        attempts = 0
        status = "stub"
        sources = list(spec.sources)
        if code:
            self.on_event(StageStarted("code", index, total, spec.function))
            try:
                generated = stages.generate_code(
                    self.runtime, spec, subtask, self.settings, self.retriever, self.token
                )
            except Cancelled:
                raise
            except GpiotError as exc:  # e.g. a prompt longer than the context: a stub, not a crash
                problems = [str(exc)]
            else:
                attempts = generated.attempts
                sources += generated.api_sources
                problems = [p.render() for p in generated.report.problems]
                if generated.code is not None:
                    body, status = generated.code, "validated"
                else:
                    attempt = generated.best_attempt
                smoke = generated.report.smoke
                self.on_event(
                    CodeReady(
                        index,
                        total,
                        spec.function,
                        generated.code is not None,
                        attempts,
                        f"{smoke.status}: {smoke.detail}" if smoke else "off",
                    )
                )
            for problem in problems:
                self.on_event(ProblemFound(problem, index, path, "error"))
        content = render_subtask_module(
            subtask,
            index,
            total,
            spec,
            body,
            self.statement,
            problems,
            attempt,
            app_file=self.source,
        )
        record = GeneratedFile(
            path, "", "subtask", spec.function, spec.to_dict(), status, problems, sources
        )
        action = self.write(path, content, record)
        return SubtaskOutcome(index, subtask, spec, path, status, problems, attempts, action)


def run_app(
    runtime: Runtime,
    settings: Settings,
    workspace: Workspace,
    app_file: str,
    statement: str,
    *,
    code: bool = True,
    force: bool = False,
    retriever: Retriever | None = None,
    make_writer: WriterFactory | None = None,
    cancel: CancelToken | None = None,
    on_event: EventSink = ignore,
) -> PipelineResult:
    """Decompose ``statement`` (from ``app_file``) and write its sub-task folder.

    With ``code=False`` only specs are produced and every function is a marked stub (to be filled
    later by ``gpiot generate`` or the editor's inline completion).
    """
    start = time.perf_counter()
    token = cancel or CancelToken()
    source = workspace.relative(workspace.resolve(app_file))
    manifest = Manifest.load(workspace)
    if manifest.warning:
        on_event(ProblemFound(manifest.warning))
    run = _AppRun(
        runtime,
        settings,
        workspace,
        make_writer(workspace, manifest, source)
        if make_writer
        else DiskWriter(workspace, manifest, source, force),
        retriever or NoRetrieval(),
        token,
        on_event,
        source,
        statement,
    )

    on_event(StageStarted("decompose", detail=statement[:80]))
    decomposition = stages.decompose(runtime, statement, token)
    on_event(DecompositionReady(decomposition))
    manifest.upsert_app(
        source,
        statement,
        model=runtime.info.name,
        adapters={r.role.value: str(r.adapter) for r in runtime.roles() if r.adapter},
        decomposition=decomposition.to_dict(),
    )
    result = PipelineResult(source, decomposition)
    total = len(decomposition.subtasks)
    available: list[Param] = []
    taken: set[str] = set()
    for i, subtask in enumerate(decomposition.subtasks):
        token.raise_if_cancelled()
        on_event(StageStarted("spec", i + 1, total, subtask.name))
        spec = stages.specify(runtime, decomposition, i, available, run.retriever, token, taken)
        taken.add(spec.function)
        known = {p.name for p in available}
        available += [p for p in (*spec.inputs, *spec.outputs) if p.name not in known]
        on_event(SpecReady(i + 1, total, spec))
        result.outcomes.append(run.subtask(subtask, spec, i + 1, total, code))

    folder = workspace.subtask_dir(source)
    modules = [(PurePosixPath(o.path).stem, o.spec) for o in result.outcomes]
    entries = [(PurePosixPath(o.path).name, o.subtask, o.spec, o.status) for o in result.outcomes]
    extras = [
        (PIPELINE_FILE, "pipeline", render_pipeline_module(source, modules)),
        (README_FILE, "readme", render_readme(source, statement, entries)),
    ]
    for name, kind, content in extras:
        path = f"{folder}/{name}"
        on_event(StageStarted("write", detail=path))
        result.extra_files[path] = run.write(path, content, GeneratedFile(path, "", kind))
    result.seconds = time.perf_counter() - start
    return result
