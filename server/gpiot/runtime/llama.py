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
from dataclasses import dataclass, field
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
    prompt_seconds: float  # with several sequences decoded together: this one's equal share
    decode_seconds: float
    stop: str  # "eog" | "max_tokens"
    sequences: int = 1  # how many sequences were decoded together in this batch


@dataclass
class _Sequence:
    """One sequence of a batched generation: its sampler state, position and output so far."""

    chain: Any
    grammar: Any
    limit: int
    position: int
    decoder: codecs.IncrementalDecoder
    out: list[str] = field(default_factory=list)
    generated: int = 0
    stop: str = ""
    pending: int = -1  # the sampled token still to decode


def _common_prefix(tokenized: list[list[int]]) -> int:
    """How many leading tokens every prompt shares, leaving each at least its last token (whose
    logits each sequence samples from)."""
    shortest = min(len(tokens) for tokens in tokenized)
    n = 0
    while n < shortest - 1 and all(tokens[n] == tokenized[0][n] for tokens in tokenized):
        n += 1
    return n


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
        parallel: int = 1,
    ) -> None:
        """``n_ctx`` is per sequence; ``parallel`` sequences can be decoded together (one unified
        KV cache of ``n_ctx * parallel`` cells, where their prompts' common prefix is shared)."""
        params = lc.llama_context_default_params()
        if kv_cache == "q8_0":  # a quantised V cache needs flash attention in llama.cpp
            params.type_k = params.type_v = lc.GGML_TYPE_Q8_0
            params.flash_attn_type = lc.LLAMA_FLASH_ATTN_TYPE_ENABLED
        params.n_ctx = n_ctx * parallel
        params.n_batch = max(n_batch, parallel)
        params.n_ubatch = params.n_batch
        params.n_seq_max = parallel
        params.kv_unified = parallel > 1
        params.n_threads = threads
        params.n_threads_batch = threads
        params.no_perf = True
        ctx = lc.llama_init_from_model(model.ptr, params)
        if not ctx:
            raise ModelError(f"llama.cpp could not create a context of {n_ctx} tokens")
        self.model = model
        self.ptr = ctx
        self.n_ctx = lc.llama_n_ctx(ctx) // parallel
        self.n_batch = n_batch
        self.parallel = parallel
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

    def _chain(self, sampling: Sampling, seed: int) -> Any:
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
            add(chain, lc.llama_sampler_init_dist(seed))
        return chain

    def _grammar(self, grammar: str) -> Any:
        sampler = lc.llama_sampler_init_grammar(self.model.vocab, grammar.encode(), b"root")
        if not sampler:
            raise GpiotError("internal error: llama.cpp rejected a generation grammar")
        return sampler

    def _sample(self, chain: Any, grammar: Any, index: int) -> int:
        """Sample from the chain at the last batch's output ``index``; with a grammar, check only
        the chosen token (cheap) and constrain the whole vocabulary only when that token is not
        allowed (as llama.cpp's common sampler does), instead of running the grammar over 150k
        tokens every step."""
        token = int(lc.llama_sampler_sample(chain, self.ptr, index))
        if grammar is None:
            return token
        one = (lc.llama_token_data * 1)(lc.llama_token_data(token, 1.0, 0.0))
        single = lc.llama_token_data_array(one, 1, -1, False)
        lc.llama_sampler_apply(grammar, ctypes.byref(single))
        if one[0].logit != float("-inf"):
            lc.llama_sampler_accept(grammar, token)
            return token
        logits = np.ctypeslib.as_array(
            lc.llama_get_logits_ith(self.ptr, index), (self.model.n_vocab,)
        )
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

    def _decode(self, batch: Any, entries: list[tuple[int, int, list[int], bool]]) -> None:
        """Decode (token, position, sequence ids, wants logits) entries as one llama.cpp batch."""
        batch.n_tokens = len(entries)
        for i, (token, position, seqs, logits) in enumerate(entries):
            batch.token[i] = token
            batch.pos[i] = position
            batch.n_seq_id[i] = len(seqs)
            for j, seq in enumerate(seqs):
                batch.seq_id[i][j] = seq
            batch.logits[i] = logits
        rc = lc.llama_decode(self.ptr, batch)
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
        """Decode one sequence from a fresh cache, seeded with the context's seed."""
        (gen,) = self.generate_many(
            [prompt],
            sampling,
            seeds=[self.seed],
            grammar=grammar,
            cancel=cancel,
            on_text=(lambda _seq, text: on_text(text)) if on_text else None,
            max_tokens=max_tokens,
        )
        return gen

    def generate_many(
        self,
        prompts: list[str],
        sampling: Sampling,
        *,
        seeds: list[int],
        grammar: str | None = None,
        cancel: CancelToken,
        on_text: Callable[[int, str], None] | None = None,
        max_tokens: int | None = None,
    ) -> list[Generation]:
        """Decode one sequence per prompt (each with its own seed, sampler and grammar state)
        together, one token of every unfinished sequence per llama.cpp batch, from a fresh cache.

        The prompts' common prefix is decoded once and shared in the KV cache (a repair prompt
        starts with the first attempt's). Checks ``cancel`` between tokens and inside batches.
        """
        if not 1 <= len(prompts) <= self.parallel or len(seeds) != len(prompts):
            raise GpiotError(
                f"internal error: {len(prompts)} prompts, {len(seeds)} seeds for a context of "
                f"{self.parallel} sequences"
            )
        tokenized = [self.model.tokenize(prompt) for prompt in prompts]
        longest = max(len(t) for t in tokenized)
        if min(max_tokens or sampling.max_tokens, self.n_ctx - longest) <= 0:
            raise GpiotError(
                f"the prompt has {longest} tokens and the context only {self.n_ctx}",
                "raise the context size setting or shorten the problem statement",
            )
        cancel.raise_if_cancelled()
        self._cancel = cancel
        self._clear()
        sequences = [
            _Sequence(
                chain=self._chain(sampling, seeds[seq]),
                grammar=self._grammar(grammar) if grammar is not None else None,
                limit=min(max_tokens or sampling.max_tokens, self.n_ctx - len(tokens)),
                position=len(tokens),
                decoder=codecs.getincrementaldecoder("utf-8")(errors="replace"),
            )
            for seq, tokens in enumerate(tokenized)
        ]
        shared = _common_prefix(tokenized)
        batch = lc.llama_batch_init(max(self.n_batch, len(prompts)), 0, len(prompts))
        try:
            t0 = time.perf_counter()
            everyone = list(range(len(prompts)))
            self._decode_prompt(batch, tokenized[0][:shared], 0, everyone, cancel)
            for seq, tokens in enumerate(tokenized):
                index = self._decode_prompt(batch, tokens[shared:], shared, [seq], cancel)
                sequences[seq].pending = self._sample(
                    sequences[seq].chain, sequences[seq].grammar, index
                )
            t1 = time.perf_counter()
            while True:
                active = [seq for seq, s in enumerate(sequences) if self._take(seq, s, on_text)]
                if not active:
                    break
                cancel.raise_if_cancelled()
                self._decode(
                    batch,
                    [(sequences[s].pending, sequences[s].position - 1, [s], True) for s in active],
                )
                for index, seq in enumerate(active):
                    sequences[seq].pending = self._sample(
                        sequences[seq].chain, sequences[seq].grammar, index
                    )
            t2 = time.perf_counter()
        finally:
            lc.llama_batch_free(batch)
            for s in sequences:
                lc.llama_sampler_free(s.chain)
                if s.grammar is not None:
                    lc.llama_sampler_free(s.grammar)
            self._cancel = None
            self._clear()
        n = len(prompts)
        return [
            Generation(
                "".join(s.out), len(tokens), s.generated, (t1 - t0) / n, (t2 - t1) / n, s.stop, n
            )
            for s, tokens in zip(sequences, tokenized, strict=True)
        ]

    def _decode_prompt(
        self, batch: Any, tokens: list[int], start: int, seqs: list[int], cancel: CancelToken
    ) -> int:
        """Decode prompt tokens from position ``start`` for ``seqs`` in chunks of ``n_batch``;
        the last token's logits are kept: returns its index in the last chunk."""
        index = -1
        for offset in range(0, len(tokens), self.n_batch):
            cancel.raise_if_cancelled()
            chunk = tokens[offset : offset + self.n_batch]
            last = offset + len(chunk) == len(tokens)
            index = len(chunk) - 1
            self._decode(
                batch,
                [
                    (token, start + offset + i, seqs, last and i == index)
                    for i, token in enumerate(chunk)
                ],
            )
        return index

    def _take(self, seq: int, s: _Sequence, on_text: Callable[[int, str], None] | None) -> bool:
        """Take the sequence's sampled token: whether the sequence goes on (the token is then
        decoded next step at ``s.position``)."""
        if s.stop:
            return False
        if self.model.is_eog(s.pending):
            s.stop = "eog"
        else:
            s.generated += 1
            text = s.decoder.decode(self.model.piece(s.pending))
            if text:
                s.out.append(text)
                if on_text:
                    on_text(seq, text)
            if s.generated >= s.limit:
                s.stop = "max_tokens"
            else:
                s.position += 1
                return True
        tail = s.decoder.decode(b"", final=True)
        if tail:
            s.out.append(tail)
        return False

    def close(self) -> None:
        if self.ptr:
            lc.llama_free(self.ptr)
            self.ptr = None
