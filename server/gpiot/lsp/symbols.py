"""What is at a position in a Python file: the top-level function, its spec, its stub body.

Pure functions over source text (tree-sitter); lines are 0-based like LSP positions.
"""

from __future__ import annotations

from dataclasses import dataclass

from gpiot.pipeline.render import spec_markdown_from_docstring
from gpiot.pipeline.spec import Spec, SpecFormatError
from gpiot.validate.syntax import (
    body_start_row,
    function_docstring,
    is_stub_body,
    parse,
    top_level_functions,
)


@dataclass(frozen=True)
class FunctionSite:
    """A top-level function: where it is, its spec (if its docstring holds one), stub or not."""

    name: str
    start_line: int
    end_line: int  # inclusive
    body_start_line: int  # first line after the docstring (where a stub's placeholder is)
    spec: Spec | None
    stub: bool
    docstring: str | None
    start_byte: int
    end_byte: int

    def contains(self, line: int) -> bool:
        return self.start_line <= line <= self.end_line


def spec_of(name: str, docstring: str | None) -> Spec | None:
    """The spec in a function's docstring (or in the spec part of a module docstring)."""
    if not docstring:
        return None
    for text in (docstring, spec_markdown_from_docstring(docstring)):
        if not text:
            continue
        try:
            return Spec.from_markdown(text, name)
        except SpecFormatError:
            continue
    return None


def functions(source: str) -> list[FunctionSite]:
    """Every top-level function of ``source`` in file order."""
    sites: list[FunctionSite] = []
    for name, node in top_level_functions(parse(source)).items():
        doc = function_docstring(node)
        sites.append(
            FunctionSite(
                name,
                node.start_point.row,
                node.end_point.row,
                body_start_row(node),
                spec_of(name, doc),
                is_stub_body(node),
                doc,
                node.start_byte,
                node.end_byte,
            )
        )
    return sorted(sites, key=lambda s: s.start_line)


def function_at(source: str, line: int) -> FunctionSite | None:
    return next((f for f in functions(source) if f.contains(line)), None)


def module_docstring(source: str) -> str | None:
    return function_docstring(parse(source).root_node)
