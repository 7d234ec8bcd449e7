"""Exact export of a PECT model to llama.cpp files.

* ``shared.gguf``: the shared path as a LoRA adapter GGUF (delta ``λ·s·B A`` on attn_k/attn_v)
  plus ``gpiot.pect.ffn_extra`` and the base's SHA-256; ``merged_base`` folds it into the base.
* ``<role>.gguf``: the role's LoRA paths (scale and the ``1-λ`` mix folded in) and its projection
  layers expressed as LoRA on the merged base's widened FFN:
  ``ffn_gate``/``ffn_up``: A = the projection's gate/up (width × hidden), B selects the rows
  ``n_ff … n_ff+width`` (zero in the merged base); ``ffn_down``: A selects those channels,
  B = the projection's down (hidden × width). Every step is a linear identity, so the export is
  exact up to float32 rounding.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from torch import nn

from gpiot import gguf_names as names
from gpiot.errors import GpiotError
from gpiot.model.provision import file_sha256
from gpiot.tuning.gguf_io import (
    Adapter,
    Array,
    LoraPair,
    ModelHParams,
    TokenizerKV,
    write_adapter,
    write_model,
)
from gpiot.tuning.modules import LoRAPath, PectModel, SwiGLUProjection

SHARED_FILE = "shared.gguf"
CONFIG_FILE = "pect_config.json"
PECT_PARTS = (".shared.", ".roles.", ".projections.")  # PECT submodules inside a wrapped model


def _np(t: torch.Tensor) -> Array:
    return np.ascontiguousarray(t.detach().to(torch.float32).cpu().numpy())


def hparams_of(lm: nn.Module) -> ModelHParams:
    c: Any = lm.config
    rope = getattr(c, "rope_parameters", None) or {}
    theta = float(rope.get("rope_theta", getattr(c, "rope_theta", 10000.0)))
    return ModelHParams(
        architecture="qwen2",
        block_count=int(c.num_hidden_layers),
        embedding_length=int(c.hidden_size),
        feed_forward_length=int(c.intermediate_size),
        head_count=int(c.num_attention_heads),
        head_count_kv=int(c.num_key_value_heads),
        context_length=int(c.max_position_embeddings),
        rope_freq_base=theta,
        rms_eps=float(c.rms_norm_eps),
    )


def base_tensors(lm: nn.Module) -> dict[str, Array]:
    """The frozen base weights under their GGUF names (PECT wrappers looked through)."""
    out: dict[str, Array] = {}
    for hf_name, value in lm.state_dict().items():
        if any(part in hf_name for part in PECT_PARTS):
            continue
        name = hf_name.replace(".base.", ".")
        module, kind = name.rsplit(".", 1)
        if module in names.HF_GLOBAL:
            out[names.global_tensor(names.HF_GLOBAL[module], kind)] = _np(value)
            continue
        if not module.startswith(names.HF_BLOCK_PREFIX):
            raise GpiotError(f"cannot export the base tensor {hf_name}")
        block, sub = module.removeprefix(names.HF_BLOCK_PREFIX).split(".", 1)
        if sub not in names.HF_BLOCK:
            raise GpiotError(f"cannot export the base tensor {hf_name}")
        gguf_name = names.HF_BLOCK[sub]
        out[f"blk.{int(block)}.{gguf_name}.{kind}"] = _np(value)
    if getattr(lm.config, "tie_word_embeddings", False):
        out.pop(names.global_tensor(names.OUTPUT), None)
    return out


def write_base_gguf(lm: nn.Module, path: Path, tokenizer: TokenizerKV) -> None:
    """The (frozen) base of ``lm`` as an all-F32 GGUF (used for the tiny parity-test model)."""
    write_model(path, hparams_of(lm), base_tensors(lm), tokenizer)


def _target_name(target: str) -> str:
    return names.HF_BLOCK[f"self_attn.{target}"]


def shared_adapter(model: PectModel, ffn_extra: int, base_sha256: str) -> Adapter:
    deltas: dict[str, LoraPair] = {}
    for i, target, lin in model.pect_linears():
        if lin.shared is not None:
            b = lin.shared.lora_b * (lin.shared.scaling * lin.shared_weight)
            deltas[f"blk.{i}.{_target_name(target)}"] = (_np(lin.shared.lora_a), _np(b))
    meta: dict[str, str | int] = {
        names.PECT_FFN_EXTRA: ffn_extra,
        names.PECT_BASE_SHA256: base_sha256,
        names.PECT_CONFIG: json.dumps(asdict(model.config)),
    }
    return Adapter("qwen2", float(model.config.shared_alpha), deltas, meta)


def role_adapter(model: PectModel, role: str, n_ff: int, ffn_extra: int) -> Adapter:
    if role not in model.config.roles:
        raise GpiotError(f"unknown role {role!r}")
    width = model.config.projection_width
    if width > ffn_extra:
        raise GpiotError(f"internal error: {width} projection channels need ffn_extra >= {width}")
    deltas: dict[str, LoraPair] = {}
    for i, target, lin in model.pect_linears():
        if role in lin.roles:
            path = cast(LoRAPath, lin.roles[role])
            b = path.lora_b * (path.scaling * lin.role_weight)
            deltas[f"blk.{i}.{_target_name(target)}"] = (_np(path.lora_a), _np(b))
    rows = np.zeros((n_ff + ffn_extra, width), np.float32)
    rows[n_ff + np.arange(width), np.arange(width)] = 1.0
    for i, mlp in model.pect_mlps():
        proj = cast(SwiGLUProjection, mlp.projections[role])
        deltas[f"blk.{i}.{names.FFN_GATE}"] = (_np(proj.gate), rows)
        deltas[f"blk.{i}.{names.FFN_UP}"] = (_np(proj.up), rows)
        deltas[f"blk.{i}.{names.FFN_DOWN}"] = (np.ascontiguousarray(rows.T), _np(proj.down))
    return Adapter("qwen2", float(model.config.role_alpha), deltas, {})


@dataclass(frozen=True)
class ExportResult:
    shared: Path
    roles: dict[str, Path]
    config: Path
    ffn_extra: int


def export_pect(model: PectModel, out_dir: Path, base_gguf: Path, ffn_extra: int) -> ExportResult:
    """Write ``shared.gguf``, one ``<role>.gguf`` per role and the PECT config into ``out_dir``."""
    if ffn_extra < model.config.projection_width:
        raise GpiotError("internal error: ffn_extra is smaller than the projection width")
    out_dir.mkdir(parents=True, exist_ok=True)
    lm_config: Any = model.lm.config
    n_ff = int(lm_config.intermediate_size)
    shared = out_dir / SHARED_FILE
    write_adapter(shared, shared_adapter(model, ffn_extra, file_sha256(base_gguf)))
    roles: dict[str, Path] = {}
    for role in model.config.roles:
        roles[role] = out_dir / f"{role}.gguf"
        write_adapter(roles[role], role_adapter(model, role, n_ff, ffn_extra))
    config = out_dir / CONFIG_FILE
    config.write_text(json.dumps(asdict(model.config), indent=2, sort_keys=True) + "\n")
    return ExportResult(shared, roles, config, ffn_extra)
