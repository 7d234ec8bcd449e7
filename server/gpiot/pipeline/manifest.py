"""``.gpiot/manifest.json``: what GPIoT generated, from which statement, with which content hash.

The hashes decide whether a file may be regenerated: a file whose content still equals what GPIoT
wrote is GPIoT's to replace; a file the user changed, or one GPIoT never wrote, is left alone
unless forced, and then it is first copied under ``.gpiot/backup/<timestamp>/``.

:func:`decide_write` only looks (a language server turns its answer into a WorkspaceEdit);
:func:`apply_write` performs a decision and records the file in the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from gpiot.errors import WorkspaceError
from gpiot.pipeline.workspace import GPIOT_DIR, Workspace

MANIFEST_PATH = f"{GPIOT_DIR}/manifest.json"
BACKUP_DIR = f"{GPIOT_DIR}/backup"
MANIFEST_VERSION = 1
FILE_KINDS = ("subtask", "pipeline", "readme")
FILE_STATUSES = ("validated", "unvalidated", "stub")

WriteAction = Literal["create", "overwrite", "unchanged", "keep-user-edit", "keep-user-file"]
KEEP_ACTIONS: tuple[WriteAction, ...] = ("keep-user-edit", "keep-user-file")


def sha256_text(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8 (the bytes GPIoT writes)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now_iso(now: datetime | None = None) -> str:
    """ISO 8601 UTC time to the second."""
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def _stamp(now: datetime | None = None) -> str:
    """A timestamp usable in a file name: ``20250131T235959Z``."""
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return [str(v) for v in value]


def _dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object, got {type(value).__name__}")
    return value


@dataclass
class GeneratedFile:
    """One file GPIoT wrote, and the hash of the content it wrote."""

    path: str
    sha256: str
    kind: str  # "subtask" | "pipeline" | "readme"
    function: str | None = None
    spec: dict[str, Any] | None = None
    status: str = "validated"  # "validated" | "unvalidated" | "stub"
    problems: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in FILE_KINDS:
            raise ValueError(f"file kind {self.kind!r} is not one of {FILE_KINDS}")
        if self.status not in FILE_STATUSES:
            raise ValueError(f"file status {self.status!r} is not one of {FILE_STATUSES}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "kind": self.kind,
            "function": self.function,
            "spec": self.spec,
            "status": self.status,
            "problems": list(self.problems),
            "sources": list(self.sources),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GeneratedFile:
        spec = data.get("spec")
        function = data.get("function")
        return cls(
            path=str(data["path"]),
            sha256=str(data["sha256"]),
            kind=str(data["kind"]),
            function=None if function is None else str(function),
            spec=None if spec is None else _dict(spec, "spec"),
            status=str(data.get("status", "validated")),
            problems=_str_list(data.get("problems", [])),
            sources=_str_list(data.get("sources", [])),
        )


@dataclass
class AppRecord:
    """Everything generated from one app file's problem statement."""

    source: str  # the app file, relative to the workspace root
    statement: str
    statement_sha256: str
    model: str = ""
    adapters: dict[str, str] = field(default_factory=dict)
    created: str = ""  # ISO time
    updated: str = ""
    decomposition: dict[str, Any] = field(default_factory=dict)
    files: dict[str, GeneratedFile] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "statement": self.statement,
            "statement_sha256": self.statement_sha256,
            "model": self.model,
            "adapters": dict(self.adapters),
            "created": self.created,
            "updated": self.updated,
            "decomposition": self.decomposition,
            "files": {path: f.to_dict() for path, f in self.files.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AppRecord:
        files = _dict(data.get("files", {}), "files")
        adapters = _dict(data.get("adapters", {}), "adapters")
        return cls(
            source=str(data["source"]),
            statement=str(data["statement"]),
            statement_sha256=str(data["statement_sha256"]),
            model=str(data.get("model", "")),
            adapters={str(k): str(v) for k, v in adapters.items()},
            created=str(data.get("created", "")),
            updated=str(data.get("updated", "")),
            decomposition=_dict(data.get("decomposition", {}), "decomposition"),
            files={str(p): GeneratedFile.from_dict(_dict(f, "file")) for p, f in files.items()},
        )


@dataclass
class Manifest:
    """All apps of a workspace. ``warning`` is set when a bad manifest file was moved aside."""

    version: int = MANIFEST_VERSION
    apps: dict[str, AppRecord] = field(default_factory=dict)
    warning: str | None = field(default=None, compare=False)
    # Set when an existing manifest file could be neither used nor moved aside: never replace it.
    protect_existing: bool = field(default=False, compare=False, repr=False)

    # -- persistence ---------------------------------------------------------------------------

    @classmethod
    def load(cls, workspace: Workspace) -> Manifest:
        """Read the manifest; a missing one is empty, a bad one is moved aside with a warning."""
        try:
            data = workspace.read_bytes(MANIFEST_PATH)
        except (OSError, WorkspaceError) as exc:
            warning = f"could not read {MANIFEST_PATH} ({exc}); it is left as is and not updated"
            return cls(warning=warning, protect_existing=True)
        if data is None:
            return cls()
        try:
            return cls.from_dict(json.loads(data.decode("utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            try:
                return cls(warning=_move_aside(workspace, exc))
            except WorkspaceError as err:
                return cls(warning=str(err), protect_existing=True)

    def save(self, workspace: Workspace) -> None:
        """Write the manifest atomically (sorted keys, indented)."""
        if self.protect_existing:
            raise WorkspaceError(
                f"not saving {MANIFEST_PATH}: the existing file could not be read or moved aside",
                "move or fix it by hand",
            )
        text = json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)
        workspace.write_text_atomic(MANIFEST_PATH, text + "\n")

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "apps": {s: a.to_dict() for s, a in self.apps.items()}}

    @classmethod
    def from_dict(cls, data: Any) -> Manifest:
        data = _dict(data, "the manifest")
        version = data.get("version")
        if version != MANIFEST_VERSION:
            raise ValueError(f"unknown manifest version {version!r} (expected {MANIFEST_VERSION})")
        apps = _dict(data.get("apps", {}), "apps")
        return cls(apps={str(s): AppRecord.from_dict(_dict(a, "app")) for s, a in apps.items()})

    # -- queries and updates ---------------------------------------------------------------------

    def lookup(self, path: str) -> tuple[AppRecord, GeneratedFile] | None:
        """The app and entry that generated ``path`` (relative, POSIX), if any."""
        for app in self.apps.values():
            entry = app.files.get(path)
            if entry is not None:
                return app, entry
        return None

    def upsert_app(
        self,
        source: str,
        statement: str,
        *,
        model: str = "",
        adapters: dict[str, str] | None = None,
        decomposition: dict[str, Any] | None = None,
        now: datetime | None = None,
    ) -> AppRecord:
        """Create or update the record of ``source``, keeping its files; returns it."""
        stamp = now_iso(now)
        app = self.apps.get(source)
        if app is None:
            app = AppRecord(source, statement, sha256_text(statement), created=stamp)
            self.apps[source] = app
        app.statement, app.statement_sha256 = statement, sha256_text(statement)
        app.model = model or app.model
        if adapters is not None:
            app.adapters = dict(adapters)
        if decomposition is not None:
            app.decomposition = decomposition
        app.updated = stamp
        return app

    def record_file(self, source: str, entry: GeneratedFile) -> None:
        """Store ``entry`` under app ``source`` (which must exist), moving it from any other app."""
        app = self.apps.get(source)
        if app is None:
            raise WorkspaceError(f"no manifest record for {source}", "record the app first")
        self.remove_file(entry.path)
        app.files[entry.path] = entry

    def remove_file(self, path: str) -> GeneratedFile | None:
        """Forget ``path``; returns the entry that was removed, if any."""
        for app in self.apps.values():
            entry = app.files.pop(path, None)
            if entry is not None:
                return entry
        return None


def _move_aside(workspace: Workspace, exc: Exception) -> str:
    """Rename a manifest that cannot be used so that it is kept; returns the user's warning."""
    source = workspace.resolve(MANIFEST_PATH)
    base = f"{MANIFEST_PATH}.corrupt-{_stamp()}"
    target, n = base, 0
    while workspace.resolve(target).exists():
        n += 1
        target = f"{base}-{n}"
    try:
        os.replace(source, workspace.resolve(target))
    except OSError as err:
        raise WorkspaceError(
            f"{MANIFEST_PATH} is unusable ({exc}) and could not be moved aside ({err})",
            "move or fix it by hand",
        ) from err
    return f"{MANIFEST_PATH} was unusable ({exc}); it was moved to {target} and a new one started"


# -- write policy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WriteDecision:
    """What writing a generated file would do, and why (for the user)."""

    action: WriteAction
    reason: str
    path: str  # relative, POSIX
    new_sha256: str
    current_sha256: str | None = None  # the file on disk when decided; None when missing
    backup: str | None = None  # where the current file is copied first (force)

    @property
    def writes(self) -> bool:
        """True when the file on disk is replaced or created."""
        return self.action in ("create", "overwrite")


def decide_write(
    workspace: Workspace,
    manifest: Manifest,
    rel_path: str,
    new_content: str,
    force: bool = False,
    *,
    now: datetime | None = None,
    current_text: str | None = None,
) -> WriteDecision:
    """Decide, without writing, whether ``new_content`` may replace ``rel_path``.

    ``current_text`` is the file's content where it is not the disk's (an editor's open buffer).
    """
    path = workspace.relative(workspace.resolve(rel_path))
    new = sha256_text(new_content)
    data = workspace.read_bytes(path) if current_text is None else current_text.encode()
    if data is None:
        return WriteDecision("create", f"{path} does not exist yet", path, new)
    current = sha256_bytes(data)
    if current == new:
        return WriteDecision("unchanged", f"{path} already has this content", path, new, current)
    known = manifest.lookup(path)
    if known is not None and known[1].sha256 == current:
        reason = f"{path} is unchanged since GPIoT generated it"
        return WriteDecision("overwrite", reason, path, new, current)
    edited = known is not None
    if not force:
        action: WriteAction = "keep-user-edit" if edited else "keep-user-file"
        what = "was edited since GPIoT generated it" if edited else "was not generated by GPIoT"
        reason = f"{path} {what}; kept as is (force to overwrite it after a backup)"
        return WriteDecision(action, reason, path, new, current)
    backup = f"{BACKUP_DIR}/{_stamp(now)}/{path}"
    what = "your edited" if edited else "your"
    reason = f"overwriting {what} {path} (forced); the current version is saved as {backup}"
    return WriteDecision("overwrite", reason, path, new, current, backup)


def apply_write(
    workspace: Workspace,
    manifest: Manifest,
    decision: WriteDecision,
    rel_path: str,
    content: str,
    record: GeneratedFile,
    *,
    source: str | None = None,
) -> GeneratedFile | None:
    """Carry out ``decision`` and record the file; returns the stored entry (None when kept).

    The entry goes under app ``source``; without it, under the app that already owns the path,
    or the only app in the manifest. The caller saves the manifest.
    """
    path = workspace.relative(workspace.resolve(rel_path))
    _check_decision(workspace, decision, path, content)
    if decision.action in KEEP_ACTIONS:
        return None
    owner = _owner(manifest, path, source)
    if decision.backup is not None:
        _backup(workspace, path, decision.backup)
    if decision.writes:
        workspace.write_text_atomic(path, content)
    entry = replace(record, path=path, sha256=decision.new_sha256)
    manifest.record_file(owner, entry)
    return entry


def _check_decision(workspace: Workspace, decision: WriteDecision, path: str, content: str) -> None:
    """Refuse a decision made for another path or content, or before the file changed."""
    if decision.path != path:
        raise WorkspaceError(f"the write decision is for {decision.path}, not {path}")
    if sha256_text(content) != decision.new_sha256:
        raise WorkspaceError(f"the content for {path} differs from the one decided on")
    data = workspace.read_bytes(path)
    current = None if data is None else sha256_bytes(data)
    if current != decision.current_sha256:
        raise WorkspaceError(f"{path} changed after the write was decided", "decide again")


def _owner(manifest: Manifest, path: str, source: str | None) -> str:
    if source is not None:
        return source
    known = manifest.lookup(path)
    if known is not None:
        return known[0].source
    if len(manifest.apps) == 1:
        return next(iter(manifest.apps))
    raise WorkspaceError(f"cannot tell which app {path} belongs to", "pass source=")


def _backup(workspace: Workspace, path: str, backup: str) -> None:
    """Copy the current file to ``backup``; never overwrite a different, earlier backup."""
    data = workspace.read_bytes(path)
    if data is None:
        return
    existing = workspace.read_bytes(backup)
    if existing is not None and existing != data:
        raise WorkspaceError(f"backup {backup} already exists with other content", "try again")
    workspace.write_bytes_atomic(backup, data)
