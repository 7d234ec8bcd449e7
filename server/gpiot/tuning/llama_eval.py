"""llama.cpp as a reference for the tuning tools: tokenise and render chats exactly as the runtime
does, and compute the logits of every position of a token sequence with adapters attached.

The serving path stays in ``gpiot.runtime.llama``; this offline tool needs per-position logits
and a chat rendering without the assistant opener, which the runtime never does.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

import llama_cpp as lc
import numpy as np
import numpy.typing as npt

from gpiot.errors import GpiotError, ModelError
from gpiot.runtime.llama import _init_backend


class LlamaReference:
    """One GGUF loaded in llama.cpp (``vocab_only`` for tokenising and chat rendering only)."""

    def __init__(self, path: Path, *, vocab_only: bool = False, threads: int = 2) -> None:
        _init_backend(False)
        params = lc.llama_model_default_params()
        params.n_gpu_layers = 0
        params.use_extra_bufts = False
        params.vocab_only = vocab_only
        ptr = lc.llama_model_load_from_file(str(path).encode(), params)
        if not ptr:
            raise ModelError(f"llama.cpp could not load {path}")
        self.path = path
        self.ptr = ptr
        self.threads = threads
        self.vocab = lc.llama_model_get_vocab(ptr)
        self.n_vocab = int(lc.llama_vocab_n_tokens(self.vocab))
        self.template: bytes | None = lc.llama_model_chat_template(ptr, None)

    def close(self) -> None:
        if self.ptr:
            lc.llama_model_free(self.ptr)
            self.ptr = None

    def __enter__(self) -> LlamaReference:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def tokenize(self, text: str) -> list[int]:
        data = text.encode()
        capacity = len(data) + 16
        buf = (lc.llama_token * capacity)()
        n = lc.llama_tokenize(self.vocab, data, len(data), buf, capacity, False, True)
        if n < 0:
            buf = (lc.llama_token * -n)()
            n = lc.llama_tokenize(self.vocab, data, len(data), buf, -n, False, True)
        return list(buf[:n])

    def is_eog(self, token: int) -> bool:
        return bool(lc.llama_vocab_is_eog(self.vocab, token))

    def chat(self, messages: list[tuple[str, str]], *, open_assistant: bool) -> str:
        """The model's chat template applied as the runtime applies it."""
        if not self.template:
            raise ModelError(f"{self.path} has no chat template")
        encoded = [(r.encode(), c.encode()) for r, c in messages]
        chat = (lc.llama_chat_message * len(encoded))(
            *(lc.llama_chat_message(role=r, content=c) for r, c in encoded)
        )
        size = sum(len(c) for _, c in encoded) * 2 + 512
        buf = ctypes.create_string_buffer(size)
        n = lc.llama_chat_apply_template(
            self.template, chat, len(encoded), open_assistant, buf, size
        )
        if n > size:
            buf = ctypes.create_string_buffer(n)
            n = lc.llama_chat_apply_template(
                self.template, chat, len(encoded), open_assistant, buf, n
            )
        if n < 0:
            raise ModelError("llama.cpp does not know this model's chat template")
        return buf.raw[:n].decode("utf-8", errors="replace")

    def logits(
        self, tokens: list[int], adapters: list[tuple[Path, float]] | None = None
    ) -> npt.NDArray[np.float32]:
        """Logits (len(tokens) × n_vocab) of one forward pass, adapters attached at their scales."""
        n = len(tokens)
        cparams = lc.llama_context_default_params()
        cparams.n_ctx = max(n, 32)
        cparams.n_batch = cparams.n_ubatch = max(n, 32)
        cparams.n_seq_max = 1
        cparams.n_threads = cparams.n_threads_batch = self.threads
        cparams.no_perf = True
        cparams.type_k = cparams.type_v = lc.GGML_TYPE_F32  # F16 caches would round K and V
        cparams.flash_attn_type = lc.LLAMA_FLASH_ATTN_TYPE_DISABLED  # its CPU kernel uses F16
        ctx = lc.llama_init_from_model(self.ptr, cparams)
        if not ctx:
            raise ModelError("llama.cpp could not create a context")
        loaded: list[Any] = []
        batch = lc.llama_batch_init(n, 0, 1)
        try:
            for path, _ in adapters or []:
                adapter = lc.llama_adapter_lora_init(self.ptr, str(path).encode())
                if not adapter:
                    raise ModelError(f"llama.cpp rejected the LoRA adapter {path}")
                loaded.append(adapter)
            if loaded:
                arr = (lc.llama_adapter_lora_p_ctypes * len(loaded))(*loaded)
                scales = (ctypes.c_float * len(loaded))(*(s for _, s in adapters or []))
                if lc.llama_set_adapters_lora(ctx, arr, len(loaded), scales) != 0:
                    raise ModelError("llama.cpp could not attach the adapters")
            for i, token in enumerate(tokens):
                batch.token[i] = token
                batch.pos[i] = i
                batch.n_seq_id[i] = 1
                batch.seq_id[i][0] = 0
                batch.logits[i] = 1
            batch.n_tokens = n
            if lc.llama_decode(ctx, batch) != 0:
                raise GpiotError("llama.cpp failed to decode the check prompt")
            out = np.ctypeslib.as_array(lc.llama_get_logits(ctx), shape=(n, self.n_vocab))
            return np.array(out, dtype=np.float32)
        finally:
            lc.llama_batch_free(batch)
            lc.llama_free(ctx)
            for adapter in loaded:
                lc.llama_adapter_lora_free(adapter)
