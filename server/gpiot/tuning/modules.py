"""PECT modules in plain torch: LoRA paths, the PECT linear layer, SwiGLU projection layers.

``attach`` wraps a transformers Qwen2/Llama-layout causal LM in place:

* ``self_attn.{k,v}_proj``: a shared LoRA path (trained on every batch) and one LoRA path per role,
  mixed as ``W x + λ·shared(x) + (1-λ)·role(x)``;
* ``self_attn.{q,o}_proj``: one LoRA path per role;
* ``mlp``: one SwiGLU projection layer per role in parallel with the FFN,
  ``down_r(silu(gate_r x) * up_r x)`` with width ``projection_width``.

Only the active role's paths run (``PectModel.use(role)``); the base weights are frozen.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from gpiot.errors import GpiotError
from gpiot.tuning.config import PectConfig

SHARED = "shared"


class ActiveRole:
    """The role whose paths run; one instance is shared by every PECT module of a model."""

    def __init__(self) -> None:
        self.role: str | None = None
        self.shared = True  # False: the plain base (for comparing against the unmerged GGUF)


class LoRAPath(nn.Module):
    """``scaling · B A x`` with A (rank × in) and B (out × rank); B starts at zero."""

    def __init__(self, in_features: int, out_features: int, rank: int, alpha: float) -> None:
        super().__init__()
        self.lora_a = nn.Parameter(torch.empty(rank, in_features))
        self.lora_b = nn.Parameter(torch.zeros(out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.rank = rank
        self.scaling = alpha / rank

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(F.linear(x, self.lora_a), self.lora_b) * self.scaling

    def delta_weight(self) -> torch.Tensor:
        """The dense (out × in) update this path adds to the weight."""
        return (self.lora_b @ self.lora_a) * self.scaling


class PectLinear(nn.Module):
    """A frozen ``nn.Linear`` with an optional shared path and per-role paths beside it."""

    def __init__(
        self,
        base: nn.Linear,
        active: ActiveRole,
        shared: LoRAPath | None,
        roles: dict[str, LoRAPath],
        shared_weight: float,
        role_weight: float,
    ) -> None:
        super().__init__()
        self.base = base
        self.active = active
        self.shared = shared
        self.roles = nn.ModuleDict(roles)
        self.shared_weight = shared_weight
        self.role_weight = role_weight
        self.merged = False

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y: torch.Tensor = self.base(x)
        if self.shared is not None and not self.merged and self.active.shared:
            y = y + self.shared_weight * self.shared(x)
        role = self.active.role
        if role is not None and role in self.roles:
            y = y + self.role_weight * self.roles[role](x)
        return y

    def shared_delta(self) -> torch.Tensor:
        if self.shared is None:
            raise GpiotError("internal error: this layer has no shared path")
        return self.shared_weight * self.shared.delta_weight()

    @torch.no_grad()
    def merge(self) -> None:
        """Fold the shared path into the base weight (inference only)."""
        if self.shared is not None and not self.merged:
            self.base.weight += self.shared_delta().to(self.base.weight.dtype)
            self.merged = True

    @torch.no_grad()
    def unmerge(self) -> None:
        if self.shared is not None and self.merged:
            self.base.weight -= self.shared_delta().to(self.base.weight.dtype)
            self.merged = False


class SwiGLUProjection(nn.Module):
    """A small FFN of the block's own shape: ``down(silu(gate x) * up x)``, width ``width``.
    ``down`` starts at zero so a fresh projection changes nothing."""

    def __init__(self, hidden: int, width: int) -> None:
        super().__init__()
        self.gate = nn.Parameter(torch.empty(width, hidden))
        self.up = nn.Parameter(torch.empty(width, hidden))
        self.down = nn.Parameter(torch.zeros(hidden, width))
        nn.init.kaiming_uniform_(self.gate, a=math.sqrt(5))
        nn.init.kaiming_uniform_(self.up, a=math.sqrt(5))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(F.silu(F.linear(x, self.gate)) * F.linear(x, self.up), self.down)


class PectMLP(nn.Module):
    """The block's frozen FFN plus the active role's projection layer in parallel."""

    def __init__(
        self, base: nn.Module, active: ActiveRole, projections: dict[str, SwiGLUProjection]
    ):
        super().__init__()
        self.base = base
        self.active = active
        self.projections = nn.ModuleDict(projections)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y: torch.Tensor = self.base(x)
        role = self.active.role
        if role is not None and role in self.projections:
            y = y + self.projections[role](x)
        return y


class PectModel(nn.Module):
    """A causal LM with PECT paths attached; ``forward`` returns the logits for the active role."""

    def __init__(self, lm: nn.Module, config: PectConfig, active: ActiveRole) -> None:
        super().__init__()
        self.lm = lm
        self.config = config
        self.active = active

    @contextmanager
    def use(self, role: str | None, *, shared: bool = True) -> Iterator[None]:
        """Run the shared path plus ``role``'s paths (``None``: shared path only;
        ``shared=False`` with ``role=None``: the plain base)."""
        if role is not None and role not in self.config.roles:
            known = ", ".join(self.config.roles)
            raise GpiotError(f"unknown role {role!r} (this model has {known})")
        previous = (self.active.role, self.active.shared)
        self.active.role, self.active.shared = role, shared
        try:
            yield
        finally:
            self.active.role, self.active.shared = previous

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        out: Any = self.lm(input_ids=input_ids, attention_mask=attention_mask, use_cache=False)
        logits: torch.Tensor = out.logits
        return logits

    def layers(self) -> list[Any]:
        inner: Any = self.lm
        return list(inner.model.layers)

    def pect_linears(self) -> Iterator[tuple[int, str, PectLinear]]:
        for i, layer in enumerate(self.layers()):
            for name, module in layer.self_attn.named_children():
                if isinstance(module, PectLinear):
                    yield i, name, module

    def pect_mlps(self) -> Iterator[tuple[int, PectMLP]]:
        for i, layer in enumerate(self.layers()):
            if isinstance(layer.mlp, PectMLP):
                yield i, layer.mlp

    def path_parameters(self, path: str) -> list[nn.Parameter]:
        """The trainable parameters of one path: ``shared`` or a role."""
        params: list[nn.Parameter] = []
        for _, _, lin in self.pect_linears():
            if path == SHARED and lin.shared is not None:
                params.extend(lin.shared.parameters())
            elif path in lin.roles:
                params.extend(lin.roles[path].parameters())
        for _, mlp in self.pect_mlps():
            if path in mlp.projections:
                params.extend(mlp.projections[path].parameters())
        return params

    def pect_state_dict(self) -> dict[str, torch.Tensor]:
        """Only the PECT weights (the base stays in its GGUF)."""
        return {name: p.detach().clone() for name, p in self.named_parameters() if p.requires_grad}

    def load_pect_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        own = dict(self.named_parameters())
        expected = {name for name, p in own.items() if p.requires_grad}
        wrong = [n for n in expected & set(state) if own[n].shape != state[n].shape]
        if set(state) != expected or wrong:
            if wrong:
                raise GpiotError(
                    f"PECT weights do not fit this model ({wrong[0]} has another shape)",
                    "use weights trained with the same PECT config and base model",
                )
            missing = sorted(expected - set(state))[:3]
            extra = sorted(set(state) - expected)[:3]
            raise GpiotError(
                f"PECT weights do not fit this model (missing {missing}, unexpected {extra})",
                "use weights trained with the same PECT config and base model",
            )
        with torch.no_grad():
            for name, value in state.items():
                own[name].copy_(value)

    def merge_shared(self) -> None:
        for _, _, lin in self.pect_linears():
            lin.merge()

    def unmerge_shared(self) -> None:
        for _, _, lin in self.pect_linears():
            lin.unmerge()


def attach(lm: nn.Module, config: PectConfig) -> PectModel:
    """Freeze ``lm`` and wrap its attention projections and FFNs with PECT paths (in place)."""
    for p in lm.parameters():
        p.requires_grad_(False)
    active = ActiveRole()
    try:
        layers = list(lm.model.layers)  # type: ignore[union-attr, arg-type]
    except AttributeError as exc:
        raise GpiotError("PECT expects a Qwen2/Llama-layout causal LM (model.layers)") from exc
    for layer in layers:
        attn = layer.self_attn
        for target in sorted({*config.shared_targets, *config.role_targets}):
            base = getattr(attn, target)
            if not isinstance(base, nn.Linear):
                raise GpiotError(f"self_attn.{target} is not a Linear layer")
            n_in, n_out = base.in_features, base.out_features
            shared = None
            if target in config.shared_targets and config.shared_rank > 0:
                shared = LoRAPath(n_in, n_out, config.shared_rank, config.shared_alpha)
            roles: dict[str, LoRAPath] = {}
            if target in config.role_targets and config.role_rank > 0:
                roles = {
                    r: LoRAPath(n_in, n_out, config.role_rank, config.role_alpha)
                    for r in config.roles
                }
            wrapped = PectLinear(
                base,
                active,
                shared,
                roles,
                config.shared_weight(target),
                config.role_weight(target),
            )
            setattr(attn, target, wrapped)
        if config.projection_width > 0:
            hidden = layer.mlp.gate_proj.in_features
            layer.mlp = PectMLP(
                layer.mlp,
                active,
                {r: SwiGLUProjection(hidden, config.projection_width) for r in config.roles},
            )
    return PectModel(lm, config, active)


@torch.no_grad()
def randomize(model: PectModel, generator: torch.Generator, scale: float = 0.05) -> None:
    """Give every PECT weight a random non-zero value (tests: a zero B hides export mistakes)."""
    for p in model.parameters():
        if p.requires_grad:
            p.copy_(torch.randn(p.shape, generator=generator) * scale)
