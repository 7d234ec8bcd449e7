"""Training samples: schema checks and the loss mask on assistant tokens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpiot.errors import GpiotError
from gpiot.tuning.data import IGNORE, Sample, encode, read_jsonl

EOT = 1  # the fake end-of-turn token


class CharChat:
    """A character-level ChatML stand-in for the llama.cpp tokenizer (ids = code points + 2,
    ``<|im_end|>`` = 1)."""

    def chat(self, messages: list[tuple[str, str]], *, open_assistant: bool) -> str:
        text = "".join(f"<{r}>{c}<|im_end|>\n" for r, c in messages)
        return text + ("<assistant>" if open_assistant else "")

    def tokenize(self, text: str) -> list[int]:
        out, i = [], 0
        while i < len(text):
            if text.startswith("<|im_end|>", i):
                out.append(EOT)
                i += len("<|im_end|>")
            else:
                out.append(ord(text[i]) + 2)
                i += 1
        return out

    def is_eog(self, token: int) -> bool:
        return token == EOT


def _decode(ids: list[int]) -> str:
    return "".join("|" if t == EOT else chr(t - 2) for t in ids)


def test_only_the_assistant_answer_and_its_end_of_turn_carry_loss() -> None:
    sample = Sample("td", (("system", "sys"), ("user", "do x"), ("assistant", "ANSWER")))
    enc = encode(sample, CharChat(), 1000)
    trained = [t for t in enc.labels if t != IGNORE]
    assert _decode(trained) == "ANSWER|"
    assert _decode(enc.input_ids).startswith("<system>sys|\n<user>do x|\n<assistant>ANSWER|")
    assert enc.labels[-1] == IGNORE  # the newline after the end of turn is not trained


def test_every_assistant_turn_is_trained() -> None:
    sample = Sample(
        "cg", (("user", "a"), ("assistant", "ONE"), ("user", "b"), ("assistant", "TWO"))
    )
    enc = encode(sample, CharChat(), 1000)
    assert _decode([t for t in enc.labels if t != IGNORE]) == "ONE|TWO|"


def test_long_samples_lose_prompt_tokens_first() -> None:
    sample = Sample("td", (("user", "x" * 50), ("assistant", "KEEP")))
    enc = encode(sample, CharChat(), 20)
    assert len(enc.input_ids) == 20
    assert _decode([t for t in enc.labels if t != IGNORE]) == "KEEP|"


def test_jsonl_schema_is_checked(tmp_path: Path) -> None:
    good = {
        "role": "td",
        "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
        "id": "x",
    }
    path = tmp_path / "tdd.jsonl"
    path.write_text(json.dumps(good) + "\n\n")
    assert read_jsonl(path, ("td",)) == [Sample("td", (("user", "q"), ("assistant", "a")))]
    bad = dict(good, messages=[{"role": "user", "content": "q"}])
    path.write_text(json.dumps(bad) + "\n")
    with pytest.raises(GpiotError, match=r"tdd.jsonl:1: the last message must be"):
        read_jsonl(path, ("td",))
    path.write_text(json.dumps(dict(good, role="cg")) + "\n")
    with pytest.raises(GpiotError, match="role must be one of td"):
        read_jsonl(path, ("td",))
    with pytest.raises(GpiotError, match="not found"):
        read_jsonl(tmp_path / "missing.jsonl", ("td",))
