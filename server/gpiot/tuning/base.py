"""The base model in torch, loaded the way the runtime uses it: transformers reads the GGUF
(dequantised to float32)."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from gpiot.errors import ModelError


def load_base(path: Path) -> nn.Module:
    """A transformers causal LM from a llama.cpp GGUF, in float32, in eval mode."""
    from transformers import AutoModelForCausalLM

    try:
        lm: nn.Module = AutoModelForCausalLM.from_pretrained(
            str(path.parent), gguf_file=path.name, dtype=torch.float32
        )
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"transformers could not read {path} ({exc})") from exc
    return lm.eval()
