"""The configurations IoTBench compares, and whether each can run on this machine.

A configuration is a set of components. One whose component is missing (no adapter named in
``adapters/manifest.json``, no usable knowledge index) is skipped with the reason — it is never
run as something else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from gpiot.errors import GpiotError
from gpiot.runtime.adapters import AdapterManifest
from gpiot.settings import Settings


@dataclass(frozen=True)
class BenchConfig:
    name: str
    retrieval: bool  # knowledge retrieval for RT (notes) and CG (API reference)
    adapters: bool  # the per-role LoRA adapters of adapters/manifest.json
    validation: bool  # validation with the sandboxed smoke run feeding repairs
    repair: bool  # up to settings.repair_attempts repairs after failed validation
    description: str

    @property
    def td_group(self) -> str:
        """TD depends only on the TD adapter (decompose uses no retrieval and no validation), so
        configurations with the same adapters share their decomposition rows."""
        return "td:adapters" if self.adapters else "td:base"

    def settings(self, base: Settings, no_adapters_dir: Path) -> Settings:
        return dataclasses.replace(
            base,
            adapters_dir=base.adapters_dir if self.adapters else str(no_adapters_dir),
            repair_attempts=base.repair_attempts if self.repair else 0,
            smoke_run=base.smoke_run and self.validation,
        )


CONFIGS: Final = (
    BenchConfig("base", False, False, False, False, "plain base model, one CG attempt"),
    BenchConfig("base+retrieval", True, False, False, False, "base + knowledge retrieval"),
    BenchConfig("base+adapters", False, True, False, False, "base + per-role LoRA adapters"),
    BenchConfig("base+repair", False, False, True, True, "base + validation and repair"),
    BenchConfig(
        "retrieval+repair", True, False, True, True, "full system without adapters (as shipped)"
    ),
    BenchConfig("full", True, True, True, True, "adapters + retrieval + validation/repair"),
    BenchConfig("full-no-repair", True, True, True, False, "full system, validation, no repair"),
)
BY_NAME: Final = {c.name: c for c in CONFIGS}


def select_configs(names: str | None) -> list[BenchConfig]:
    """``--configs a,b``; all of them when None."""
    if not names:
        return list(CONFIGS)
    chosen = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in BY_NAME]
    if unknown:
        raise GpiotError(
            f"unknown configuration(s) {', '.join(unknown)}",
            f"choose from {', '.join(BY_NAME)}",
        )
    return [BY_NAME[n] for n in dict.fromkeys(chosen)]


def adapters_missing(settings: Settings) -> str | None:
    """Why the adapters cannot be used, or None when the manifest names at least one."""
    try:
        manifest = AdapterManifest.load(settings.adapters_path)
    except GpiotError as exc:
        return f"adapters unusable: {exc}"
    if not manifest.roles:
        return (
            f"no adapters: {settings.adapters_path / 'manifest.json'} names no LoRA adapter for "
            "any role (PECT adapters are not trained yet)"
        )
    return None


def skip_reason(
    config: BenchConfig, adapters_problem: str | None, retrieval_problem: str | None
) -> str | None:
    """Why ``config`` cannot run, or None when every component it needs is there."""
    missing = []
    if config.adapters and adapters_problem:
        missing.append(adapters_problem)
    if config.retrieval and retrieval_problem:
        missing.append(f"no retrieval: {retrieval_problem}")
    return "; ".join(missing) or None
