"""The committed JSONL files follow SCHEMA.md and the runtime's exact prompt format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpiot.datasets.build import DATASETS
from gpiot.datasets.records import Record
from gpiot.datasets.wellformed import grammar_problems
from gpiot.pipeline import prompts
from gpiot.pipeline.spec import Spec
from gpiot.pipeline.stages import extract_code, parse_decomposition

KEYS = {"id", "role", "messages", "source", "augmentation", "subset", "modality"}


def _records(name: str) -> list[Record]:
    path = DATASETS / name
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) == KEYS for r in rows)
    return [Record.from_dict(r) for r in rows]


@pytest.fixture(scope="module")
def tdd() -> list[Record]:
    return _records("tdd.jsonl")


@pytest.fixture(scope="module")
def cgd() -> list[Record]:
    return _records("cgd.jsonl")


def test_td_records_are_the_runtime_prompt_plus_a_schema_answer(tdd: list[Record]) -> None:
    assert len(tdd) >= 150 and all(r.role == "td" for r in tdd)
    assert len({r.id for r in tdd}) == len(tdd)
    for record in tdd:
        statement = record.prompt_text
        expected = [(m.role, m.content) for m in prompts.td_messages(statement)]
        assert list(record.messages[:-1]) == expected
        assert record.messages[-1][0] == "assistant"
        decomposition = parse_decomposition(statement, record.answer)
        assert 3 <= len(decomposition.subtasks) <= prompts.MAX_SUBTASKS
        assert all(1 <= len(t.steps) <= 4 for t in decomposition.subtasks)


def test_cg_records_are_the_runtime_prompt_plus_a_grammar_answer(cgd: list[Record]) -> None:
    assert len(cgd) >= 300 and all(r.role == "cg" for r in cgd)
    assert len({r.id for r in cgd}) == len(cgd)
    assert {r.subset for r in cgd} == {"D1", "D2", "D3"}
    for record in cgd:
        assert record.messages[0] == ("system", prompts.CG_SYSTEM)
        user = record.prompt_text
        function = user.split("(", 1)[0].removeprefix("Function: def ")
        spec_text = user.split("\n\n", 1)[1].split("\n\nAPI reference:")[0]
        spec = Spec.from_markdown(spec_text, function)
        assert user == prompts.cg_request(spec, None, _notes(user))
        assert record.answer.startswith("```python\n") and record.answer.endswith("\n```")
        assert grammar_problems(extract_code(record.answer), spec) == [], record.id


def _notes(user: str) -> list[str]:
    _, sep, notes = user.partition("\n\nAPI reference:\n")
    return notes.split("\n") if sep else []


def test_augmentation_and_source_are_recorded(tdd: list[Record], cgd: list[Record]) -> None:
    for record in (*tdd, *cgd):
        assert record.source.startswith(("seeds/", "families.py"))
        assert all(
            a.split(":")[0] in ("modality", "representation", "resource")
            for a in record.augmentation
        )
    assert any(r.augmentation for r in tdd) and any(r.augmentation for r in cgd)


def test_round_trip(tmp_path: Path, tdd: list[Record]) -> None:
    record = tdd[0]
    assert Record.from_dict(json.loads(record.to_json())) == record
