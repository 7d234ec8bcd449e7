"""Shared fixtures. Integration tests (marker `model`) use the real default model via llama.cpp."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gpiot.runtime.engine import Runtime
from gpiot.settings import Settings, from_env

EXAMPLES = Path(__file__).resolve().parents[1] / "knowledge" / "examples"


@pytest.fixture(scope="session")
def settings() -> Settings:
    base, _ = from_env()
    tuned, errors = base.with_values({"repair_attempts": 1, "context_size": 4096})
    assert not errors
    return tuned


@pytest.fixture(scope="session")
def runtime(settings: Settings) -> Iterator[Runtime]:
    with Runtime.load(settings) as rt:
        yield rt
