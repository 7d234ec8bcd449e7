"""The training loop on a tiny model: one dataset per batch, exact resume, loss curves."""

from __future__ import annotations

from pathlib import Path

import torch

from gpiot.tuning.config import PectConfig, TrainConfig
from gpiot.tuning.curves import plot_curves
from gpiot.tuning.data import IGNORE, Encoded
from gpiot.tuning.modules import PectModel, attach
from gpiot.tuning.tiny import tiny_qwen2
from gpiot.tuning.train import CHECKPOINT, batch_plan, train

CONFIG = TrainConfig(
    steps=6,
    lr=1e-2,
    warmup_steps=1,
    checkpoint_every=2,
    max_tokens=32,
    pect=PectConfig(role_rank=4, shared_rank=4, projection_width=4),
)


def _data() -> dict[str, list[Encoded]]:
    g = torch.Generator().manual_seed(5)
    data: dict[str, list[Encoded]] = {"td": [], "cg": []}
    for role in data:
        for _ in range(3):
            ids = torch.randint(0, 256, (12,), generator=g).tolist()
            data[role].append(Encoded(role, ids, [IGNORE] * 6 + ids[6:]))
    return data


def _model() -> PectModel:
    return attach(tiny_qwen2(0), CONFIG.pect)


def test_batches_alternate_datasets_and_are_a_function_of_the_step() -> None:
    sizes = {"td": 5, "cg": 3}
    plans = [batch_plan(s, sizes, 2, seed=1) for s in range(8)]
    assert [role for role, _ in plans] == ["cg", "td"] * 4
    assert plans == [batch_plan(s, sizes, 2, seed=1) for s in range(8)]
    td = [i for role, picks in plans if role == "td" for i in picks]
    assert sorted(td[:5]) == [0, 1, 2, 3, 4]  # one epoch visits every sample once


def test_resumed_training_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    data = _data()
    full = _model()
    result = train(full, data, CONFIG, tmp_path / "a", pad_id=0)
    assert result.steps_done == 6 and {h.role for h in result.history} == {"td", "cg"}

    part = _model()
    assert train(part, data, CONFIG, tmp_path / "b", pad_id=0, stop_after=3).steps_done == 3
    assert (tmp_path / "b" / CHECKPOINT).is_file()
    resumed = _model()  # a fresh process: weights come only from the checkpoint
    train(resumed, data, CONFIG, tmp_path / "b", pad_id=0)

    a, b = full.pect_state_dict(), resumed.pect_state_dict()
    assert a.keys() == b.keys()
    assert all(torch.equal(a[k], b[k]) for k in a)
    changed = _model().pect_state_dict()
    assert any(not torch.equal(a[k], changed[k]) for k in a)  # training did move the weights


def test_loss_curves_are_written(tmp_path: Path) -> None:
    model = _model()
    result = train(model, _data(), CONFIG, tmp_path, pad_id=0, stop_after=4)
    plot_curves(result.history, tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
