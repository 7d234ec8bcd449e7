"""GGUF files the tuning export writes and reads, with numpy and ``gguf`` only (no torch).

* LoRA adapter GGUFs as llama.cpp reads them: ``general.type = adapter``, ``adapter.type = lora``,
  ``adapter.lora.alpha``, tensors ``blk.N.<name>.weight.lora_a`` (ggml shape [in, r]) and
  ``.lora_b`` (ggml shape [r, out]). llama.cpp scales each pair by ``alpha / r`` (r: that
  tensor's rank), so the writer stores ``B · r / alpha`` and the delta applied is exactly ``B A``.
* F32 model GGUFs from plain weight arrays (the tiny parity-test model).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import numpy.typing as npt

from gpiot import gguf_names as names
from gpiot.errors import GpiotError

Array = npt.NDArray[np.float32]
# numpy-shaped factors of one LoRA delta: A (rank × in), B (out × rank); the delta is B @ A
LoraPair = tuple[Array, Array]


@dataclass(frozen=True)
class Adapter:
    """A LoRA adapter GGUF in memory: ``deltas[base tensor name] = (A, B)``, delta = B @ A."""

    architecture: str
    alpha: float
    deltas: dict[str, LoraPair]
    metadata: dict[str, Any] = field(default_factory=dict)


def _tensor_base(tensor: str) -> str:
    """``blk.3.attn_k.weight.lora_a`` -> ``blk.3.attn_k``."""
    return tensor.rsplit(".", 2)[0]


def write_adapter(path: Path, adapter: Adapter) -> None:
    """Write ``adapter`` so llama.cpp applies exactly ``B @ A`` per tensor (adapter scale 1)."""
    if adapter.alpha <= 0:
        raise GpiotError("internal error: adapter alpha must be positive")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(path), adapter.architecture)
    writer.add_string(names.TYPE, names.TYPE_ADAPTER)
    writer.add_string(names.ADAPTER_TYPE, names.ADAPTER_TYPE_LORA)
    writer.add_float32(names.ADAPTER_LORA_ALPHA, float(adapter.alpha))
    for key, value in adapter.metadata.items():
        if isinstance(value, str):
            writer.add_string(key, value)
        elif isinstance(value, int):
            writer.add_uint32(key, value)
        else:
            raise GpiotError(f"internal error: unsupported metadata value for {key}")
    for base, (a, b) in sorted(adapter.deltas.items()):
        rank = a.shape[0]
        if b.shape[1] != rank:
            raise GpiotError(f"internal error: LoRA factors of {base} disagree on the rank")
        b_stored = (b.astype(np.float64) * (rank / adapter.alpha)).astype(np.float32)
        writer.add_tensor(f"{base}.weight.lora_a", np.ascontiguousarray(a, dtype=np.float32))
        writer.add_tensor(f"{base}.weight.lora_b", np.ascontiguousarray(b_stored))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def read_adapter(path: Path) -> Adapter:
    """Read an adapter written by ``write_adapter`` (or any F32 llama.cpp LoRA GGUF)."""
    try:
        reader = gguf.GGUFReader(str(path))
    except (OSError, ValueError) as exc:
        raise GpiotError(f"cannot read the adapter {path} ({exc})") from exc
    meta = {k: f.contents() for k, f in reader.fields.items() if not k.startswith("GGUF.")}
    if meta.get(names.TYPE) != names.TYPE_ADAPTER or meta.get(names.ADAPTER_TYPE) != "lora":
        raise GpiotError(f"{path} is not a LoRA adapter GGUF")
    alpha = float(meta[names.ADAPTER_LORA_ALPHA])
    tensors: dict[str, Array] = {}
    for t in reader.tensors:
        if t.tensor_type != gguf.GGMLQuantizationType.F32:
            raise GpiotError(f"{path}: tensor {t.name} is {t.tensor_type.name}, expected F32")
        tensors[t.name] = np.array(t.data, dtype=np.float32)
    deltas: dict[str, LoraPair] = {}
    for name, a in tensors.items():
        if name.endswith(".lora_a"):
            base = _tensor_base(name)
            b = tensors[f"{base}.weight.lora_b"]
            rank = a.shape[0]
            deltas[base] = (a, (b.astype(np.float64) * (alpha / rank)).astype(np.float32))
    extra = {
        k: v
        for k, v in meta.items()
        if k not in (names.ARCHITECTURE, names.TYPE, names.ADAPTER_TYPE, names.ADAPTER_LORA_ALPHA)
    }
    return Adapter(str(meta[names.ARCHITECTURE]), alpha, deltas, extra)


@dataclass(frozen=True)
class TokenizerKV:
    """The tokenizer metadata a llama.cpp model GGUF carries."""

    model: str
    pre: str
    tokens: list[str]
    token_types: list[int]
    merges: list[str]
    bos_id: int
    eos_id: int
    pad_id: int
    add_bos: bool
    chat_template: str


def _bytes_to_unicode() -> dict[int, str]:
    """The byte -> printable character table of byte-level BPE vocabularies (GPT-2, Qwen2)."""
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    table: dict[int, str] = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def byte_level_tokenizer() -> TokenizerKV:
    """A small self-contained byte-level BPE vocabulary (256 bytes, a few merges, ChatML
    specials) for test models; llama.cpp tokenizes any text with it."""
    table = _bytes_to_unicode()
    pairs = [(table[32], "t"), ("h", "e"), ("i", "n"), ("e", "r")]
    tokens = [table[b] for b in range(256)] + [a + b for a, b in pairs]
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    normal, control = 1, 3  # llama.cpp token types
    return TokenizerKV(
        model="gpt2",
        pre="qwen2",
        tokens=tokens + specials,
        token_types=[normal] * len(tokens) + [control] * len(specials),
        merges=[f"{a} {b}" for a, b in pairs],
        bos_id=len(tokens),
        eos_id=len(tokens) + 2,
        pad_id=len(tokens),
        add_bos=False,
        chat_template=CHATML_TEMPLATE,
    )


@dataclass(frozen=True)
class ModelHParams:
    architecture: str
    block_count: int
    embedding_length: int
    feed_forward_length: int
    head_count: int
    head_count_kv: int
    context_length: int
    rope_freq_base: float
    rms_eps: float


def write_model(
    path: Path,
    hparams: ModelHParams,
    tensors: Mapping[str, Array],
    tokenizer: TokenizerKV,
    name: str = "gpiot tiny test model",
) -> None:
    """Write an all-F32 model GGUF; ``tensors`` maps GGUF names to numpy-shaped weights."""
    arch = hparams.architecture
    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_string(names.TYPE, "model")
    writer.add_string(names.NAME, name)
    writer.add_uint32(names.FILE_TYPE, 0)  # all F32
    k = names.arch_key
    writer.add_uint32(k(names.BLOCK_COUNT, arch), hparams.block_count)
    writer.add_uint32(k(names.CONTEXT_LENGTH, arch), hparams.context_length)
    writer.add_uint32(k(names.EMBEDDING_LENGTH, arch), hparams.embedding_length)
    writer.add_uint32(k(names.FEED_FORWARD_LENGTH, arch), hparams.feed_forward_length)
    writer.add_uint32(k(names.HEAD_COUNT, arch), hparams.head_count)
    writer.add_uint32(k(names.HEAD_COUNT_KV, arch), hparams.head_count_kv)
    writer.add_float32(k(names.ROPE_FREQ_BASE, arch), hparams.rope_freq_base)
    writer.add_float32(k(names.RMS_EPS, arch), hparams.rms_eps)
    writer.add_string(names.TOKENIZER_MODEL, tokenizer.model)
    writer.add_string(names.TOKENIZER_PRE, tokenizer.pre)
    writer.add_array(names.TOKENIZER_TOKENS, tokenizer.tokens)
    writer.add_array(names.TOKENIZER_TOKEN_TYPE, tokenizer.token_types)
    if tokenizer.merges:
        writer.add_array(names.TOKENIZER_MERGES, tokenizer.merges)
    writer.add_uint32(names.TOKENIZER_BOS_ID, tokenizer.bos_id)
    writer.add_uint32(names.TOKENIZER_EOS_ID, tokenizer.eos_id)
    writer.add_uint32(names.TOKENIZER_PAD_ID, tokenizer.pad_id)
    writer.add_bool(names.TOKENIZER_ADD_BOS, tokenizer.add_bos)
    writer.add_string(names.CHAT_TEMPLATE, tokenizer.chat_template)
    for tensor_name, value in tensors.items():
        writer.add_tensor(tensor_name, np.ascontiguousarray(value, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def config_json(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The PECT config stored in a shared-delta GGUF."""
    raw = meta.get(names.PECT_CONFIG)
    data: dict[str, Any] = json.loads(raw) if isinstance(raw, str) else {}
    return data
