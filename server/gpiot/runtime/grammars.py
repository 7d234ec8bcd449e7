"""Grammars that make structured outputs parse by construction."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

_FUNCTION_GBNF = r"""
root ::= "```python\n" head "def {name}(" {params} ")" ret ":\n" body "```"
head ::= (("import " | "from ") [^\n`]* "\n" | "\n")*
hint ::= (": " [A-Za-z0-9_.| \[\]]+)?
ret ::= (" -> " [A-Za-z0-9_.,| \[\]]+)?
body ::= ([ \t] [^\n`]* "\n" | "\n")*
"""


def function_grammar(name: str, params: Sequence[str]) -> str:
    """A fenced module that starts with imports, then ``def name(<exactly params>)``.

    The function name and its parameter names and order are thus right by construction, and
    every line after the ``def`` is indented or blank, so no example code can run at module level;
    the body itself is judged by validation and repair.
    """
    for ident in (name, *params):
        if not ident.isidentifier():
            raise ValueError(f"{ident!r} is not an identifier")
    listed = ' ", " '.join(f'"{p}" hint' for p in params)
    return _FUNCTION_GBNF.replace("{params}", listed or '""').replace("{name}", name)


@cache
def _gbnf(schema_json: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return str(json_schema_to_gbnf(schema_json))


def json_grammar(schema: dict[str, Any]) -> str:
    """GBNF for a JSON schema (properties are emitted in the schema's order)."""
    return _gbnf(json.dumps(schema))
