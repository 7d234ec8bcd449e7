"""Find the problem statement in a Python file: its leading comment block or module docstring."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tree_sitter import Node

from gpiot.pipeline.render import GENERATED_BY
from gpiot.validate.syntax import function_docstring, node_text, parse

MAX_STATEMENT_CHARS = 4000
_CODING = re.compile(r"^#.*coding[:=]")


class StatementError(ValueError):
    """The file holds no usable problem statement."""


def _leading_comments(lines: list[str]) -> list[str]:
    block: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not block and (
            stripped.startswith("#!") or ("coding" in stripped[:25] and stripped[:1] == "#")
        ):
            continue
        if stripped.startswith("#"):
            block.append(stripped.lstrip("#").strip())
        elif stripped or block:
            break
    return block


def extract_statement(source: str) -> str:
    """The comment block at the top of the file, else the module docstring, normalised."""
    lines = source.splitlines()
    text = " ".join(line for line in _leading_comments(lines) if line)
    if not text:
        try:
            doc = ast.get_docstring(ast.parse(source))
        except SyntaxError:
            doc = None
        text = " ".join((doc or "").split())
    return check_statement(text)


def check_statement(text: str) -> str:
    """Normalise whitespace and reject statements the model cannot work from."""
    text = " ".join(text.split())
    if not text:
        raise StatementError(
            "no problem statement found: start the file with a comment block (# ...) or a "
            "module docstring that describes the IoT application"
        )
    if len(text) < 15 or len(text.split()) < 4:
        raise StatementError(f"the problem statement {text!r} is too short to decompose")
    if len(text) > MAX_STATEMENT_CHARS:
        raise StatementError(
            f"the problem statement has {len(text)} characters; keep it under "
            f"{MAX_STATEMENT_CHARS} (describe the application, not the code)"
        )
    return text


@dataclass(frozen=True)
class StatementBlock:
    """A top-level comment block or the module docstring that holds a problem statement."""

    start_line: int  # 0-based, inclusive
    end_line: int  # 0-based, inclusive
    text: str  # normalised by check_statement
    kind: str  # "comment" | "docstring"

    def contains(self, line: int) -> bool:
        return self.start_line <= line <= self.end_line


def _comment_blocks(root: Node, lines: list[str]) -> Iterator[tuple[int, int, list[str]]]:
    """Runs of whole-line comments at column 0 on consecutive lines."""
    run: list[Node] = []

    def flush() -> Iterator[tuple[int, int, list[str]]]:
        texts = [node_text(n).lstrip("#").strip() for n in run]
        if run:
            yield run[0].start_point.row, run[-1].start_point.row, texts

    for node in root.children:
        row = node.start_point.row
        whole_line = (
            node.type == "comment"
            and node.start_point.column == 0
            and not lines[row].startswith("#!")
            and not _CODING.match(lines[row])
        )
        if whole_line and run and row == run[-1].start_point.row + 1:
            run.append(node)
            continue
        yield from flush()
        run = [node] if whole_line else []
    yield from flush()


def statement_blocks(source: str) -> list[StatementBlock]:
    """Every comment block or module docstring in ``source`` that reads as a problem statement."""
    tree = parse(source)
    lines = source.splitlines() or [""]
    found: list[tuple[int, int, str, str]] = [
        (start, end, " ".join(t for t in texts if t), "comment")
        for start, end, texts in _comment_blocks(tree.root_node, lines)
    ]
    doc = function_docstring(tree.root_node)
    first = next((n for n in tree.root_node.named_children if n.type != "comment"), None)
    if doc and first is not None:
        found.append((first.start_point.row, first.end_point.row, doc, "docstring"))
    blocks: list[StatementBlock] = []
    for start, end, text, kind in sorted(found):
        if GENERATED_BY in text:  # a generated sub-task module's own docstring
            continue
        try:
            blocks.append(StatementBlock(start, end, check_statement(text), kind))
        except StatementError:
            continue
    return blocks


def statement_block_at(source: str, line: int) -> StatementBlock | None:
    """The statement block that contains 0-based ``line``, if any."""
    return next((b for b in statement_blocks(source) if b.contains(line)), None)
