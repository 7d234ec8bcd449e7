"""The runtime the pipeline talks to: one base model loaded once, one context per role.

Requests for a role run on that role's own worker thread, one at a time (a llama.cpp context is not
re-entrant); callers get a Future and are never blocked. Different roles may run at once.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gpiot.cancel import CancelToken
from gpiot.errors import ModelError
from gpiot.model.inspect import GgufInfo, read_gguf
from gpiot.model.provision import Progress, assemble, file_sha256
from gpiot.model.sources import DEFAULT_MODEL, PACKAGED_MODELS
from gpiot.runtime.adapters import AdapterManifest, serving_base
from gpiot.runtime.llama import BaseModel, Generation, Message, RoleContext
from gpiot.runtime.sampling import ROLE_SAMPLING, Role, Sampling
from gpiot.settings import Settings


def resolve_model_path(settings: Settings, progress: Progress | None = None) -> Path:
    """A configured GGUF path, or a packaged model assembled (once) into the cache."""
    choice = settings.model.strip()
    if choice and choice not in PACKAGED_MODELS:
        path = Path(choice).expanduser()
        if not path.is_file():
            raise ModelError(
                f"the configured model {path} does not exist",
                "set --model / GPIOT_MODEL to a .gguf file, or leave it empty for the default",
            )
        return path
    packaged = PACKAGED_MODELS.get(choice, DEFAULT_MODEL)
    return assemble(packaged, Path(settings.cache_dir), progress)


def fitting_adapters(
    manifest: AdapterManifest, settings: Settings, base: Path
) -> tuple[AdapterManifest, str | None]:
    """The manifest, or no adapters and why, when they were trained on another base model.

    A packaged model's SHA-256 is known; any other file is hashed (about 1 s per GB).
    """
    if not manifest.base_sha256 or not (manifest.roles or manifest.shared_delta):
        return manifest, None
    choice = settings.model.strip()
    if not choice or choice in PACKAGED_MODELS:
        sha = PACKAGED_MODELS.get(choice, DEFAULT_MODEL).sha256
    else:
        sha = file_sha256(base)
    if sha == manifest.base_sha256:
        return manifest, None
    return AdapterManifest(manifest.directory), (
        f"running without adapters: those in {manifest.directory} were trained for "
        f"{manifest.base_name or 'another base model'}, not {base.name}"
    )


@dataclass(frozen=True)
class RoleInfo:
    role: Role
    adapter: Path | None
    n_ctx: int


class Runtime:
    """Base model + per-role contexts. Create with :meth:`load`; close with :meth:`close`."""

    def __init__(
        self, settings: Settings, model: BaseModel, info: GgufInfo, manifest: AdapterManifest
    ) -> None:
        self.settings = settings
        self.model = model
        self.info = info
        self.adapters = manifest
        self.adapter_problem: str | None = None  # "running without adapters: <why>", if so
        self._contexts: dict[Role, RoleContext] = {}
        self._workers: dict[Role, concurrent.futures.ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(
        cls,
        settings: Settings,
        progress: Progress | None = None,
        roles: tuple[Role, ...] = tuple(Role),
    ) -> Runtime:
        base = resolve_model_path(settings, progress)
        info = read_gguf(base)  # clear errors for truncated or foreign files before llama.cpp
        if info.file_type != "model":
            raise ModelError(f"{base} is a {info.file_type} GGUF, not a model")
        manifest, unfit = fitting_adapters(
            AdapterManifest.load(settings.adapters_path), settings, base
        )
        # with a PECT export, the base with the shared path merged in (built once, cached)
        path = serving_base(manifest, base, settings.cache_path)
        if path != base:
            info = read_gguf(path)
        runtime = cls(settings, BaseModel(path), info, manifest)
        runtime.adapter_problem = unfit
        try:
            for role in roles:
                runtime.context(role)
        except Exception:
            runtime.close()
            raise
        return runtime

    def context(self, role: Role) -> RoleContext:
        """The role's context, created on first use with its adapter attached."""
        with self._lock:
            ctx = self._contexts.get(role)
            if ctx is None:
                entry = self.adapters.roles.get(role)
                adapter = self.model.load_adapter(entry.path) if entry else None
                ctx = RoleContext(
                    self.model,
                    n_ctx=self.settings.context_size,
                    n_batch=self.settings.batch_size,
                    threads=self.settings.threads,
                    adapter=adapter,
                    adapter_scale=entry.scale if entry else 1.0,
                    seed=self.settings.seed,
                    kv_cache=self.settings.kv_cache,
                    parallel=self.settings.parallel,
                )
                self._contexts[role] = ctx
                self._workers[role] = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix=f"gpiot-{role.value}"
                )
            return ctx

    def roles(self) -> list[RoleInfo]:
        return [
            RoleInfo(
                role,
                entry.path if (entry := self.adapters.roles.get(role)) else None,
                ctx.n_ctx,
            )
            for role, ctx in self._contexts.items()
        ]

    def submit(
        self,
        role: Role,
        messages: list[Message],
        *,
        grammar: str | None = None,
        sampling: Sampling | None = None,
        cancel: CancelToken | None = None,
        on_text: Callable[[str], None] | None = None,
        max_tokens: int | None = None,
    ) -> concurrent.futures.Future[Generation]:
        """Queue a generation on the role's worker; the Future holds the result or the error."""
        ctx = self.context(role)
        prompt = self.model.chat_prompt(messages)
        token = cancel or CancelToken()
        return self._workers[role].submit(
            ctx.generate,
            prompt,
            sampling or ROLE_SAMPLING[role],
            grammar=grammar,
            cancel=token,
            on_text=on_text,
            max_tokens=max_tokens,
        )

    def generate(
        self,
        role: Role,
        messages: list[Message],
        *,
        grammar: str | None = None,
        sampling: Sampling | None = None,
        cancel: CancelToken | None = None,
        on_text: Callable[[str], None] | None = None,
        max_tokens: int | None = None,
    ) -> Generation:
        """Blocking form of :meth:`submit`."""
        return self.submit(
            role,
            messages,
            grammar=grammar,
            sampling=sampling,
            cancel=cancel,
            on_text=on_text,
            max_tokens=max_tokens,
        ).result()

    def generate_many(
        self,
        role: Role,
        conversations: list[list[Message]],
        *,
        seed_offsets: list[int],
        grammar: str | None = None,
        sampling: Sampling | None = None,
        cancel: CancelToken | None = None,
    ) -> list[Generation]:
        """One generation per conversation, decoded together ``settings.parallel`` at a time;
        each is seeded with the context's seed plus its offset (a sample's number), so a sample's
        seed does not depend on which others share its batch."""
        ctx = self.context(role)
        prompts = [self.model.chat_prompt(messages) for messages in conversations]
        token = cancel or CancelToken()
        out: list[Generation] = []
        for start in range(0, len(prompts), ctx.parallel):
            future = self._workers[role].submit(
                ctx.generate_many,
                prompts[start : start + ctx.parallel],
                sampling or ROLE_SAMPLING[role],
                seeds=[ctx.seed + k for k in seed_offsets[start : start + ctx.parallel]],
                grammar=grammar,
                cancel=token,
            )
            out.extend(future.result())
        return out

    async def agenerate(
        self,
        role: Role,
        messages: list[Message],
        *,
        grammar: str | None = None,
        sampling: Sampling | None = None,
        cancel: CancelToken | None = None,
        max_tokens: int | None = None,
    ) -> Generation:
        """Awaitable form; cancelling the awaiting task cancels the decoding thread too."""
        token = cancel or CancelToken()
        future = self.submit(
            role, messages, grammar=grammar, sampling=sampling, cancel=token, max_tokens=max_tokens
        )
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            token.cancel("superseded or cancelled by the editor")
            raise

    def close(self) -> None:
        for worker in self._workers.values():
            worker.shutdown(wait=True, cancel_futures=True)
        for ctx in self._contexts.values():
            ctx.close()
        self._contexts.clear()
        self._workers.clear()
        self.model.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
