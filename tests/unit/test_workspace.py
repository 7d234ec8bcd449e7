"""Workspace path safety, sub-task file naming and atomic writes, on real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gpiot.errors import WorkspaceError
from gpiot.pipeline.decomposition import SubTask
from gpiot.pipeline.workspace import Workspace, subtask_dir_name


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    root = tmp_path / "project"
    root.mkdir()
    return Workspace(root)


def test_root_is_resolved_and_must_be_a_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert Workspace(tmp_path / "link").root == (tmp_path / "real").resolve()
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(WorkspaceError):
        Workspace(tmp_path / "file.txt")
    with pytest.raises(WorkspaceError):
        Workspace(tmp_path / "missing")


def test_resolve_accepts_safe_paths(ws: Workspace) -> None:
    assert ws.resolve("app.py") == ws.root / "app.py"
    assert ws.resolve("sub/app_subtasks/01_load-ecg.v2.py") == (
        ws.root / "sub" / "app_subtasks" / "01_load-ecg.v2.py"
    )
    assert ws.resolve("./a//b/") == ws.root / "a" / "b"
    assert ws.resolve(".gpiot/manifest.json") == ws.root / ".gpiot" / "manifest.json"
    assert ws.resolve(Path("x") / "y.py") == ws.root / "x" / "y.py"


@pytest.mark.parametrize(
    "rel",
    [
        "../x",
        "/etc/passwd",
        "a/../../b",
        "a/../b",
        "..",
        "a/b\x00c",
        "a b.py",
        "dir/na;me.py",
        "back\\slash.py",
        "C:evil.py",
        "é.py",
        ".hidden",
        "a/.gpiot/x",
        "a/.git/config",
        "x/~user",
        "CON.py",
        "sub/nul",
        "a" * 300,
    ],
)
def test_resolve_rejects_unsafe_paths(ws: Workspace, rel: str) -> None:
    with pytest.raises(WorkspaceError):
        ws.resolve(rel)


def test_resolve_rejects_symlinks_that_lead_outside(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (ws.root / "out_dir").symlink_to(outside)
    (ws.root / "out_file.txt").symlink_to(outside / "secret.txt")
    (ws.root / "dangling").symlink_to(outside / "not_yet_there.txt")
    for rel in ("out_dir", "out_dir/secret.txt", "out_dir/new.py", "out_file.txt", "dangling"):
        with pytest.raises(WorkspaceError, match="outside"):
            ws.resolve(rel)
    with pytest.raises(WorkspaceError):
        ws.write_text_atomic("out_dir/new.py", "x = 1\n")
    assert not (outside / "new.py").exists()


def test_symlinks_inside_the_root_are_allowed(ws: Workspace) -> None:
    (ws.root / "real").mkdir()
    (ws.root / "alias").symlink_to(ws.root / "real")
    assert ws.resolve("alias/file.py") == ws.root / "alias" / "file.py"
    ws.write_text_atomic("alias/file.py", "ok\n")
    assert (ws.root / "real" / "file.py").read_text() == "ok\n"


def test_relative(ws: Workspace, tmp_path: Path) -> None:
    assert ws.relative(ws.root / "a" / "b.py") == "a/b.py"
    assert ws.relative("a/b.py") == "a/b.py"
    assert ws.relative(ws.root / "a" / ".." / "c.py") == "c.py"
    with pytest.raises(WorkspaceError):
        ws.relative(tmp_path / "elsewhere.py")
    with pytest.raises(WorkspaceError):
        ws.relative("../elsewhere.py")


def test_subtask_dir(ws: Workspace, tmp_path: Path) -> None:
    assert ws.subtask_dir(ws.root / "app.py") == "app_subtasks"
    assert ws.subtask_dir(ws.root / "iot" / "ecg.py") == "iot/ecg_subtasks"
    assert ws.subtask_dir(Path("iot/ecg.py")) == "iot/ecg_subtasks"
    with pytest.raises(WorkspaceError):
        ws.subtask_dir(tmp_path / "app.py")
    with pytest.raises(WorkspaceError):
        ws.subtask_dir(ws.root / "my dir" / "app.py")


def test_subtask_dir_name_sanitises_the_stem() -> None:
    assert subtask_dir_name("app") == "app_subtasks"
    assert subtask_dir_name("my app (v2)") == "my_app_v2_subtasks"
    assert subtask_dir_name(".hidden") == "hidden_subtasks"
    assert subtask_dir_name("***") == "app_subtasks"


def test_subtask_file(ws: Workspace) -> None:
    task = SubTask("Load the ECG signal!", ("read csv",))
    assert ws.subtask_file(ws.root / "app.py", 1, task) == "app_subtasks/01_load_the_ecg_signal.py"
    assert ws.subtask_file(ws.root / "x" / "app.py", 12, task) == (
        "x/app_subtasks/12_load_the_ecg_signal.py"
    )
    digits = SubTask("2D FFT", ())
    assert ws.subtask_file(ws.root / "app.py", 3, digits) == "app_subtasks/03_step_2d_fft.py"
    with pytest.raises(ValueError):
        ws.subtask_file(ws.root / "app.py", 0, task)


def test_write_text_atomic_creates_parents_and_keeps_bytes(ws: Workspace) -> None:
    text = "line one\r\nline two — ünïcode\n"
    path = ws.write_text_atomic("deep/er/file.py", text)
    assert path == ws.root / "deep" / "er" / "file.py"
    assert path.read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == ["file.py"]  # no temp file left
    assert path.stat().st_mode & 0o777 == 0o644


def test_write_text_atomic_replaces_and_keeps_mode(ws: Workspace) -> None:
    target = ws.root / "run.py"
    target.write_text("old\n")
    target.chmod(0o755)
    before = target.stat().st_ino
    ws.write_text_atomic("run.py", "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o755
    assert target.stat().st_ino != before  # replaced by rename, not rewritten in place


def test_write_text_atomic_failure_leaves_no_temp_file(ws: Workspace) -> None:
    (ws.root / "folder.py").mkdir()
    with pytest.raises(OSError):
        ws.write_text_atomic("folder.py", "x\n")
    assert [p.name for p in ws.root.iterdir()] == ["folder.py"]


def test_write_text_atomic_refuses_a_file_in_the_way(ws: Workspace) -> None:
    (ws.root / "blocker").write_text("I am a file")
    with pytest.raises(WorkspaceError, match="in the way"):
        ws.write_text_atomic("blocker/child.py", "x\n")
    assert (ws.root / "blocker").read_text() == "I am a file"


def test_read_bytes(ws: Workspace) -> None:
    assert ws.read_bytes("missing.py") is None
    (ws.root / "a.py").write_bytes(b"\xffbinary")
    assert ws.read_bytes("a.py") == b"\xffbinary"
    (ws.root / "d").mkdir()
    with pytest.raises(WorkspaceError):
        ws.read_bytes("d")


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_parent_swapped_for_outside_symlink_is_caught(ws: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    ws.write_text_atomic("gen/a.py", "a\n")
    (ws.root / "gen" / "a.py").unlink()
    (ws.root / "gen").rmdir()
    (ws.root / "gen").symlink_to(outside)
    with pytest.raises(WorkspaceError):
        ws.write_text_atomic("gen/a.py", "b\n")
    assert list(outside.iterdir()) == []
