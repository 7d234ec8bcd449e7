"""The only module that talks to llama.cpp (through llama-cpp-python's low-level ctypes API).

One `BaseModel` holds the weights (memory-mapped, loaded once). Each `RoleContext` is a separate
llama.cpp context over that model with its own KV cache and, optionally, its own LoRA adapter, so
roles never share a cache prefix and switching role costs nothing.
"""

from __future__ import annotations

import codecs
import ctypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import llama_cpp as lc
import numpy as np

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled, GpiotError, ModelError
from gpiot.runtime.sampling import Sampling

_TOKEN_DATA = np.dtype([("id", "<i4"), ("logit", "<f4"), ("p", "<f4")])  # llama_token_data
_backend_lock = threading.Lock()
_backend_ready = False
_LOG_CALLBACK: Any = None  # keeps the ctypes callback alive


def _init_backend(verbose: bool) -> None:
    global _backend_ready, _LOG_CALLBACK
    with _backend_lock:
        if _backend_ready:
            return
        if not verbose:

            @lc.llama_log_callback  # type: ignore[untyped-decorator]
            def _quiet(level: int, text: bytes, user_data: Any) -> None:
                return None

            _LOG_CALLBACK = _quiet
            lc.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))
        lc.llama_backend_init()
        _backend_ready = True


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    generated_tokens: int
    prompt_seconds: float
    decode_seconds: float
    stop: str  # "eog" | "max_tokens"


class BaseModel:
    """The base GGUF, loaded once and shared by every role."""

    def __init__(self, path: Path, *, verbose: bool = False) -> None:
        _init_backend(verbose)
        params = lc.llama_model_default_params()
        params.n_gpu_layers = 0
        params.use_extra_bufts = False  # repacked weight buffers (AMX, AVX-512) crash on some VMs
        model = lc.llama_model_load_from_file(str(path).encode(), params)
        if not model:
            raise ModelError(
                f"llama.cpp could not load {path}",
                "check that it is a complete GGUF of a llama.cpp-supported architecture",
            )
        self.path = path
        self.ptr = model
        self.vocab = lc.llama_model_get_vocab(model)
        self.n_vocab = lc.llama_vocab_n_tokens(self.vocab)
        template = lc.llama_model_chat_template(model, None)
        if not template:
            raise ModelError(f"{path} has no chat template", "use an instruct model's GGUF")
        self.chat_template: bytes = template
        self._adapters: list[Any] = []

    def load_adapter(self, path: Path) -> Any:
        adapter = lc.llama_adapter_lora_init(self.ptr, str(path).encode())
        if not adapter:
            raise ModelError(
                f"llama.cpp rejected the LoRA adapter {path}",
                "it must be a GGUF adapter made for this base model (same architecture and shapes)",
            )
        self._adapters.append(adapter)
        return adapter

    def tokenize(self, text: str, *, special: bool = True) -> list[int]:
        data = text.encode()
        capacity = len(data) + 16
        buf = (lc.llama_token * capacity)()
        n = lc.llama_tokenize(self.vocab, data, len(data), buf, capacity, False, special)
        if n < 0:
            buf = (lc.llama_token * -n)()
            n = lc.llama_tokenize(self.vocab, data, len(data), buf, -n, False, special)
        return list(buf[:n])

    def piece(self, token: int) -> bytes:
        buf = ctypes.create_string_buffer(64)
        n = lc.llama_token_to_piece(self.vocab, token, buf, 64, 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = lc.llama_token_to_piece(self.vocab, token, buf, -n, 0, False)
        return buf.raw[:n]

    def is_eog(self, token: int) -> bool:
        return bool(lc.llama_vocab_is_eog(self.vocab, token))

    def chat_prompt(self, messages: list[Message]) -> str:
        """Apply the model's own chat template and open the assistant turn."""
        encoded = [(m.role.encode(), m.content.encode()) for m in messages]
        chat = (lc.llama_chat_message * len(encoded))(
            *(lc.llama_chat_message(role=r, content=c) for r, c in encoded)
        )
        size = sum(len(c) for _, c in encoded) * 2 + 512
        buf = ctypes.create_string_buffer(size)
        n = lc.llama_chat_apply_template(self.chat_template, chat, len(encoded), True, buf, size)
        if n > size:
            buf = ctypes.create_string_buffer(n)
            n = lc.llama_chat_apply_template(self.chat_template, chat, len(encoded), True, buf, n)
        if n < 0:
            raise ModelError("llama.cpp does not know this model's chat template")
        return buf.raw[:n].decode("utf-8", errors="replace")

    def close(self) -> None:
        for adapter in self._adapters:
            lc.llama_adapter_lora_free(adapter)
        self._adapters.clear()
        if self.ptr:
            lc.llama_model_free(self.ptr)
            self.ptr = None


class RoleContext:
    """One llama.cpp context over the shared model, with an optional LoRA adapter attached."""

    def __init__(
        self,
        model: BaseModel,
        *,
        n_ctx: int,
        n_batch: int,
        threads: int,
        adapter: Any = None,
        adapter_scale: float = 1.0,
        seed: int = 0,
        kv_cache: str = "f16",
    ) -> None:
        params = lc.llama_context_default_params()
        if kv_cache == "q8_0":  # a quantised V cache needs flash attention in llama.cpp
            params.type_k = params.type_v = lc.GGML_TYPE_Q8_0
            params.flash_attn_type = lc.LLAMA_FLASH_ATTN_TYPE_ENABLED
        params.n_ctx = n_ctx
        params.n_batch = n_batch
        params.n_ubatch = n_batch
        params.n_seq_max = 1
        params.n_threads = threads
        params.n_threads_batch = threads
        params.no_perf = True
        ctx = lc.llama_init_from_model(model.ptr, params)
        if not ctx:
            raise ModelError(f"llama.cpp could not create a context of {n_ctx} tokens")
        self.model = model
        self.ptr = ctx
        self.n_ctx = lc.llama_n_ctx(ctx)
        self.n_batch = n_batch
        self.seed = seed
        self.has_adapter = adapter is not None
        if adapter is not None:
            adapters = (lc.llama_adapter_lora_p_ctypes * 1)(adapter)
            scales = (ctypes.c_float * 1)(adapter_scale)
            if lc.llama_set_adapters_lora(ctx, adapters, 1, scales) != 0:
                raise ModelError("llama.cpp could not attach the LoRA adapter to a context")
        # llama.cpp polls this between graph nodes, so a cancel also stops a long prompt batch.
        self._cancel: CancelToken | None = None
        self._abort_cb = lc.ggml_abort_callback(self._should_abort)
        lc.llama_set_abort_callback(ctx, self._abort_cb, None)

    def _should_abort(self, _data: Any) -> bool:
        token = self._cancel
        return token is not None and token.cancelled

    def _clear(self) -> None:
        mem = lc.llama_get_memory(self.ptr)
        if mem:
            lc.llama_memory_clear(mem, True)

    def _chain(self, sampling: Sampling) -> Any:
        chain = lc.llama_sampler_chain_init(lc.llama_sampler_chain_default_params())
        add = lc.llama_sampler_chain_add
        if sampling.repeat_penalty != 1.0:
            add(
                chain,
                lc.llama_sampler_init_penalties(
                    self.model.n_vocab, sampling.repeat_last_n, sampling.repeat_penalty, 0.0, 0.0
                ),
            )
        if sampling.temperature <= 0:
            add(chain, lc.llama_sampler_init_greedy())
        else:
            add(chain, lc.llama_sampler_init_top_k(sampling.top_k))
            add(chain, lc.llama_sampler_init_top_p(sampling.top_p, 1))
            add(chain, lc.llama_sampler_init_min_p(sampling.min_p, 1))
            add(chain, lc.llama_sampler_init_temp(sampling.temperature))
            add(chain, lc.llama_sampler_init_dist(self.seed))
        return chain

    def _grammar(self, grammar: str) -> Any:
        sampler = lc.llama_sampler_init_grammar(self.model.vocab, grammar.encode(), b"root")
        if not sampler:
            raise GpiotError("internal error: llama.cpp rejected a generation grammar")
        return sampler

    def _sample(self, chain: Any, grammar: Any) -> int:
        """Sample from the chain; with a grammar, check only the chosen token (cheap) and
        constrain the whole vocabulary only when that token is not allowed (as llama.cpp's
        common sampler does), instead of running the grammar over 150k tokens every step."""
        token = int(lc.llama_sampler_sample(chain, self.ptr, -1))
        if grammar is None:
            return token
        one = (lc.llama_token_data * 1)(lc.llama_token_data(token, 1.0, 0.0))
        single = lc.llama_token_data_array(one, 1, -1, False)
        lc.llama_sampler_apply(grammar, ctypes.byref(single))
        if one[0].logit != float("-inf"):
            lc.llama_sampler_accept(grammar, token)
            return token
        logits = np.ctypeslib.as_array(lc.llama_get_logits_ith(self.ptr, -1), (self.model.n_vocab,))
        cands = np.empty(self.model.n_vocab, dtype=_TOKEN_DATA)
        cands["id"] = np.arange(self.model.n_vocab, dtype=np.int32)
        cands["logit"] = logits
        cands["p"] = 0.0
        full = lc.llama_token_data_array(
            cands.ctypes.data_as(lc.llama_token_data_p), self.model.n_vocab, -1, False
        )
        lc.llama_sampler_apply(grammar, ctypes.byref(full))
        lc.llama_sampler_apply(chain, ctypes.byref(full))
        token = int(full.data[full.selected].id)
        lc.llama_sampler_accept(grammar, token)
        lc.llama_sampler_accept(chain, token)
        return token

    def _decode(self, tokens: list[int]) -> None:
        arr = (lc.llama_token * len(tokens))(*tokens)
        rc = lc.llama_decode(self.ptr, lc.llama_batch_get_one(arr, len(tokens)))
        if rc == 2:  # aborted by the callback
            raise Cancelled(self._cancel.reason if self._cancel else "cancelled")
        if rc != 0:
            raise GpiotError(f"llama.cpp failed to decode (code {rc})")

    def generate(
        self,
        prompt: str,
        sampling: Sampling,
        *,
        grammar: str | None = None,
        cancel: CancelToken,
        on_text: Callable[[str], None] | None = None,
        max_tokens: int | None = None,
    ) -> Generation:
        """Decode from a fresh cache; checks ``cancel`` between tokens and inside batches."""
        tokens = self.model.tokenize(prompt)
        limit = min(max_tokens or sampling.max_tokens, self.n_ctx - len(tokens))
        if limit <= 0:
            raise GpiotError(
                f"the prompt has {len(tokens)} tokens and the context only {self.n_ctx}",
                "raise the context size setting or shorten the problem statement",
            )
        cancel.raise_if_cancelled()
        self._cancel = cancel
        self._clear()
        chain = self._chain(sampling)
        constraint = self._grammar(grammar) if grammar is not None else None
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        out: list[str] = []
        stop = "max_tokens"
        try:
            t0 = time.perf_counter()
            for start in range(0, len(tokens), self.n_batch):
                cancel.raise_if_cancelled()
                self._decode(tokens[start : start + self.n_batch])
            t1 = time.perf_counter()
            generated = 0
            while generated < limit:
                cancel.raise_if_cancelled()
                token = self._sample(chain, constraint)
                if self.model.is_eog(token):
                    stop = "eog"
                    break
                generated += 1
                text = decoder.decode(self.model.piece(token))
                if text:
                    out.append(text)
                    if on_text:
                        on_text(text)
                self._decode([token])
            out.append(decoder.decode(b"", final=True))
            t2 = time.perf_counter()
        finally:
            lc.llama_sampler_free(chain)
            if constraint is not None:
                lc.llama_sampler_free(constraint)
            self._cancel = None
            self._clear()
        return Generation("".join(out), len(tokens), generated, t1 - t0, t2 - t1, stop)

    def close(self) -> None:
        if self.ptr:
            lc.llama_free(self.ptr)
            self.ptr = None
