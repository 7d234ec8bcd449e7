"""A tiny randomly initialised Qwen2-architecture model for parity and training tests."""

from __future__ import annotations

from typing import Any

import torch

from gpiot.tuning.gguf_io import TokenizerKV, byte_level_tokenizer


def tiny_qwen2(seed: int = 0, *, layers: int = 2, hidden: int = 64, ffn: int = 128) -> Any:
    """A random ``Qwen2ForCausalLM`` (float32, eval mode) over ``byte_level_tokenizer()``."""
    from transformers import Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(seed)
    config = Qwen2Config(
        vocab_size=len(byte_level_tokenizer().tokens),
        hidden_size=hidden,
        intermediate_size=ffn,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        rms_norm_eps=1e-6,
        tie_word_embeddings=False,
    )
    model: Any = Qwen2ForCausalLM(config)
    model.eval()
    return model


def tiny_tokenizer() -> TokenizerKV:
    return byte_level_tokenizer()
