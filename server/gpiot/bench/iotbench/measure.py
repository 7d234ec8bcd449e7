"""Cost measurements: tokens per role through the runtime, stage wall times, peak memory."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from gpiot.cancel import CancelToken
from gpiot.model.inspect import GgufInfo
from gpiot.pipeline.events import Event, StageStarted
from gpiot.runtime.adapters import AdapterManifest
from gpiot.runtime.engine import Runtime
from gpiot.runtime.llama import BaseModel, Generation, Message
from gpiot.runtime.sampling import Role, Sampling
from gpiot.settings import Settings


@dataclass
class RoleTokens:
    prompt: int = 0
    generated: int = 0
    model_s: float = 0.0
    calls: int = 0


class BenchRuntime(Runtime):
    """The engine's runtime with two benchmark hooks, set by the runner before each unit:

    * ``cg_sampling`` replaces CG's default (greedy) sampling for first attempts, and ``seed``
      seeds every role's sampler (sample i of a batch: ``seed + i``), so the n samples of pass@k
      differ;
    * every generation's token counts and model time are added up per role.

    ``Runtime.load`` builds this class when called on it. The pipeline calls ``generate``.
    """

    def __init__(
        self, settings: Settings, model: BaseModel, info: GgufInfo, manifest: AdapterManifest
    ) -> None:
        super().__init__(settings, model, info, manifest)
        self.cg_sampling: Sampling | None = None
        self.seed: int | None = None
        self._counts = {role: RoleTokens() for role in Role}
        self._counts_lock = threading.Lock()

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
        gen = super().generate(
            role,
            messages,
            grammar=grammar,
            sampling=self._sampling(role, sampling),
            cancel=cancel,
            on_text=on_text,
            max_tokens=max_tokens,
        )
        self._count(role, [gen])
        return gen

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
        generations = super().generate_many(
            role,
            conversations,
            seed_offsets=seed_offsets,
            grammar=grammar,
            sampling=self._sampling(role, sampling),
            cancel=cancel,
        )
        self._count(role, generations)
        return generations

    def _sampling(self, role: Role, sampling: Sampling | None) -> Sampling | None:
        """Apply the hooks: the seed to the role's context, ``cg_sampling`` to CG's default."""
        if self.seed is not None:
            self.context(role).seed = self.seed
        return self.cg_sampling if role is Role.CG and sampling is None else sampling

    def _count(self, role: Role, generations: list[Generation]) -> None:
        with self._counts_lock:
            entry = self._counts[role]
            for gen in generations:
                entry.prompt += gen.prompt_tokens
                entry.generated += gen.generated_tokens
                entry.model_s += gen.prompt_seconds + gen.decode_seconds
                entry.calls += 1

    def snapshot(self) -> dict[str, RoleTokens]:
        with self._counts_lock:
            return {r.value: RoleTokens(**vars(t)) for r, t in self._counts.items()}


def token_delta(
    before: dict[str, RoleTokens], after: dict[str, RoleTokens]
) -> dict[str, dict[str, float]]:
    """What one unit cost, per role that was used."""
    delta: dict[str, dict[str, float]] = {}
    for role, now in after.items():
        old = before.get(role, RoleTokens())
        if now.calls == old.calls:
            continue
        delta[role] = {
            "calls": now.calls - old.calls,
            "prompt_tokens": now.prompt - old.prompt,
            "generated_tokens": now.generated - old.generated,
            "model_s": round(now.model_s - old.model_s, 3),
        }
    return delta


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory so far of this process and of its largest finished child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"harness_mib": round(own, 1), "largest_child_mib": round(children, 1)}


@dataclass
class StageClock:
    """Wall time per pipeline stage, from the pipeline's ``StageStarted`` events."""

    seconds: dict[str, float] = field(default_factory=dict)
    _stage: str | None = None
    _since: float = 0.0

    def __call__(self, event: Event) -> None:
        if isinstance(event, StageStarted):
            self.switch(event.stage)

    def switch(self, stage: str | None) -> None:
        now = time.perf_counter()
        if self._stage is not None:
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + now - self._since
        self._stage, self._since = stage, now

    def stop(self) -> dict[str, float]:
        self.switch(None)
        return {k: round(v, 3) for k, v in self.seconds.items()}
