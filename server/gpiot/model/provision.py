"""Assemble a packaged base model into the user cache once, and verify it.

The part files are found through package metadata (never by guessing site-packages paths), copied
in order into a temporary file while hashing, and renamed into place only when size and SHA-256
match. A small stamp file next to the model records the verified size and modification time, so
later starts skip the 0.5 GB hash unless asked to verify again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from gpiot.errors import ModelError
from gpiot.model.sources import PackagedModel

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes total)."""

_CHUNK = 8 * 1024 * 1024


def locate_parts(model: PackagedModel) -> list[Path]:
    """The installed part files, in order; a clear error naming what is missing."""
    parts: list[Path] = []
    missing: list[str] = []
    for dist_name, part in zip(model.distributions, model.part_files, strict=True):
        try:
            dist = metadata.distribution(dist_name)
        except metadata.PackageNotFoundError:
            missing.append(dist_name)
            continue
        found = [f for f in dist.files or [] if f.as_posix().endswith(part)]
        path = Path(str(dist.locate_file(found[0]))) if found else None
        if path is None or not path.is_file():
            raise ModelError(
                f"package {dist_name} is installed but its file {part} is missing",
                f"reinstall it: pip install --force-reinstall '{dist_name}'",
            )
        parts.append(path)
    if missing:
        raise ModelError(
            f"the {model.description} model is not installed (missing {', '.join(missing)})",
            model.install_hint,
        )
    return parts


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def file_sha256(path: Path, progress: Progress | None = None) -> str:
    total = path.stat().st_size
    digest = hashlib.sha256()
    done = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    return digest.hexdigest()


def is_verified(path: Path, model: PackagedModel) -> bool:
    """True when a stamp from an earlier full check still matches the file."""
    stamp = _stamp_path(path)
    if not path.is_file() or not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    return bool(recorded == {**_stamp(path), "sha256": model.sha256})


def verify(path: Path, model: PackagedModel, progress: Progress | None = None) -> None:
    """Full size and hash check; writes the stamp on success, raises ModelError otherwise."""
    size = path.stat().st_size
    if size != model.size:
        raise ModelError(
            f"{path} has {size:,} bytes, expected {model.size:,} (truncated or wrong file)",
            "delete it and run `gpiot model` again to rebuild it from the installed packages",
        )
    digest = file_sha256(path, progress)
    if digest != model.sha256:
        raise ModelError(
            f"{path} does not match the published SHA-256 (got {digest[:12]}…)",
            "delete it and run `gpiot model` again; if that fails, reinstall the model packages",
        )
    _stamp_path(path).write_text(json.dumps({**_stamp(path), "sha256": model.sha256}))


def assemble(model: PackagedModel, cache_dir: Path, progress: Progress | None = None) -> Path:
    """Return the verified model file in ``cache_dir``, building it from the parts if needed."""
    target = cache_dir / model.filename
    if is_verified(target, model):
        return target
    if target.is_file() and target.stat().st_size == model.size:
        try:
            verify(target, model, progress)
            return target
        except ModelError:
            pass  # rebuild from the parts below
    parts = locate_parts(model)
    available = sum(p.stat().st_size for p in parts)
    if available != model.size:
        raise ModelError(
            f"the installed parts hold {available:,} bytes, expected {model.size:,}",
            f"reinstall them: pip install --force-reinstall 'gpiot[{model.extra}]'",
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    digest = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while chunk := f.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, model.size)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != model.sha256:
            raise ModelError(
                "the assembled model does not match the published SHA-256",
                f"reinstall the parts: pip install --force-reinstall 'gpiot[{model.extra}]'",
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _stamp_path(target).write_text(json.dumps({**_stamp(target), "sha256": model.sha256}))
    return target
