"""Find the problem statement in a Python file: its leading comment block or module docstring."""

from __future__ import annotations

import ast

MAX_STATEMENT_CHARS = 4000


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
