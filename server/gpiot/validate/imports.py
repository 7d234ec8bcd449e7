"""Do the module's imports resolve in the environment the code will run in?"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from typing import Final

from tree_sitter import Node, Tree

from gpiot.validate.problems import Problem
from gpiot.validate.syntax import line_of, node_text, parse

_IMPORT_GUARDS: Final = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
)


def module_available(name: str) -> bool:
    """True if the top-level module ``name`` can be found (nothing is imported to find out)."""
    top = name.partition(".")[0]
    if not top:
        return False
    if top in sys.builtin_module_names or top in sys.modules:
        return True
    try:
        return importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        return False


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.named_children:
        yield from _walk(child)


def _guarded(node: Node) -> bool:
    """Inside the body of a ``try`` that catches ImportError (an optional import)."""
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "try_statement" and parent.child_by_field_name("body") == child:
            for clause in parent.named_children:
                if clause.type != "except_clause":
                    continue
                caught = [n for n in clause.named_children if n.type != "block"]
                if not caught:
                    return True  # a bare ``except:``
                names = {node_text(n) for n in _walk(caught[0]) if n.type == "identifier"}
                if names & _IMPORT_GUARDS:
                    return True
        child, parent = parent, parent.parent
    return False


def _imported_modules(node: Node) -> list[str]:
    """The absolute module names an import statement needs (empty for ``__future__``)."""
    if node.type == "import_statement":
        names: list[str] = []
        for child in node.named_children:
            target = child.child_by_field_name("name") if child.type == "aliased_import" else child
            if target is not None and target.type == "dotted_name":
                names.append(node_text(target))
        return names
    module = node.child_by_field_name("module_name")
    return [node_text(module)] if module is not None and module.type == "dotted_name" else []


def import_problems(source: str, tree: Tree | None = None) -> list[Problem]:
    """Unresolvable absolute imports and any relative import, anywhere in the module."""
    tree = tree or parse(source)
    problems: list[Problem] = []
    checked: dict[str, bool] = {}
    for node in _walk(tree.root_node):
        if node.type not in ("import_statement", "import_from_statement"):
            continue
        statement = " ".join(node_text(node).split())
        module = node.child_by_field_name("module_name")
        if module is not None and module.type == "relative_import":
            problems.append(
                Problem(
                    "import",
                    f"relative import `{statement}` cannot work in a standalone module; "
                    "import absolute modules only",
                    line_of(node),
                )
            )
            continue
        for name in _imported_modules(node):
            top = name.partition(".")[0]
            if top not in checked:
                checked[top] = module_available(top)
            if not checked[top] and not _guarded(node):
                problems.append(
                    Problem(
                        "import",
                        f"module `{top}` is not installed (`{statement}`); use numpy, scipy "
                        "or the standard library instead",
                        line_of(node),
                    )
                )
    return problems
