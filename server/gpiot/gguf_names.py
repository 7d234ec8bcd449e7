"""Every GGUF metadata key and tensor name the project reads or writes, in one place."""

from __future__ import annotations

MAGIC = b"GGUF"

# general
ARCHITECTURE = "general.architecture"
NAME = "general.name"
FILE_TYPE = "general.file_type"
TYPE = "general.type"  # "model" or "adapter"
CHAT_TEMPLATE = "tokenizer.chat_template"

# per-architecture hyperparameters, formatted with the architecture name
BLOCK_COUNT = "{arch}.block_count"
EMBEDDING_LENGTH = "{arch}.embedding_length"
CONTEXT_LENGTH = "{arch}.context_length"
FEED_FORWARD_LENGTH = "{arch}.feed_forward_length"

# LoRA adapters as llama.cpp reads them
ADAPTER_TYPE = "adapter.type"
ADAPTER_TYPE_LORA = "lora"
ADAPTER_LORA_ALPHA = "adapter.lora.alpha"
TYPE_ADAPTER = "adapter"


def arch_key(template: str, arch: str) -> str:
    return template.format(arch=arch)


def block_tensor(block: int, name: str) -> str:
    """``blk.N.<name>.weight``, e.g. ``block_tensor(3, "attn_q")``."""
    return f"blk.{block}.{name}.weight"


def lora_a(block: int, name: str) -> str:
    return f"{block_tensor(block, name)}.lora_a"


def lora_b(block: int, name: str) -> str:
    return f"{block_tensor(block, name)}.lora_b"


# --- model hyperparameters and tokenizer keys written by the tuning export ---------------------
HEAD_COUNT = "{arch}.attention.head_count"
HEAD_COUNT_KV = "{arch}.attention.head_count_kv"
ROPE_FREQ_BASE = "{arch}.rope.freq_base"
RMS_EPS = "{arch}.attention.layer_norm_rms_epsilon"
ALIGNMENT = "general.alignment"
TOKENIZER_MODEL = "tokenizer.ggml.model"
TOKENIZER_PRE = "tokenizer.ggml.pre"
TOKENIZER_TOKENS = "tokenizer.ggml.tokens"
TOKENIZER_TOKEN_TYPE = "tokenizer.ggml.token_type"
TOKENIZER_MERGES = "tokenizer.ggml.merges"
TOKENIZER_BOS_ID = "tokenizer.ggml.bos_token_id"
TOKENIZER_EOS_ID = "tokenizer.ggml.eos_token_id"
TOKENIZER_PAD_ID = "tokenizer.ggml.padding_token_id"
TOKENIZER_ADD_BOS = "tokenizer.ggml.add_bos_token"

# --- PECT shared delta (gpiot's own keys in adapters/shared.gguf) ------------------------------
PECT_FFN_EXTRA = "gpiot.pect.ffn_extra"  # zero channels appended to every FFN of the merged base
PECT_BASE_SHA256 = "gpiot.pect.base_sha256"  # the base GGUF the delta was trained on
PECT_CONFIG = "gpiot.pect.config"  # the PectConfig as JSON

# --- tensor base names (``blk.N.<name>.weight`` inside blocks, ``<name>.weight`` outside) -----
TOKEN_EMBD = "token_embd"
OUTPUT_NORM = "output_norm"
OUTPUT = "output"
ATTN_NORM = "attn_norm"
ATTN_Q = "attn_q"
ATTN_K = "attn_k"
ATTN_V = "attn_v"
ATTN_OUTPUT = "attn_output"
FFN_NORM = "ffn_norm"
FFN_GATE = "ffn_gate"
FFN_UP = "ffn_up"
FFN_DOWN = "ffn_down"

# transformers (Qwen2/Llama layout) module names -> GGUF tensor base names
HF_GLOBAL = {
    "model.embed_tokens": TOKEN_EMBD,
    "model.norm": OUTPUT_NORM,
    "lm_head": OUTPUT,
}
HF_BLOCK = {
    "input_layernorm": ATTN_NORM,
    "self_attn.q_proj": ATTN_Q,
    "self_attn.k_proj": ATTN_K,
    "self_attn.v_proj": ATTN_V,
    "self_attn.o_proj": ATTN_OUTPUT,
    "post_attention_layernorm": FFN_NORM,
    "mlp.gate_proj": FFN_GATE,
    "mlp.up_proj": FFN_UP,
    "mlp.down_proj": FFN_DOWN,
}
HF_BLOCK_PREFIX = "model.layers."


def global_tensor(name: str, kind: str = "weight") -> str:
    """``<name>.weight``, e.g. ``global_tensor("token_embd")``."""
    return f"{name}.{kind}"


def block_bias(block: int, name: str) -> str:
    """``blk.N.<name>.bias``."""
    return f"blk.{block}.{name}.bias"


def parse_block_tensor(tensor: str) -> tuple[int, str, str] | None:
    """``blk.3.attn_k.weight`` -> ``(3, "attn_k", "weight")``; None for other names."""
    parts = tensor.split(".")
    if len(parts) != 4 or parts[0] != "blk" or not parts[1].isdigit():
        return None
    return int(parts[1]), parts[2], parts[3]
