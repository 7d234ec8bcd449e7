"""Parity check: the exported files in llama.cpp against the PECT model in torch, per role."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from gpiot.tuning.llama_eval import LlamaReference
from gpiot.tuning.modules import PectModel


@dataclass(frozen=True)
class Comparison:
    label: str  # "base", "shared", or a role
    max_abs_diff: float
    max_abs_logit: float
    prompts: int
    mean_abs_diff: float  # over every logit of every position
    top1_agreement: float  # share of positions where both pick the same next token


def _torch_logits(
    model: PectModel, tokens: list[int], role: str | None, shared: bool
) -> np.ndarray:
    with torch.no_grad(), model.use(role, shared=shared):
        logits = model(torch.tensor([tokens]))[0]
    return np.asarray(logits.float().cpu().numpy())


def compare(
    model: PectModel,
    merged_base: Path,
    role_adapters: dict[str, Path],
    prompts: list[list[int]],
    *,
    plain_base: Path | None = None,
    threads: int = 2,
) -> list[Comparison]:
    """Max |logit difference| over every position of every prompt: the plain base (when given,
    without PECT), the merged base alone (shared path only) and each role with its adapter."""
    runs: list[tuple[str, Path, Path | None, str | None, bool]] = []
    if plain_base is not None:
        runs.append(("base", plain_base, None, None, False))
    runs.append(("shared", merged_base, None, None, True))
    runs += [(role, merged_base, path, role, True) for role, path in role_adapters.items()]
    results: list[Comparison] = []
    refs: dict[Path, LlamaReference] = {}
    try:
        for label, gguf_path, adapter, role, shared in runs:
            ref = refs.get(gguf_path) or refs.setdefault(
                gguf_path, LlamaReference(gguf_path, threads=threads)
            )
            diffs: list[np.ndarray] = []
            agree: list[np.ndarray] = []
            peak = 0.0
            for tokens in prompts:
                ll = ref.logits(tokens, [(adapter, 1.0)] if adapter else None)
                tl = _torch_logits(model, tokens, role, shared)
                diffs.append(np.abs(ll - tl))
                agree.append(ll.argmax(axis=-1) == tl.argmax(axis=-1))
                peak = max(peak, float(np.abs(tl).max()))
            every = np.concatenate([d.ravel() for d in diffs])
            results.append(
                Comparison(
                    label,
                    float(every.max()),
                    peak,
                    len(prompts),
                    float(every.mean()),
                    float(np.concatenate(agree).mean()),
                )
            )
    finally:
        for ref in refs.values():
            ref.close()
    return results
