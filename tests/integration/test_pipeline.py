"""A real decomposition of the bundled example with the real default model."""

import json
from pathlib import Path

import pytest

from gpiot.pipeline.events import DecompositionReady, Event, FileWritten
from gpiot.pipeline.manifest import Manifest
from gpiot.pipeline.render import spec_markdown_from_docstring
from gpiot.pipeline.run import run_app
from gpiot.pipeline.spec import Spec
from gpiot.pipeline.statement import extract_statement
from gpiot.pipeline.workspace import Workspace
from gpiot.runtime.engine import Runtime
from gpiot.settings import Settings
from gpiot.validate import function_docstring, parse, syntax_problems, top_level_functions

pytestmark = pytest.mark.model

EXAMPLE = Path(__file__).resolve().parents[2] / "knowledge" / "examples" / "imu_steps.py"


def test_bundled_example_becomes_validated_subtask_files(
    runtime: Runtime, settings: Settings, tmp_path: Path
) -> None:
    app = tmp_path / "steps.py"
    app.write_text(EXAMPLE.read_text())
    events: list[Event] = []
    result = run_app(
        runtime,
        settings,
        Workspace(tmp_path),
        "steps.py",
        extract_statement(app.read_text()),
        on_event=events.append,
    )
    assert len(result.outcomes) >= 2
    # events stream: the decomposition comes before any file, files come one by one
    kinds = [type(e) for e in events]
    assert kinds.index(DecompositionReady) < kinds.index(FileWritten)
    folder = tmp_path / "steps_subtasks"
    manifest = json.loads((tmp_path / ".gpiot" / "manifest.json").read_text())
    files = manifest["apps"]["steps.py"]["files"]
    for outcome in result.outcomes:
        source = (tmp_path / outcome.path).read_text()
        assert syntax_problems(source) == [], outcome.path
        function = top_level_functions(parse(source))[outcome.spec.function]
        if outcome.status == "validated":  # the spec in the module docstring reads back
            module_doc = function_docstring(parse(source).root_node) or ""
            text = spec_markdown_from_docstring(module_doc) or ""
            assert Spec.from_markdown(text, outcome.spec.function).inputs == outcome.spec.inputs
        else:  # a stub says why and keeps the spec in its own docstring
            assert "NotImplementedError" in source and outcome.problems
            assert Spec.from_markdown(function_docstring(function) or "", outcome.spec.function)
        assert files[outcome.path]["status"] == outcome.status
    assert syntax_problems((folder / "pipeline.py").read_text()) == []
    assert (folder / "README.md").read_text().startswith("# Sub-tasks of steps.py")
    assert Manifest.load(Workspace(tmp_path)).lookup(result.outcomes[0].path) is not None
