"""File safety: every path GPIoT writes is checked to stay inside the workspace root.

Paths are given relative to the root, one safe name per component (``[A-Za-z0-9._-]``, no leading
dot except the ``.gpiot`` folder), and no existing symlink on the way may lead outside the root.
Writes are atomic: a temporary file in the target folder replaces the target with ``os.replace``.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path, PurePath, PurePosixPath

from gpiot.errors import WorkspaceError
from gpiot.pipeline.decomposition import SubTask

GPIOT_DIR = ".gpiot"
SUBTASK_SUFFIX = "_subtasks"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
_UNSAFE_STEM_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME_BYTES = 255
# Device names Windows refuses as file names, with or without an extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


def _name_problem(name: str, first: bool) -> str | None:
    """Why ``name`` is not a safe path component, or None when it is."""
    if name == "..":
        return "`..` is not allowed"
    if not _SAFE_NAME.match(name):
        return f"{name!r} has characters outside [A-Za-z0-9._-]"
    if name.startswith(".") and not (first and name == GPIOT_DIR):
        return f"{name!r} starts with a dot"
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        return f"{name[:20]!r}… is longer than {_MAX_NAME_BYTES} bytes"
    if name.split(".", 1)[0].upper() in _RESERVED:
        return f"{name!r} is a reserved device name on Windows"
    return None


def subtask_dir_name(app_stem: str) -> str:
    """The folder name for an app's sub-task modules: ``app`` → ``app_subtasks``.

    Characters that are not safe in a path component are replaced, so ``my app`` → ``my_app``.
    """
    stem = app_stem.lstrip(".")
    if _UNSAFE_STEM_CHARS.search(stem):
        stem = _UNSAFE_STEM_CHARS.sub("_", stem).strip("_").lstrip(".")
    return (stem or "app") + SUBTASK_SUFFIX


def subtask_file_name(index: int, subtask: SubTask) -> str:
    """``NN_<slug>.py`` with a 1-based, two-digit index."""
    if index < 1:
        raise ValueError(f"sub-task index must be 1 or more, not {index}")
    return f"{index:02d}_{subtask.slug}.py"


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


class Workspace:
    """A folder GPIoT may write into; all paths are checked against its resolved root."""

    def __init__(self, root: str | Path) -> None:
        resolved = Path(root).resolve()
        if not resolved.is_dir():
            raise WorkspaceError(f"workspace root {resolved} is not a folder")
        self.root: Path = resolved

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    def resolve(self, rel: str | PurePath) -> Path:
        """The absolute path of ``rel`` inside the root; raises WorkspaceError when unsafe."""
        text = str(rel)
        if "\x00" in text:
            raise WorkspaceError(f"path {text!r} contains a NUL byte")
        pure = PurePath(rel)
        if pure.is_absolute() or pure.drive or pure.root:
            raise WorkspaceError(f"path {text!r} is absolute; give it relative to the workspace")
        for i, name in enumerate(pure.parts):
            problem = _name_problem(name, first=i == 0)
            if problem:
                raise WorkspaceError(f"unsafe path {text!r}: {problem}")
        path = self.root.joinpath(*pure.parts)
        self._check_links(path, text)
        return path

    def _check_links(self, path: Path, text: str) -> None:
        """Raise when an existing symlink between the root and ``path`` leads outside the root."""
        current = self.root
        for name in path.relative_to(self.root).parts:
            current = current / name
            if current.is_symlink() and not _is_within(current.resolve(), self.root):
                raise WorkspaceError(
                    f"unsafe path {text!r}: {self.relative_lexical(current)} is a symlink "
                    "that points outside the workspace"
                )
        if not _is_within(path.resolve(), self.root):
            raise WorkspaceError(f"unsafe path {text!r}: it leads outside the workspace")

    def relative_lexical(self, path: Path) -> str:
        """``path`` relative to the root without resolving symlinks (for messages)."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def relative(self, path: str | PurePath) -> str:
        """``path`` (absolute, or relative to the root) as a POSIX path relative to the root."""
        candidate = Path(path)
        if not candidate.is_absolute():
            candidate = self.root / candidate
        if ".." in candidate.parts:
            candidate = candidate.resolve()
        for option in (candidate, candidate.resolve()):
            with contextlib.suppress(ValueError):
                return option.relative_to(self.root).as_posix()
        raise WorkspaceError(f"{path} is outside the workspace {self.root}")

    def subtask_dir(self, app_file: str | PurePath) -> str:
        """``<dir>/app.py`` → ``<dir>/app_subtasks``, relative to the root."""
        rel = PurePosixPath(self.relative(app_file))
        if rel.name in ("", "."):
            raise WorkspaceError(f"{app_file} is the workspace folder, not an app file")
        folder = (rel.parent / subtask_dir_name(rel.stem)).as_posix()
        self.resolve(folder)
        return folder

    def subtask_file(self, app_file: str | PurePath, index: int, subtask: SubTask) -> str:
        """``<dir>/app_subtasks/NN_<slug>.py`` relative to the root (NN is 1-based)."""
        rel = f"{self.subtask_dir(app_file)}/{subtask_file_name(index, subtask)}"
        self.resolve(rel)
        return rel

    def read_bytes(self, rel: str | PurePath) -> bytes | None:
        """The content of a file inside the root, or None when there is no such file."""
        path = self.resolve(rel)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except IsADirectoryError as exc:
            raise WorkspaceError(f"{self.relative_lexical(path)} is a folder, not a file") from exc

    def write_text_atomic(self, rel: str | PurePath, text: str) -> Path:
        """Write ``text`` as UTF-8 (newlines untouched) atomically; returns the absolute path."""
        return self.write_bytes_atomic(rel, text.encode("utf-8"))

    def write_bytes_atomic(self, rel: str | PurePath, data: bytes) -> Path:
        """Write ``data`` atomically, creating missing parent folders inside the root."""
        path = self.resolve(rel)
        self._make_parents(path)
        mode = _mode_for(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, mode)
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(path.parent)
        return path

    def _make_parents(self, path: Path) -> None:
        """Create the folders between the root and ``path``, each checked again on the way."""
        current = self.root
        for name in path.parent.relative_to(self.root).parts:
            current = current / name
            self._check_links(current, self.relative_lexical(current))
            try:
                current.mkdir(exist_ok=True)
            except (FileExistsError, NotADirectoryError) as exc:
                raise WorkspaceError(
                    f"cannot create folder {self.relative_lexical(current)}: a file is in the way"
                ) from exc
            if not current.is_dir():
                raise WorkspaceError(f"{self.relative_lexical(current)} is not a folder")


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; new files get rw-r--r--."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself (best effort: not every platform can open a folder)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
