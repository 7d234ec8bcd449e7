"""One typed settings object for the CLI, the language server and the benchmarks.

Sources, later ones winning: defaults, environment variables (``GPIOT_*``), then explicit values
(command-line flags or the editor's ``initializationOptions``). Invalid values never crash: they are
reported as messages and the default is kept.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

REPO_ADAPTERS = Path(__file__).resolve().parents[2] / "adapters"


def default_threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


@dataclass(frozen=True)
class Settings:
    model: str = ""  # a GGUF path, a packaged model key, or "" for the default packaged model
    adapters_dir: str = ""  # "" → the repository's adapters/ folder
    cache_dir: str = field(default_factory=lambda: platformdirs.user_cache_dir("gpiot"))
    threads: int = field(default_factory=default_threads)
    context_size: int = 4096
    batch_size: int = 64  # prompt tokens per llama_decode call; small keeps cancel latency low
    kv_cache: str = "q8_0"  # KV-cache type per role context: "q8_0" (half the memory) or "f16"
    parallel: int = 1  # sequences a role context decodes together (the benchmark's n samples)
    repair_attempts: int = 2
    smoke_run: bool = True
    smoke_timeout_s: float = 10.0
    smoke_memory_mb: int = 1536
    speculative: bool = True  # generate stub bodies in the background for inline completion
    generate_code: bool = True  # decompose writes code; False: specs and stubs only (fast)
    knowledge_store: str = ""  # "" → <cache_dir>/knowledge; a folder; or a Qdrant server URL
    knowledge_api_key: str = ""  # API key for a Qdrant server URL
    seed: int = 0

    @property
    def cache_path(self) -> Path:
        return Path(self.cache_dir).expanduser()

    @property
    def adapters_path(self) -> Path:
        return Path(self.adapters_dir) if self.adapters_dir else REPO_ADAPTERS

    def with_values(self, values: Mapping[str, Any]) -> tuple[Settings, list[str]]:
        """Apply ``values`` (camelCase or snake_case keys); return the result and any errors."""
        errors: list[str] = []
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for raw_key, value in values.items():
            key = _snake(raw_key)
            if key not in known:
                errors.append(f"unknown setting {raw_key!r}")
                continue
            if value is None:
                continue
            try:
                changes[key] = _coerce(key, value, type(getattr(self, key)))
            except ValueError as exc:
                errors.append(f"setting {raw_key!r}: {exc}; keeping {getattr(self, key)!r}")
        return dataclasses.replace(self, **changes), errors

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_CHOICES: dict[str, tuple[str, ...]] = {"kv_cache": ("q8_0", "f16")}

_LIMITS: dict[str, tuple[float, float]] = {
    "threads": (1, 256),
    "context_size": (512, 131072),
    "batch_size": (8, 4096),
    "parallel": (1, 16),
    "repair_attempts": (0, 10),
    "smoke_timeout_s": (0.5, 600),
    "smoke_memory_mb": (128, 65536),
}


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key).lstrip("_")


def _coerce(key: str, value: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    if kind in (int, float):
        if isinstance(value, bool):
            raise ValueError(f"expected a number, got {value!r}")
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected a number, got {value!r}") from None
        low, high = _LIMITS.get(key, (float("-inf"), float("inf")))
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low:g}..{high:g}")
        return number
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    choices = _CHOICES.get(key)
    if choices and value not in choices:
        raise ValueError(f"expected one of {', '.join(choices)}, got {value!r}")
    return value


ENV_PREFIX = "GPIOT_"


def from_env(environ: Mapping[str, str] | None = None) -> tuple[Settings, list[str]]:
    """Defaults overridden by ``GPIOT_<SETTING>`` variables, e.g. ``GPIOT_MODEL=/m.gguf``."""
    env = os.environ if environ is None else environ
    names = {f.name for f in fields(Settings)}
    values = {
        k[len(ENV_PREFIX) :].lower(): v
        for k, v in env.items()
        if k.startswith(ENV_PREFIX) and k[len(ENV_PREFIX) :].lower() in names
    }
    return Settings().with_values(values)
