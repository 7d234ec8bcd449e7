"""The server's model: loaded on first use (off the event loop), reloaded when settings change,
and background (speculative) generation of stub bodies for instant inline completion."""

from __future__ import annotations

import concurrent.futures
import threading
from collections.abc import Callable
from dataclasses import dataclass

from gpiot.cancel import CancelToken
from gpiot.pipeline import stages
from gpiot.pipeline.spec import Spec
from gpiot.pipeline.stages import CodeResult
from gpiot.retrieval.hook import Retriever
from gpiot.runtime.engine import Runtime
from gpiot.settings import Settings

Report = Callable[[str], None]

# Settings that need a new runtime when they change (the rest apply to the next request).
RUNTIME_KEYS = (
    "model",
    "adapters_dir",
    "cache_dir",
    "threads",
    "context_size",
    "batch_size",
    "kv_cache",
    "parallel",
    "seed",
)


def runtime_key(settings: Settings) -> tuple[object, ...]:
    return tuple(getattr(settings, name) for name in RUNTIME_KEYS)


class ModelHost:
    """Holds one Runtime for the settings it was loaded with. Call from worker threads only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._runtime: Runtime | None = None
        self._key: tuple[object, ...] | None = None

    @property
    def loaded(self) -> Runtime | None:
        return self._runtime

    def get(self, settings: Settings, report: Report) -> Runtime:
        key = runtime_key(settings)
        with self._lock:
            if self._runtime is not None and self._key == key:
                return self._runtime
            if self._runtime is not None:
                report("settings changed: reloading the model")
                self._runtime.close()
                self._runtime = None
            report("loading the model")

            def assembled(done: int, total: int) -> None:
                report(f"preparing the model file ({100 * done // max(total, 1)} %)")

            self._runtime = Runtime.load(settings, assembled)
            self._key = key
            if self._runtime.adapter_problem:
                report(self._runtime.adapter_problem)
            return self._runtime

    def close(self) -> None:
        with self._lock:
            if self._runtime is not None:
                self._runtime.close()
                self._runtime = None


def spec_key(spec: Spec) -> str:
    return f"{spec.function}\n{spec.to_markdown()}"


@dataclass
class _Pending:
    future: concurrent.futures.Future[CodeResult]
    token: CancelToken
    requested: bool  # started by an editor request (not speculatively)


class BodyCache:
    """Generated bodies by spec: speculative ones in the background, requested ones on demand.

    The latest request wins: a request for another spec cancels the generation an earlier request
    started; speculative generations run only while nothing is requested.
    """

    def __init__(
        self,
        host: ModelHost,
        settings: Callable[[], Settings],
        retriever: Callable[[], Retriever],
        report: Report,
    ) -> None:
        self._host = host
        self._settings = settings
        self._retriever = retriever
        self._report = report
        self._lock = threading.Lock()
        self._done: dict[str, CodeResult] = {}
        self._pending: dict[str, _Pending] = {}
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="gpiot-bodies")

    def cached(self, spec: Spec) -> CodeResult | None:
        return self._done.get(spec_key(spec))

    def speculate(self, specs: list[Spec]) -> int:
        """Queue background generation for specs not yet done or pending; returns how many."""
        queued = 0
        for spec in specs:
            with self._lock:
                key = spec_key(spec)
                if key in self._done or key in self._pending:
                    continue
                self._start(key, spec, requested=False)
                queued += 1
        return queued

    def request(self, spec: Spec) -> tuple[concurrent.futures.Future[CodeResult], CancelToken]:
        """The generation for ``spec`` (joined if pending); cancels other requested generations."""
        key = spec_key(spec)
        with self._lock:
            for other_key, pending in self._pending.items():
                if other_key != key and pending.requested:
                    pending.token.cancel("superseded by a newer request")
            done = self._done.get(key)
            if done is not None:
                future: concurrent.futures.Future[CodeResult] = concurrent.futures.Future()
                future.set_result(done)
                return future, CancelToken()
            pending = self._pending.get(key) or self._start(key, spec, requested=True)
            pending.requested = True
            return pending.future, pending.token

    def invalidate(self) -> None:
        """Drop every result and cancel what is pending (the model or its settings changed)."""
        with self._lock:
            for pending in self._pending.values():
                pending.token.cancel("the model settings changed")
            self._done.clear()

    def cancel_speculation(self) -> None:
        with self._lock:
            for pending in self._pending.values():
                if not pending.requested:
                    pending.token.cancel("an editor job needs the model")

    def close(self) -> None:
        self.invalidate()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _start(self, key: str, spec: Spec, requested: bool) -> _Pending:
        token = CancelToken()
        future = self._pool.submit(self._generate, key, spec, token)
        pending = _Pending(future, token, requested)
        self._pending[key] = pending
        return pending

    def _generate(self, key: str, spec: Spec, token: CancelToken) -> CodeResult:
        try:
            token.raise_if_cancelled()
            settings = self._settings()
            runtime = self._host.get(settings, self._report)
            result = stages.generate_code(runtime, spec, None, settings, self._retriever(), token)
            with self._lock:
                self._done[key] = result
            return result
        finally:
            with self._lock:
                if self._pending.get(key) is not None and self._pending[key].token is token:
                    del self._pending[key]
