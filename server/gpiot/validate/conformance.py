"""Does the module define the spec's function, and does nothing run when it is imported?"""

from __future__ import annotations

from typing import Final

from tree_sitter import Node, Tree

from gpiot.pipeline.spec import Spec
from gpiot.validate.problems import Problem
from gpiot.validate.syntax import (
    excerpt,
    function_parameter_details,
    is_async,
    is_stub_body,
    line_of,
    node_text,
    parse,
    top_level_functions,
)

_ALWAYS_ALLOWED: Final = frozenset(
    {
        "import_statement",
        "import_from_statement",
        "future_import_statement",
        "function_definition",
        "class_definition",
        "decorated_definition",
        "pass_statement",
        "comment",
    }
)
# Leaves and operators of a constant expression.
_CONSTANT_LEAVES: Final = frozenset(
    {"integer", "float", "true", "false", "none", "ellipsis", "identifier", "string_content"}
)
_CONSTANT_NODES: Final = frozenset(
    {
        "string",
        "string_start",
        "string_end",
        "escape_sequence",
        "concatenated_string",
        "attribute",
        "unary_operator",
        "binary_operator",
        "boolean_operator",
        "not_operator",
        "comparison_operator",
        "parenthesized_expression",
        "tuple",
        "list",
        "set",
        "dictionary",
        "pair",
        "expression_list",
    }
)
# Calls that are harmless at import time when their arguments are constants.
_HARMLESS_CALLS: Final = frozenset(
    {
        "re.compile",
        "logging.getLogger",
        "TypeVar",
        "typing.TypeVar",
        "namedtuple",
        "collections.namedtuple",
    }
)
_TARGETS: Final = frozenset({"identifier", "pattern_list", "tuple_pattern", "list_pattern"})


def is_constant_expression(node: Node) -> bool:
    """Literals, names, attribute access and arithmetic of those; no calls or comprehensions."""
    if node.type in _CONSTANT_LEAVES:
        return True
    if node.type == "call":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or node_text(function) not in _HARMLESS_CALLS or arguments is None:
            return False
        return all(
            is_constant_expression(arg.child_by_field_name("value") or arg)
            if arg.type == "keyword_argument"
            else is_constant_expression(arg)
            for arg in arguments.named_children
        )
    if node.type not in _CONSTANT_NODES:
        return False
    # Operators and punctuation are unnamed children; every named child must be constant too.
    return all(is_constant_expression(child) for child in node.named_children)


def _is_constant_assignment(node: Node) -> bool:
    if node.type == "augmented_assignment":
        target = node.child_by_field_name("left")
        value = node.child_by_field_name("right")
        return target is not None and target.type == "identifier" and _value_ok(value)
    if node.type != "assignment":
        return False
    target = node.child_by_field_name("left")
    if target is None or target.type not in _TARGETS:
        return False
    return _value_ok(node.child_by_field_name("right"))


def _value_ok(value: Node | None) -> bool:
    if value is None:  # a bare annotation such as ``x: int``
        return True
    if value.type in ("assignment", "augmented_assignment"):  # chained ``a = b = 1``
        return _is_constant_assignment(value)
    return is_constant_expression(value)


def _is_main_guard(node: Node) -> bool:
    if node.type != "if_statement" or node.child_by_field_name("alternative") is not None:
        return False
    condition = node.child_by_field_name("condition")
    if condition is None or condition.type != "comparison_operator":
        return False
    operands = [node_text(child) for child in condition.named_children]
    operators = [node_text(child) for child in condition.children if not child.is_named]
    if operators != ["=="] or len(operands) != 2:
        return False
    return "__name__" in operands and any(op in ('"__main__"', "'__main__'") for op in operands)


def _statement_ok(node: Node) -> bool:
    if node.type in _ALWAYS_ALLOWED or _is_main_guard(node):
        return True
    if node.type == "expression_statement":
        return all(
            (child.type in ("string", "concatenated_string") and is_constant_expression(child))
            or _is_constant_assignment(child)
            for child in node.named_children
        )
    if node.type == "try_statement":  # ``try: import x`` / ``except ImportError: x = None``
        for part in node.named_children:
            block = part if part.type == "block" else None
            if part.type in ("except_clause", "else_clause", "finally_clause"):
                blocks = [child for child in part.named_children if child.type == "block"]
                block = blocks[-1] if blocks else None
            if block is not None and not all(_statement_ok(s) for s in block.named_children):
                return False
        return True
    return False


def module_code_problems(tree: Tree) -> list[Problem]:
    """Top-level statements that would run on import, one "module-code" problem each."""
    problems: list[Problem] = []
    for node in tree.root_node.named_children:
        if not _statement_ok(node):
            problems.append(
                Problem(
                    "module-code",
                    f"`{excerpt(node)}` runs on import; the module may only define things "
                    '(move it into the function, or under `if __name__ == "__main__":`)',
                    line_of(node),
                )
            )
    return problems


def _signature_problems(function: Node, spec: Spec) -> list[Problem]:
    line = line_of(function)
    expected = [p.name for p in spec.inputs]
    want = f"`{spec.signature}`"
    problems: list[Problem] = []
    if is_async(function):
        problems.append(
            Problem("signature", f"`{spec.function}` must not be async; use {want}", line)
        )
    params = function_parameter_details(function)
    stars = [p.render() for p in params if p.star or p.name == "*"]
    if stars:
        problems.append(
            Problem(
                "signature",
                f"`{spec.function}` must not take {', '.join(stars)}; use exactly {want}",
                line,
            )
        )
    plain = [p for p in params if not p.star and not p.is_separator]
    names = [p.name for p in plain]
    if names[: len(expected)] != expected:
        problems.append(
            Problem(
                "signature",
                f"`{spec.function}` takes ({', '.join(names)}) but the spec requires "
                f"({', '.join(expected)}) in that order: {want}",
                line,
            )
        )
    else:
        extra = [p.name for p in plain[len(expected) :] if not p.has_default]
        if extra:
            problems.append(
                Problem(
                    "signature",
                    f"`{spec.function}` has extra required parameters ({', '.join(extra)}); "
                    f"the spec requires {want}",
                    line,
                )
            )
    if is_stub_body(function):
        problems.append(
            Problem("signature", f"`{spec.function}` has no implementation, only a stub body", line)
        )
    return problems


def conformance_problems(source: str, spec: Spec, tree: Tree | None = None) -> list[Problem]:
    """Signature problems for ``spec.function`` plus module-level code that runs on import."""
    tree = tree or parse(source)
    functions = top_level_functions(tree)
    function = functions.get(spec.function)
    problems: list[Problem] = []
    if function is None:
        others = ", ".join(f"`{name}`" for name in functions) or "none"
        problems.append(
            Problem(
                "signature",
                f"no top-level function `{spec.function}`; define {spec.signature!r} "
                f"(top-level functions found: {others})",
            )
        )
    else:
        problems += _signature_problems(function, spec)
    return problems + module_code_problems(tree)
