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
