"""Tree-sitter parsing of generated modules and small helpers over the syntax tree."""

from __future__ import annotations

import ast
import inspect
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

import tree_sitter_python
from tree_sitter import Language, Node, Parser, Tree

from gpiot.validate.problems import Problem, trim

LANGUAGE: Final = Language(tree_sitter_python.language())
MAX_SYNTAX_PROBLEMS: Final = 8
_EXCERPT: Final = 60


def parse(source: str | bytes, old_tree: Tree | None = None) -> Tree:
    """Parse Python source (incrementally from an edited ``old_tree``, if given).

    The tree always exists, with ERROR/MISSING nodes where the source is broken.
    """
    data = source.encode("utf-8", "surrogatepass") if isinstance(source, str) else source
    parser = Parser(LANGUAGE)
    return parser.parse(data, old_tree) if old_tree is not None else parser.parse(data)


def node_text(node: Node) -> str:
    """The source text of ``node``."""
    return (node.text or b"").decode("utf-8", "replace")


def line_of(node: Node) -> int:
    """The 1-based line where ``node`` starts."""
    return node.start_point.row + 1


def excerpt(node: Node, limit: int = _EXCERPT) -> str:
    """The first line of ``node``'s text, trimmed for a message."""
    first = node_text(node).strip().splitlines()
    return trim(first[0], limit) if first else ""


def _source_line(lines: list[str], row: int) -> str:
    return trim(lines[row], _EXCERPT) if 0 <= row < len(lines) else ""


def _error_nodes(node: Node) -> Iterator[Node]:
    if node.is_missing or node.type == "ERROR":
        yield node
        return
    if node.has_error:
        for child in node.children:
            yield from _error_nodes(child)


def syntax_problems(source: str, tree: Tree | None = None) -> list[Problem]:
    """ERROR and MISSING nodes as "syntax" problems; falls back to CPython's compiler.

    Tree-sitter is lenient in places where CPython is not (``return`` outside a function,
    ``nonlocal`` at module level, …), so a tree without errors is also compiled, never run.
    """
    tree = tree or parse(source)
    lines = source.splitlines()
    problems: list[Problem] = []
    seen: set[int] = set()
    for node in _error_nodes(tree.root_node):
        line = line_of(node)
        if line in seen:
            continue
        seen.add(line)
        if node.is_missing:
            message = f"missing `{node.type}` in `{_source_line(lines, node.start_point.row)}`"
        else:
            near = excerpt(node) or _source_line(lines, node.start_point.row)
            message = f"invalid syntax near `{near}`" if near else "invalid syntax"
        problems.append(Problem("syntax", message, line))
        if len(problems) >= MAX_SYNTAX_PROBLEMS:
            break
    if problems:
        return problems
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, "<generated>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return [Problem("syntax", exc.msg or "invalid syntax", exc.lineno)]
    except (ValueError, RecursionError, MemoryError) as exc:
        return [Problem("syntax", f"cannot be compiled: {exc}", None)]
    return []


def _definition(node: Node) -> Node:
    """The function/class node inside a ``decorated_definition``, else ``node`` itself."""
    if node.type == "decorated_definition":
        inner = node.child_by_field_name("definition")
        if inner is not None:
            return inner
    return node


def top_level_functions(tree: Tree) -> dict[str, Node]:
    """Module-level ``def``s by name (``function_definition`` nodes; the last one wins)."""
    found: dict[str, Node] = {}
    for child in tree.root_node.named_children:
        node = _definition(child)
        if node.type == "function_definition":
            name = node.child_by_field_name("name")
            if name is not None:
                found[node_text(name)] = node
    return found


def is_async(function: Node) -> bool:
    """True for ``async def``."""
    return any(child.type == "async" for child in function.children)


@dataclass(frozen=True)
class Parameter:
    """One entry of a parameter list.

    ``star`` is "" for ordinary parameters, "*" or "**" for ``*args``/``**kwargs``, and
    ``name`` is "*" or "/" for the bare keyword-only and positional-only separators.
    """

    name: str
    star: str = ""
    has_default: bool = False
    annotation: str | None = None

    @property
    def is_separator(self) -> bool:
        return self.name in ("*", "/")

    def render(self) -> str:
        return self.name if self.is_separator else f"{self.star}{self.name}"


def _first_identifier(node: Node) -> str:
    if node.type == "identifier":
        return node_text(node)
    for child in node.named_children:
        if child.type == "identifier":
            return node_text(child)
    return node_text(node)


def _parameter(node: Node) -> Parameter | None:
    kind = node.type
    if kind == "identifier":
        return Parameter(node_text(node))
    if kind == "keyword_separator":
        return Parameter("*")
    if kind == "positional_separator":
        return Parameter("/")
    if kind == "list_splat_pattern":
        return Parameter(_first_identifier(node), star="*")
    if kind == "dictionary_splat_pattern":
        return Parameter(_first_identifier(node), star="**")
    annotation_node = node.child_by_field_name("type")
    annotation = node_text(annotation_node) if annotation_node is not None else None
    if kind == "typed_parameter":
        inner = node.named_children[0] if node.named_children else node
        base = _parameter(inner)
        if base is None:
            return None
        return Parameter(base.name, base.star, False, annotation)
    if kind in ("default_parameter", "typed_default_parameter"):
        name_node = node.child_by_field_name("name")
        name = node_text(name_node) if name_node is not None else _first_identifier(node)
        return Parameter(name, "", True, annotation)
    return None


def function_parameter_details(function: Node) -> list[Parameter]:
    """The parameters of a ``function_definition`` (or decorated one), in order."""
    params = _definition(function).child_by_field_name("parameters")
    if params is None:
        return []
    return [p for p in (_parameter(child) for child in params.named_children) if p is not None]


def function_parameters(function: Node) -> list[str]:
    """Parameter names in order; ``*args``/``**kwargs`` keep their stars, separators are "*"/"/"."""
    return [p.render() for p in function_parameter_details(function)]


def _body_statements(node: Node) -> list[Node]:
    node = _definition(node)
    body = node if node.type in ("module", "block") else node.child_by_field_name("body")
    if body is None:
        return []
    return [child for child in body.named_children if child.type != "comment"]


def _docstring_node(statement: Node) -> Node | None:
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return None
    value = statement.named_children[0]
    return value if value.type in ("string", "concatenated_string") else None


def function_docstring(node: Node) -> str | None:
    """The cleaned docstring of a function, class or module node, if it has one."""
    statements = _body_statements(node)
    literal = _docstring_node(statements[0]) if statements else None
    if literal is None:
        return None
    try:
        value = ast.literal_eval(node_text(literal))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return inspect.cleandoc(value) if isinstance(value, str) else None


def _is_not_implemented(statement: Node) -> bool:
    if statement.type != "raise_statement":
        return False
    raised = statement.named_children[0] if statement.named_children else None
    if raised is not None and raised.type == "call":
        raised = raised.child_by_field_name("function")
    return raised is not None and node_text(raised) == "NotImplementedError"


def is_stub_body(function: Node) -> bool:
    """True if the body is only a docstring, ``pass``, ``...`` or ``raise NotImplementedError``."""
    statements = _body_statements(function)
    if statements and _docstring_node(statements[0]) is not None:
        statements = statements[1:]
    for statement in statements:
        if statement.type == "pass_statement" or _is_not_implemented(statement):
            continue
        if (
            statement.type == "expression_statement"
            and statement.named_child_count == 1
            and statement.named_children[0].type == "ellipsis"
        ):
            continue
        return False
    return True


def body_start_row(function: Node) -> int:
    """The 0-based row after a function's docstring (its first body row when it has none).

    Comments between the docstring and the first statement belong to the body.
    """
    body = function.child_by_field_name("body")
    if body is None:
        return function.end_point.row
    first = next((c for c in body.named_children if c.type != "comment"), None)
    if first is not None and _docstring_node(first) is not None:
        return first.end_point.row + 1
    return body.start_point.row
