"""PECT modules: merge/unmerge, role routing, config round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from gpiot.errors import GpiotError
from gpiot.tuning.config import PectConfig, TrainConfig, load_pect, save, train_from_dict
from gpiot.tuning.modules import SHARED, PectModel, attach, randomize
from gpiot.tuning.tiny import tiny_qwen2

IDS = torch.tensor([[1, 2, 3, 70, 101, 200, 33]])


def _model(config: PectConfig | None = None) -> PectModel:
    model = attach(tiny_qwen2(0), config or PectConfig())
    randomize(model, torch.Generator().manual_seed(3), scale=0.2)
    return model


def test_merge_then_unmerge_round_trips_and_merge_keeps_the_output() -> None:
    model = _model()
    k_proj = model.layers()[0].self_attn.k_proj
    weight = k_proj.base.weight.detach().clone()
    with torch.no_grad(), model.use("td"):
        before = model(IDS)
        model.merge_shared()
        merged = model(IDS)
        assert not torch.equal(k_proj.base.weight, weight)
        model.unmerge_shared()
        after = model(IDS)
    assert torch.allclose(merged, before, atol=1e-5)
    assert torch.allclose(after, before, atol=1e-5)
    assert torch.allclose(k_proj.base.weight, weight, atol=1e-6)


def test_fresh_paths_change_nothing() -> None:
    model = attach(tiny_qwen2(0), PectConfig())
    with torch.no_grad():
        with model.use(None, shared=False):
            plain = model(IDS)
        with model.use("cg"):
            tuned = model(IDS)
    assert torch.equal(plain, tuned)  # B and the projections' down start at zero


def test_roles_route_to_their_own_paths_only() -> None:
    model = _model()
    td_params = {id(p) for p in model.path_parameters("td")}
    cg_params = {id(p) for p in model.path_parameters("cg")}
    shared = {id(p) for p in model.path_parameters(SHARED)}
    assert td_params and cg_params and shared
    assert not (td_params & cg_params) and not (td_params & shared)
    with model.use("td"):
        model(IDS).sum().backward()
    grads = {id(p) for p in model.parameters() if p.grad is not None}
    assert grads == td_params | shared


def test_base_is_frozen_and_only_pect_weights_are_saved() -> None:
    model = _model()
    state = model.pect_state_dict()
    assert state and all(".base." not in name for name in state)
    assert all(not p.requires_grad for n, p in model.named_parameters() if n not in state)
    other = attach(tiny_qwen2(0), PectConfig())
    other.load_pect_state_dict(state)
    with torch.no_grad(), model.use("cg"), other.use("cg"):
        assert torch.equal(model(IDS), other(IDS))


def test_weights_of_another_config_are_refused() -> None:
    model = _model()
    with pytest.raises(GpiotError, match="do not fit"):
        attach(tiny_qwen2(0), PectConfig(role_rank=4)).load_pect_state_dict(model.pect_state_dict())


def test_mix_weights_follow_the_paper() -> None:
    config = PectConfig(mix=0.5)
    assert config.shared_weight("k_proj") == 0.5 and config.role_weight("k_proj") == 0.5
    assert config.role_weight("q_proj") == 1.0
    assert PectConfig(role_targets=("q_proj",)).shared_weight("k_proj") == 1.0


def test_config_round_trips_through_json(tmp_path: Path) -> None:
    config = PectConfig(shared_rank=4, roles=("td", "cg"), mix=0.3)
    save(config, tmp_path / "c.json")
    assert load_pect(tmp_path / "c.json") == config
    train = TrainConfig(steps=7, pect=config)
    from dataclasses import asdict

    assert train_from_dict(asdict(train)) == train


def test_bad_config_is_a_clear_error() -> None:
    with pytest.raises(GpiotError, match="mix"):
        PectConfig(mix=1.5)
    with pytest.raises(GpiotError, match="unknown target"):
        PectConfig(role_targets=("w_proj",))
