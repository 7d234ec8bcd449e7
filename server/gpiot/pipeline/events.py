"""What the pipeline reports while it runs. The CLI renders these as progress; the language
server turns them into work-done progress and workspace edits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gpiot.pipeline.decomposition import Decomposition
from gpiot.pipeline.spec import Spec


@dataclass(frozen=True)
class StageStarted:
    stage: str  # "load" | "decompose" | "spec" | "code" | "validate" | "write"
    index: int = 0  # 1-based sub-task number, 0 for whole-app stages
    total: int = 0
    detail: str = ""


@dataclass(frozen=True)
class DecompositionReady:
    decomposition: Decomposition


@dataclass(frozen=True)
class SpecReady:
    index: int
    total: int
    spec: Spec


@dataclass(frozen=True)
class CodeReady:
    index: int
    total: int
    function: str
    validated: bool
    attempts: int
    smoke: str  # smoke-run status: "passed", "skipped: <why>", "off", ...


@dataclass(frozen=True)
class FileWritten:
    path: str  # relative to the workspace
    action: str  # "create" | "overwrite" | "unchanged" | "keep-user-edit" | "keep-user-file"
    content: str


@dataclass(frozen=True)
class ProblemFound:
    message: str
    index: int = 0
    path: str = ""
    severity: str = "warning"  # "warning" | "error"


Event = StageStarted | DecompositionReady | SpecReady | CodeReady | FileWritten | ProblemFound
EventSink = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """An event sink that drops everything."""


_STAGE_TEXT = {
    "decompose": "decomposing the application (TD)",
    "spec": "spec {index}/{total} (RT): {detail}",
    "code": "code {index}/{total} (CG + validation): {detail}",
}


def stage_text(event: StageStarted) -> str:
    """A one-line description of a stage for a status line or a progress report."""
    template = _STAGE_TEXT.get(event.stage, "{stage}: {detail}")
    return template.format(
        stage=event.stage, index=event.index, total=event.total, detail=event.detail
    )


def stage_percent(event: StageStarted) -> int | None:
    """Rough overall progress of an app run: TD 0–10 %, RT 10–40 %, CG 40–100 %."""
    if event.stage == "decompose":
        return 0
    if not event.total:
        return None
    done = (event.index - 1) / event.total
    return int(10 + 30 * done) if event.stage == "spec" else int(40 + 60 * done)
