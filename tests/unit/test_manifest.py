"""The manifest file and the write policy that protects the user's edits, on real files."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gpiot.errors import WorkspaceError
from gpiot.pipeline.manifest import (
    MANIFEST_PATH,
    AppRecord,
    GeneratedFile,
    Manifest,
    apply_write,
    decide_write,
    sha256_text,
)
from gpiot.pipeline.workspace import Workspace

FILE = "app_subtasks/01_load.py"
NOW = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


@pytest.fixture
def manifest() -> Manifest:
    m = Manifest()
    m.upsert_app("app.py", "# Detect R-peaks.", model="qwen-0.5b", now=NOW)
    return m


def entry(path: str = FILE) -> GeneratedFile:
    return GeneratedFile(path, "", "subtask", "load", {"function": "load"}, "validated", [], [])


def generate(ws: Workspace, m: Manifest, content: str, path: str = FILE) -> GeneratedFile | None:
    decision = decide_write(ws, m, path, content)
    return apply_write(ws, m, decision, path, content, entry(path))


def test_sha256_text() -> None:
    assert sha256_text("é\n") == hashlib.sha256("é\n".encode()).hexdigest()


def test_missing_manifest_is_empty(ws: Workspace) -> None:
    m = Manifest.load(ws)
    assert m == Manifest() and m.warning is None
    assert not (ws.root / ".gpiot").exists()  # loading writes nothing


def test_round_trip(ws: Workspace) -> None:
    m = Manifest()
    app = m.upsert_app(
        "iot/app.py",
        'Statement with "quotes" and ünïcode',
        model="qwen",
        adapters={"td": "td.gguf"},
        decomposition={"statement": "s", "subtasks": [{"name": "Load", "steps": ["a"]}]},
        now=NOW,
    )
    assert app.created == app.updated == "2025-03-04T05:06:07+00:00"
    m.record_file(
        "iot/app.py",
        GeneratedFile(
            path="iot/app_subtasks/01_load.py",
            sha256="ab" * 32,
            kind="subtask",
            function="load",
            spec={"function": "load", "target": "t", "inputs": [], "outputs": []},
            status="stub",
            problems=["NameError: np"],
            sources=["paper"],
        ),
    )
    m.record_file(
        "iot/app.py", GeneratedFile("iot/app_subtasks/pipeline.py", "cd" * 32, "pipeline")
    )
    m.save(ws)
    loaded = Manifest.load(ws)
    assert loaded == m and loaded.warning is None
    text = (ws.root / MANIFEST_PATH).read_text(encoding="utf-8")
    assert text == json.dumps(m.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert [p.name for p in (ws.root / ".gpiot").iterdir()] == ["manifest.json"]


def test_lookup_and_record(manifest: Manifest) -> None:
    manifest.upsert_app("other.py", "other")
    manifest.record_file("app.py", GeneratedFile("x.py", "1", "readme"))
    found = manifest.lookup("x.py")
    assert found is not None and found[0].source == "app.py" and found[1].kind == "readme"
    manifest.record_file("other.py", GeneratedFile("x.py", "2", "readme"))  # moves, no duplicate
    assert "x.py" not in manifest.apps["app.py"].files
    found = manifest.lookup("x.py")
    assert found is not None and found[0].source == "other.py"
    assert manifest.lookup("nope.py") is None
    assert manifest.remove_file("x.py") is not None and manifest.lookup("x.py") is None
    with pytest.raises(WorkspaceError):
        manifest.record_file("unknown.py", GeneratedFile("y.py", "3", "readme"))


def test_upsert_keeps_files_and_created(manifest: Manifest) -> None:
    manifest.record_file("app.py", GeneratedFile("x.py", "1", "readme"))
    later = datetime(2026, 1, 1, tzinfo=UTC)
    app = manifest.upsert_app("app.py", "# New statement.", now=later)
    assert app.created == "2025-03-04T05:06:07+00:00"
    assert app.updated == "2026-01-01T00:00:00+00:00"
    assert app.statement_sha256 == sha256_text("# New statement.")
    assert app.model == "qwen-0.5b" and "x.py" in app.files


def test_invalid_kind_or_status() -> None:
    with pytest.raises(ValueError):
        GeneratedFile("a.py", "0", "binary")
    with pytest.raises(ValueError):
        GeneratedFile("a.py", "0", "subtask", status="great")


@pytest.mark.parametrize(
    "bad",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"[1, 2]",
        b'{"version": 99, "apps": {}}',
        b'{"apps": {}}',
        b'{"version": 1, "apps": {"app.py": {"source": "app.py"}}}',
        b'{"version": 1, "apps": {"a": {"source": "a", "statement": "", "statement_sha256": "",'
        b' "files": {"f": {"path": "f", "sha256": "", "kind": "nonsense"}}}}}',
    ],
)
def test_corrupt_manifest_is_moved_aside_not_lost(ws: Workspace, bad: bytes) -> None:
    (ws.root / ".gpiot").mkdir()
    (ws.root / MANIFEST_PATH).write_bytes(bad)
    m = Manifest.load(ws)
    assert m.apps == {} and m.warning is not None
    kept = list((ws.root / ".gpiot").glob("manifest.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bad
    assert kept[0].name in m.warning
    assert not (ws.root / MANIFEST_PATH).exists()
    m.upsert_app("app.py", "s")
    m.save(ws)
    assert Manifest.load(ws).warning is None
    assert kept[0].read_bytes() == bad


def test_repeated_corruption_keeps_every_bad_file(ws: Workspace) -> None:
    (ws.root / ".gpiot").mkdir()
    for content in (b"first", b"second", b"third"):
        (ws.root / MANIFEST_PATH).write_bytes(content)
        assert Manifest.load(ws).warning is not None
    kept = sorted(p.read_bytes() for p in (ws.root / ".gpiot").glob("manifest.json.corrupt-*"))
    assert kept == [b"first", b"second", b"third"]


def test_unreadable_manifest_is_never_overwritten(ws: Workspace) -> None:
    (ws.root / MANIFEST_PATH).mkdir(parents=True)  # a folder where the file should be
    m = Manifest.load(ws)
    assert m.warning is not None and m.apps == {}
    with pytest.raises(WorkspaceError):
        m.save(ws)
    assert (ws.root / MANIFEST_PATH).is_dir()


# -- write policy -------------------------------------------------------------------------------


def test_create_then_unchanged(ws: Workspace, manifest: Manifest) -> None:
    decision = decide_write(ws, manifest, FILE, "v1\n")
    assert decision.action == "create" and decision.backup is None
    assert not (ws.root / FILE).exists()  # deciding writes nothing
    stored = apply_write(ws, manifest, decision, FILE, "v1\n", entry())
    assert (ws.root / FILE).read_text() == "v1\n"
    assert stored is not None and stored.sha256 == sha256_text("v1\n") and stored.path == FILE
    assert manifest.lookup(FILE) == (manifest.apps["app.py"], stored)
    same = decide_write(ws, manifest, FILE, "v1\n")
    assert same.action == "unchanged" and not same.writes


def test_overwrite_of_untouched_generated_file(ws: Workspace, manifest: Manifest) -> None:
    generate(ws, manifest, "v1\n")
    decision = decide_write(ws, manifest, FILE, "v2\n")
    assert decision.action == "overwrite" and decision.backup is None
    apply_write(ws, manifest, decision, FILE, "v2\n", entry())
    assert (ws.root / FILE).read_text() == "v2\n"
    found = manifest.lookup(FILE)
    assert found is not None and found[1].sha256 == sha256_text("v2\n")


def test_keep_user_edit(ws: Workspace, manifest: Manifest) -> None:
    generate(ws, manifest, "v1\n")
    (ws.root / FILE).write_text("v1 with my fix\n")
    decision = decide_write(ws, manifest, FILE, "v2\n")
    assert decision.action == "keep-user-edit" and "edited" in decision.reason
    assert apply_write(ws, manifest, decision, FILE, "v2\n", entry()) is None
    assert (ws.root / FILE).read_text() == "v1 with my fix\n"
    found = manifest.lookup(FILE)
    assert found is not None and found[1].sha256 == sha256_text("v1\n")


def test_keep_user_file(ws: Workspace, manifest: Manifest) -> None:
    (ws.root / "app_subtasks").mkdir()
    (ws.root / FILE).write_text("mine\n")
    decision = decide_write(ws, manifest, FILE, "generated\n")
    assert decision.action == "keep-user-file" and "not generated" in decision.reason
    assert apply_write(ws, manifest, decision, FILE, "generated\n", entry()) is None
    assert (ws.root / FILE).read_text() == "mine\n"
    assert manifest.lookup(FILE) is None


def test_identical_user_file_is_adopted(ws: Workspace, manifest: Manifest) -> None:
    ws.write_text_atomic(FILE, "same\n")
    decision = decide_write(ws, manifest, FILE, "same\n")
    assert decision.action == "unchanged"
    assert apply_write(ws, manifest, decision, FILE, "same\n", entry()) is not None
    assert manifest.lookup(FILE) is not None


@pytest.mark.parametrize("edited", [True, False])
def test_force_backs_up_the_users_version(ws: Workspace, manifest: Manifest, edited: bool) -> None:
    if edited:
        generate(ws, manifest, "v1\n")
    ws.write_text_atomic(FILE, "user version\n")
    decision = decide_write(ws, manifest, FILE, "v2\n", force=True, now=NOW)
    assert decision.action == "overwrite"
    assert decision.backup == f".gpiot/backup/20250304T050607Z/{FILE}"
    assert decision.backup in decision.reason
    assert not (ws.root / decision.backup).exists()  # deciding writes nothing
    apply_write(ws, manifest, decision, FILE, "v2\n", entry())
    assert (ws.root / decision.backup).read_text() == "user version\n"
    assert (ws.root / FILE).read_text() == "v2\n"
    found = manifest.lookup(FILE)
    assert found is not None and found[1].sha256 == sha256_text("v2\n")


def test_force_does_not_back_up_untouched_files(ws: Workspace, manifest: Manifest) -> None:
    generate(ws, manifest, "v1\n")
    decision = decide_write(ws, manifest, FILE, "v2\n", force=True)
    assert decision.action == "overwrite" and decision.backup is None


def test_deleted_generated_file_is_created_again(ws: Workspace, manifest: Manifest) -> None:
    generate(ws, manifest, "v1\n")
    (ws.root / FILE).unlink()
    assert decide_write(ws, manifest, FILE, "v2\n").action == "create"


def test_apply_refuses_a_stale_decision(ws: Workspace, manifest: Manifest) -> None:
    generate(ws, manifest, "v1\n")
    decision = decide_write(ws, manifest, FILE, "v2\n")
    (ws.root / FILE).write_text("edited meanwhile\n")
    with pytest.raises(WorkspaceError, match="changed"):
        apply_write(ws, manifest, decision, FILE, "v2\n", entry())
    assert (ws.root / FILE).read_text() == "edited meanwhile\n"
    with pytest.raises(WorkspaceError):
        apply_write(ws, manifest, decision, FILE, "other content\n", entry())
    with pytest.raises(WorkspaceError):
        apply_write(ws, manifest, decision, "app_subtasks/02_x.py", "v2\n", entry())


def test_decide_rejects_unsafe_paths(ws: Workspace, manifest: Manifest) -> None:
    with pytest.raises(WorkspaceError):
        decide_write(ws, manifest, "../escape.py", "x")


def test_apply_needs_to_know_the_app(ws: Workspace) -> None:
    m = Manifest()
    m.upsert_app("a.py", "a")
    m.upsert_app("b.py", "b")
    decision = decide_write(ws, m, FILE, "x\n")
    with pytest.raises(WorkspaceError, match="source"):
        apply_write(ws, m, decision, FILE, "x\n", entry())
    apply_write(ws, m, decision, FILE, "x\n", entry(), source="b.py")
    found = m.lookup(FILE)
    assert found is not None and found[0].source == "b.py"


def test_full_cycle_survives_save_and_load(ws: Workspace, manifest: Manifest) -> None:
    generate(ws, manifest, "v1\n")
    manifest.save(ws)
    reloaded = Manifest.load(ws)
    assert decide_write(ws, reloaded, FILE, "v2\n").action == "overwrite"
    (ws.root / FILE).write_text("edit\n")
    assert decide_write(ws, reloaded, FILE, "v2\n").action == "keep-user-edit"
    assert isinstance(reloaded.apps["app.py"], AppRecord)
