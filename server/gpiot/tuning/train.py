"""The PECT training loop: each batch from one dataset, through the shared path and its role's
path; resumable checkpoints (step, weights, optimizer, RNG); loss curves per path.

The data order is a pure function of (seed, step), so a resumed run sees exactly the batches
an uninterrupted run would have seen.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from gpiot.errors import GpiotError
from gpiot.tuning.config import TrainConfig, save
from gpiot.tuning.data import IGNORE, Encoded
from gpiot.tuning.modules import PectModel

CHECKPOINT = "checkpoint.pt"
HISTORY = "losses.jsonl"
CURVES = "loss_curves.png"
TRAIN_CONFIG = "train_config.json"


@dataclass
class StepRecord:
    step: int
    role: str
    loss: float
    tokens: int
    seconds: float  # wall clock
    cpu_seconds: float = 0.0  # process CPU time (all threads): comparable on a busy machine


@dataclass
class TrainResult:
    steps_done: int
    history: list[StepRecord] = field(default_factory=list)
    seconds: float = 0.0


def batch_plan(
    step: int, sizes: dict[str, int], batch_size: int, seed: int
) -> tuple[str, list[int]]:
    """Which dataset and which samples make batch ``step``: roles take turns; within a role the
    samples follow a fresh seeded permutation every epoch."""
    roles = sorted(r for r, n in sizes.items() if n > 0)
    if not roles:
        raise GpiotError("no training samples")
    role = roles[step % len(roles)]
    n = sizes[role]
    turn = step // len(roles)
    picks = []
    for j in range(turn * batch_size, (turn + 1) * batch_size):
        epoch, pos = divmod(j, n)
        g = torch.Generator().manual_seed(seed * 1_000_003 + epoch * 31 + roles.index(role))
        picks.append(int(torch.randperm(n, generator=g)[pos]))
    return role, picks


def lr_at(step: int, config: TrainConfig) -> float:
    """Linear warm-up, then cosine decay to 10 % of the peak."""
    if step < config.warmup_steps:
        return config.lr * (step + 1) / config.warmup_steps
    span = max(1, config.steps - config.warmup_steps)
    progress = min(1.0, (step - config.warmup_steps) / span)
    return config.lr * (0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * progress)))


def _collate(batch: list[Encoded], pad: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    width = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), width), pad, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, e in enumerate(batch):
        ids[i, : len(e.input_ids)] = torch.tensor(e.input_ids)
        labels[i, : len(e.labels)] = torch.tensor(e.labels)
        mask[i, : len(e.input_ids)] = 1
    return ids, labels, mask


Forward = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def batch_loss(
    model: PectModel, batch: list[Encoded], pad: int, forward: Forward | None = None
) -> tuple[torch.Tensor, int]:
    """Mean next-token loss over the assistant tokens of ``batch`` (all one role)."""
    ids, labels, mask = _collate(batch, pad)
    device = next(model.parameters()).device
    with model.use(batch[0].role):
        logits = (forward or model)(ids.to(device), mask.to(device))
    target = labels[:, 1:].to(device)
    n = int((target != IGNORE).sum())
    if n == 0:
        raise GpiotError("a batch has no assistant tokens (every answer was cut away)")
    loss = F.cross_entropy(
        logits[:, :-1].reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=IGNORE
    )
    return loss, n


def _rng_state() -> dict[str, Any]:
    return {
        "torch": torch.get_rng_state(),
        "python": random.getstate(),
        "numpy": np.random.get_state(),
    }


def _set_rng_state(state: dict[str, Any]) -> None:
    torch.set_rng_state(state["torch"])
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])


def _device_setup(
    model: PectModel, optimizer: torch.optim.Optimizer
) -> tuple[Forward, Callable[[torch.Tensor], None], torch.optim.Optimizer]:
    """CPU: plain torch. With a GPU and accelerate installed: accelerate places the model (and,
    under ``accelerate launch``, wraps it for several GPUs); PECT calls use the unwrapped model."""
    if not torch.cuda.is_available():
        return model, lambda loss: loss.backward(), optimizer
    try:
        from accelerate import Accelerator
    except ImportError:
        model.to("cuda")
        return model, lambda loss: loss.backward(), optimizer
    accelerator = Accelerator()
    wrapped, optimizer = accelerator.prepare(model, optimizer)
    return wrapped, accelerator.backward, optimizer


def save_checkpoint(
    path: Path,
    step: int,
    model: PectModel,
    optimizer: torch.optim.Optimizer,
    history: list[StepRecord],
    config: TrainConfig,
) -> None:
    tmp = path.with_name(path.name + ".part")
    torch.save(
        {
            "step": step,
            "pect": model.pect_state_dict(),
            "optimizer": optimizer.state_dict(),
            "rng": _rng_state(),
            "history": [asdict(h) for h in history],
            "config": asdict(config),
        },
        tmp,
    )
    os.replace(tmp, path)


def load_checkpoint(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=False)
    except (OSError, RuntimeError, EOFError) as exc:
        raise GpiotError(
            f"cannot read the checkpoint {path} ({exc})", "delete it to restart"
        ) from exc
    return data


def make_optimizer(model: PectModel, config: TrainConfig) -> torch.optim.Optimizer:
    params = [p for p in model.parameters() if p.requires_grad]
    return torch.optim.AdamW(params, lr=config.lr, weight_decay=config.weight_decay)


def train(
    model: PectModel,
    data: dict[str, list[Encoded]],
    config: TrainConfig,
    out_dir: Path,
    *,
    pad_id: int,
    resume: bool = True,
    stop_after: int | None = None,
    on_step: Callable[[StepRecord], None] | None = None,
) -> TrainResult:
    """Train up to ``config.steps`` (or ``stop_after`` more steps), checkpointing into
    ``out_dir``; with ``resume`` an existing checkpoint there is continued."""
    out_dir.mkdir(parents=True, exist_ok=True)
    if config.threads > 0:
        torch.set_num_threads(config.threads)
    optimizer = make_optimizer(model, config)
    ckpt_path = out_dir / CHECKPOINT
    history: list[StepRecord] = []
    step = 0
    if resume and ckpt_path.is_file():
        ckpt = load_checkpoint(ckpt_path)
        if ckpt["config"] != asdict(config):
            raise GpiotError(
                f"{ckpt_path} was written with another training config",
                "use the same settings, or a new --out folder",
            )
        model.load_pect_state_dict(ckpt["pect"])
        optimizer.load_state_dict(ckpt["optimizer"])
        _set_rng_state(ckpt["rng"])
        history = [StepRecord(**h) for h in ckpt["history"]]
        step = int(ckpt["step"])
    else:
        torch.manual_seed(config.seed)
        random.seed(config.seed)
        np.random.seed(config.seed)
    save(config, out_dir / TRAIN_CONFIG)
    sizes = {role: len(samples) for role, samples in data.items()}
    inner = model
    forward, backward, optimizer = _device_setup(model, optimizer)
    last = config.steps if stop_after is None else min(config.steps, step + stop_after)
    model.train()
    started = time.perf_counter()
    while step < last:
        t0, c0 = time.perf_counter(), time.process_time()
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, config)
        optimizer.zero_grad(set_to_none=True)
        total, tokens = 0.0, 0
        role, picks = batch_plan(step, sizes, config.batch_size * config.grad_accum, config.seed)
        for micro in range(config.grad_accum):
            chunk = picks[micro * config.batch_size : (micro + 1) * config.batch_size]
            loss, n = batch_loss(inner, [data[role][i] for i in chunk], pad_id, forward)
            backward(loss / config.grad_accum)
            total += float(loss.detach()) / config.grad_accum
            tokens += n
        optimizer.step()
        step += 1
        record = StepRecord(
            step, role, total, tokens, time.perf_counter() - t0, time.process_time() - c0
        )
        history.append(record)
        if on_step:
            on_step(record)
        if step % config.checkpoint_every == 0 or step == last:
            save_checkpoint(ckpt_path, step, model, optimizer, history, config)
            write_history(history, out_dir / HISTORY)
    model.eval()
    return TrainResult(step, history, time.perf_counter() - started)


def write_history(history: list[StepRecord], path: Path) -> None:
    path.write_text("".join(json.dumps(asdict(h)) + "\n" for h in history))
