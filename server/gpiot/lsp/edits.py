"""Workspace edits that create or replace generated files, and what the client can apply."""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as lsp


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def end_position(text: str) -> lsp.Position:
    """The position after the last character of ``text`` (UTF-16 columns, as LSP counts)."""
    lines = text.split("\n")
    return lsp.Position(line=len(lines) - 1, character=_utf16_length(lines[-1]))


def full_range(text: str) -> lsp.Range:
    return lsp.Range(start=lsp.Position(line=0, character=0), end=end_position(text))


@dataclass(frozen=True)
class EditSupport:
    """What the client said it can apply (``workspace.workspaceEdit`` capabilities)."""

    document_changes: bool
    create_files: bool
    show_document: bool
    work_done_progress: bool
    configuration: bool

    @property
    def creates_files(self) -> bool:
        return self.document_changes and self.create_files

    @classmethod
    def of(cls, capabilities: lsp.ClientCapabilities) -> EditSupport:
        workspace = capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        window = capabilities.window
        operations = (edit.resource_operations or []) if edit else []
        return cls(
            document_changes=bool(edit and edit.document_changes),
            create_files=lsp.ResourceOperationKind.Create in operations,
            show_document=bool(window and window.show_document and window.show_document.support),
            work_done_progress=bool(window and window.work_done_progress),
            configuration=bool(workspace and workspace.configuration),
        )


def create_file_edit(uri: str, content: str) -> lsp.WorkspaceEdit:
    """CreateFile followed by the text of the new file."""
    return lsp.WorkspaceEdit(
        document_changes=[
            # no ignoreIfExists: Neovim then opens a buffer without creating the file or folder;
            # the writer only creates files that do not exist
            lsp.CreateFile(uri=uri),
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=None),
                edits=[lsp.TextEdit(range=full_range(""), new_text=content)],
            ),
        ]
    )


def replace_text_edit(
    uri: str, old_text: str, new_text: str, version: int | None, document_changes: bool
) -> lsp.WorkspaceEdit:
    """Replace a whole document; with ``version`` the client rejects it if the buffer moved on."""
    edit = lsp.TextEdit(range=full_range(old_text), new_text=new_text)
    if not document_changes:
        return lsp.WorkspaceEdit(changes={uri: [edit]})
    identifier = lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
    return lsp.WorkspaceEdit(
        document_changes=[lsp.TextDocumentEdit(text_document=identifier, edits=[edit])]
    )
