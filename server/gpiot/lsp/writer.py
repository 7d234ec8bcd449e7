"""The pipeline's file writer inside the editor: generated files become workspace edits.

It runs on the pipeline's thread and talks to the editor through an `EditorBridge`, whose calls
the server carries out on its event loop. The manifest's rules decide every write, with the
editor's open buffer (not the disk) as the current content of an open file, so an unsaved change
in the editor is never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from lsprotocol import types as lsp
from pygls.uris import from_fs_path

from gpiot.errors import GpiotError
from gpiot.lsp.edits import EditSupport, create_file_edit, replace_text_edit
from gpiot.pipeline.manifest import KEEP_ACTIONS, GeneratedFile, Manifest, decide_write
from gpiot.pipeline.workspace import Workspace


@dataclass(frozen=True)
class Buffer:
    text: str
    version: int | None


class EditorBridge(Protocol):
    def buffer(self, uri: str) -> Buffer | None:
        """The open document's text and version, or None when the file is not open."""
        ...

    def apply(self, label: str, edit: lsp.WorkspaceEdit) -> bool:
        """workspace/applyEdit; True when the client applied it."""
        ...

    def show(self, uri: str) -> None:
        """window/showDocument without taking focus."""
        ...


def file_uri(workspace: Workspace, rel: str) -> str:
    uri = from_fs_path(str(workspace.resolve(rel)))
    if uri is None:
        raise GpiotError(f"cannot make a URI of {rel}")
    return str(uri)


class EditorWriter:
    """Writes generated files through the editor, or to disk where the editor cannot create them."""

    def __init__(
        self,
        workspace: Workspace,
        manifest: Manifest,
        source: str,
        support: EditSupport,
        bridge: EditorBridge,
    ) -> None:
        self.workspace = workspace
        self.manifest = manifest
        self.source = source
        self.support = support
        self.bridge = bridge
        self.shown: list[str] = []

    def write(self, path: str, content: str, record: GeneratedFile) -> str:
        rel = self.workspace.relative(self.workspace.resolve(path))
        uri = file_uri(self.workspace, rel)
        buffer = self.bridge.buffer(uri)
        decision = decide_write(
            self.workspace,
            self.manifest,
            rel,
            content,
            current_text=buffer.text if buffer is not None else None,
        )
        if decision.action in KEEP_ACTIONS:
            return decision.action
        if decision.action != "unchanged":
            self._apply(rel, uri, content, decision.action, buffer)
        self.manifest.record_file(
            self.source, replace(record, path=rel, sha256=decision.new_sha256)
        )
        self.manifest.save(self.workspace)
        return decision.action

    def _apply(self, rel: str, uri: str, content: str, action: str, buffer: Buffer | None) -> None:
        edit: lsp.WorkspaceEdit | None = None
        if buffer is not None:
            edit = replace_text_edit(
                uri, buffer.text, content, buffer.version, self.support.document_changes
            )
        elif action == "create" and self.support.creates_files:
            edit = create_file_edit(uri, content)
        if edit is None:  # a file that is not open, and a client that cannot create files
            self.workspace.write_text_atomic(rel, content)
            if action == "create" and self.support.show_document:
                self.bridge.show(uri)
                self.shown.append(rel)
            return
        if not self.bridge.apply(f"GPIoT: {rel}", edit):
            raise GpiotError(
                f"the editor did not apply the edit to {rel}",
                "check that the file is not read-only, then run the action again",
            )
