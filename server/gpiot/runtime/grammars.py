"""Grammars that make structured outputs parse by construction."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

CODE_BLOCK_GBNF = r"""
root ::= "```python\n" line+ "```"
line ::= [^`\n]* "\n"
"""
"""A single fenced Python block: no backticks inside, so extraction cannot fail."""


@cache
def _gbnf(schema_json: str) -> str:
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    return str(json_schema_to_gbnf(schema_json))


def json_grammar(schema: dict[str, Any]) -> str:
    """GBNF for a JSON schema (properties are emitted in the schema's order)."""
    return _gbnf(json.dumps(schema))
