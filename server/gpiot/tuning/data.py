"""Training samples: the JSONL schema, and tokenisation with a loss mask on assistant tokens.

One sample per line::

    {"role": "td" | "cg", "messages": [{"role": "system" | "user" | "assistant",
                                        "content": "..."}, ...], ...any other keys...}

The chat is rendered with the base model's own chat template through llama.cpp, exactly as the
runtime renders prompts, and tokenised piecewise at the same boundaries the runtime sees: the
prompt up to the opened assistant turn, then the assistant's text up to and including the
end-of-turn token. Only those assistant tokens carry a loss.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gpiot.errors import GpiotError

IGNORE = -100  # label of tokens without a loss
CHAT_ROLES = ("system", "user", "assistant")


@dataclass(frozen=True)
class Sample:
    role: str  # the PECT role: "td" or "cg"
    messages: tuple[tuple[str, str], ...]  # (chat role, content)


@dataclass(frozen=True)
class Encoded:
    role: str
    input_ids: list[int]
    labels: list[int]  # IGNORE where no loss

    @property
    def trained_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE)


class ChatTokenizer(Protocol):
    def chat(self, messages: list[tuple[str, str]], *, open_assistant: bool) -> str: ...
    def tokenize(self, text: str) -> list[int]: ...
    def is_eog(self, token: int) -> bool: ...


def parse_sample(line: str, where: str, roles: tuple[str, ...]) -> Sample:
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise GpiotError(f"{where}: not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise GpiotError(f"{where}: a sample must be a JSON object")
    role = data.get("role")
    if role not in roles:
        raise GpiotError(f"{where}: role must be one of {', '.join(roles)}, got {role!r}")
    raw = data.get("messages")
    if not isinstance(raw, list) or not raw:
        raise GpiotError(f"{where}: messages must be a non-empty list")
    messages: list[tuple[str, str]] = []
    for m in raw:
        if (
            not isinstance(m, dict)
            or m.get("role") not in CHAT_ROLES
            or not isinstance(m.get("content"), str)
        ):
            raise GpiotError(f"{where}: each message needs role (system/user/assistant), content")
        messages.append((m["role"], m["content"]))
    if messages[-1][0] != "assistant":
        raise GpiotError(f"{where}: the last message must be the assistant's answer")
    return Sample(role, tuple(messages))


def read_jsonl(path: Path, roles: tuple[str, ...]) -> list[Sample]:
    if not path.is_file():
        raise GpiotError(f"dataset not found: {path}", "run `gpiot tune data` or pass --tdd/--cgd")
    samples = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                samples.append(parse_sample(line, f"{path}:{n}", roles))
    if not samples:
        raise GpiotError(f"{path} holds no samples")
    return samples


def encode(sample: Sample, tok: ChatTokenizer, max_tokens: int) -> Encoded:
    """Token ids and labels; a sample longer than ``max_tokens`` loses prompt tokens from the
    left first, then the end of its answer."""
    msgs = list(sample.messages)
    pieces: list[tuple[list[int], bool]] = []
    done = ""
    for k, (chat_role, _) in enumerate(msgs):
        if chat_role != "assistant":
            continue
        prompt = tok.chat(msgs[:k], open_assistant=True)
        full = tok.chat(msgs[: k + 1], open_assistant=False)
        if not (prompt.startswith(done) and full.startswith(prompt)):
            raise GpiotError("the chat template does not render turns as prefixes of each other")
        pieces.append((tok.tokenize(prompt[len(done) :]), False))
        answer = tok.tokenize(full[len(prompt) :])
        end = next((i + 1 for i, t in enumerate(answer) if tok.is_eog(t)), len(answer))
        pieces.append((answer[:end], True))
        if answer[end:]:
            pieces.append((answer[end:], False))
        done = full
    ids = [t for part, _ in pieces for t in part]
    labels = [t if trained else IGNORE for part, trained in pieces for t in part]
    if len(ids) > max_tokens:
        first = next(i for i, x in enumerate(labels) if x != IGNORE)
        cut = min(len(ids) - max_tokens, first)
        ids, labels = ids[cut:], labels[cut:]
        ids, labels = ids[:max_tokens], labels[:max_tokens]
    return Encoded(sample.role, ids, labels)
