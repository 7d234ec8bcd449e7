"""PECT and training configuration as dataclasses, serialised as JSON next to the weights."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from gpiot.errors import GpiotError

ROLES = ("td", "cg")


@dataclass(frozen=True)
class PectConfig:
    """Where the PECT paths sit and how large they are.

    On a module that has both a shared and a role path the outputs mix as
    ``y = W x + mix * shared(x) + (1 - mix) * role(x)`` (the paper's λ = 0.5 on W_k and W_v);
    on a module with only a role path, ``y = W x + role(x)``. Module names are the transformers
    Qwen2 names (q_proj, k_proj, v_proj, o_proj).
    """

    roles: tuple[str, ...] = ROLES
    shared_rank: int = 8
    shared_alpha: float = 16.0
    shared_targets: tuple[str, ...] = ("k_proj", "v_proj")
    mix: float = 0.5
    role_rank: int = 8
    role_alpha: float = 16.0
    role_targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")
    projection_width: int = 8  # SwiGLU channels per role, in parallel with each block's FFN

    def __post_init__(self) -> None:
        problems = []
        if not self.roles or len(set(self.roles)) != len(self.roles):
            problems.append("roles must be distinct and not empty")
        for name in ("shared_rank", "role_rank", "projection_width"):
            if getattr(self, name) < 0:
                problems.append(f"{name} must be >= 0")
        if not 0.0 <= self.mix <= 1.0:
            problems.append("mix (λ) must lie in [0, 1]")
        allowed = {"q_proj", "k_proj", "v_proj", "o_proj"}
        for target in (*self.shared_targets, *self.role_targets):
            if target not in allowed:
                problems.append(f"unknown target {target!r} (use {', '.join(sorted(allowed))})")
        if problems:
            raise GpiotError("invalid PECT config: " + "; ".join(problems))

    def shared_weight(self, target: str) -> float:
        """The factor on the shared path's output for this module."""
        return self.mix if target in self.role_targets and self.role_rank > 0 else 1.0

    def role_weight(self, target: str) -> float:
        """The factor on a role path's output for this module."""
        both = target in self.shared_targets and self.shared_rank > 0
        return 1.0 - self.mix if both else 1.0


@dataclass(frozen=True)
class TrainConfig:
    """One training run: data, schedule and checkpoints."""

    tdd: str = "knowledge/datasets/tdd.jsonl"
    cgd: str = "knowledge/datasets/cgd.jsonl"
    out_dir: str = "build/tune"
    steps: int = 600
    lr: float = 2e-4
    weight_decay: float = 0.0
    warmup_steps: int = 20
    max_tokens: int = 1024  # longer samples are cut (the prompt side first); TDD/CGD max 786
    batch_size: int = 1  # samples per batch, all from one dataset
    grad_accum: int = 1
    checkpoint_every: int = 25
    seed: int = 0
    threads: int = 0  # 0: torch's default
    pect: PectConfig = field(default_factory=PectConfig)


def _from_dict(cls: type[Any], data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise GpiotError(f"unknown {cls.__name__} fields: {', '.join(sorted(unknown))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    return cls(**values)


def pect_from_dict(data: dict[str, Any]) -> PectConfig:
    config: PectConfig = _from_dict(PectConfig, data)
    return config


def train_from_dict(data: dict[str, Any]) -> TrainConfig:
    data = dict(data)
    pect = pect_from_dict(data.pop("pect", {}))
    config: TrainConfig = _from_dict(TrainConfig, {**data, "pect": pect})
    return config


def to_json(config: PectConfig | TrainConfig) -> str:
    return json.dumps(asdict(config), indent=2, sort_keys=True)


def save(config: PectConfig | TrainConfig, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(to_json(config) + "\n")


def load_pect(path: Path) -> PectConfig:
    try:
        return pect_from_dict(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise GpiotError(f"cannot read the PECT config {path} ({exc})") from exc
