"""Augmentation rules change the statement and the expected output consistently."""

from __future__ import annotations

from dataclasses import replace

from gpiot.datasets.augment import (
    BUDGETS,
    REPRESENTATIONS,
    SENSORS,
    SWAPS,
    cg_budget,
    cg_consistency_problems,
    cg_modality,
    cg_representation,
    td_augmentations,
    td_budget,
    td_consistency_problems,
    td_modality,
    td_representation,
)
from gpiot.datasets.build import DATASETS, load_all_cg_seeds
from gpiot.datasets.tdseeds import TdSeed, load_td_seeds
from gpiot.datasets.wellformed import cg_problems, td_problems


def _td(seed_id: str) -> TdSeed:
    return next(s for s in load_td_seeds(DATASETS / "seeds" / "td", DATASETS) if s.id == seed_id)


def test_representation_changes_the_input_clause_and_the_loading_subtask_together() -> None:
    seed = _td("ecg_hr.1")
    csv = next(r for r in REPRESENTATIONS if r.key == "csv")
    aug = td_representation(seed, csv)
    assert aug is not None
    assert "CSV" in aug.statement and "CSV" in aug.subtasks[0].name
    assert aug.subtasks[1:] == seed.subtasks[1:]
    assert any("360 Hz" in s for s in aug.subtasks[0].steps)  # the rate is kept
    assert td_consistency_problems(aug, "representation:csv") == []
    assert td_problems(aug.decomposition) == []


def test_budget_adds_a_sentence_and_a_concrete_step() -> None:
    seed = _td("ecg_hr.1")
    budget = BUDGETS[0]
    aug = td_budget(seed, budget)
    assert aug is not None
    assert budget.sentence in aug.statement
    changed = [a for a, b in zip(aug.subtasks, seed.subtasks, strict=True) if a != b]
    assert len(changed) == 1 and changed[0].steps[-1] == budget.step
    assert td_consistency_problems(aug, f"resource:{budget.key}") == []


def test_modality_swap_leaves_no_source_sensor_words() -> None:
    seed = _td("ecg_hr.2")
    aug = td_modality(seed, SWAPS[0])
    assert aug is not None and aug.modality == "ppg"
    assert "ECG" not in aug.statement and "PPG" in aug.statement
    assert td_consistency_problems(aug, "modality:ecg_to_ppg") == []
    assert td_modality(_td("imu_fall.1"), SWAPS[0]) is None


def test_an_incomplete_swap_is_rejected() -> None:
    incomplete = replace(SWAPS[0], replacements=SWAPS[0].replacements[:3])
    aug = td_modality(_td("ecg_hr.1"), incomplete)
    assert aug is not None
    assert td_consistency_problems(aug, "modality:ecg_to_ppg") != []


def test_every_accepted_td_augmentation_is_consistent_and_well_formed() -> None:
    for seed in load_td_seeds(DATASETS / "seeds" / "td", DATASETS)[::10]:
        for rule, aug in td_augmentations(seed):
            if not td_consistency_problems(aug, rule):
                assert td_problems(aug.decomposition) == [], (aug.id, rule)


def _cg(seed_id: str):  # type: ignore[no-untyped-def]
    return next(s for s in load_all_cg_seeds() if s.id == seed_id)


def test_cg_modality_renames_function_parameter_docstring_and_check() -> None:
    seed = _cg("generic.rms_signal")
    sensor = next(s for s in SENSORS if s.key == "ecg")
    aug = cg_modality(seed, sensor)
    assert aug is not None
    assert aug.spec.function == "rms_ecg"
    assert [p.name for p in aug.spec.inputs] == ["ecg"]
    assert "single-lead ECG" in aug.spec.inputs[0].description
    assert "rms_ecg(" in aug.check and "def check_rms_ecg" in aug.check
    assert "x" not in aug.body.replace("np.", "").split()  # no stray generic name
    assert cg_consistency_problems(aug, "modality:ecg") == []
    assert cg_problems(aug) == []
    assert cg_modality(_cg("ecg.rr_intervals_seconds"), sensor) is None  # not generic


def test_cg_representation_takes_a_list_and_converts_it() -> None:
    aug = cg_representation(_cg("generic.zscore_signal"))
    assert aug is not None
    assert aug.spec.inputs[0].type == "list[float]"
    assert "x: list[float]" in aug.def_line
    assert cg_consistency_problems(aug, "representation:list") == []
    assert cg_problems(aug) == []


def test_cg_budget_states_the_device_and_computes_in_float32() -> None:
    aug = cg_budget(_cg("generic.detrend_signal"))
    assert aug is not None
    assert "256 KB" in aug.spec.target and "np.float32" in aug.body
    assert cg_consistency_problems(aug, "resource:cortex_m4") == []
    broken = replace(aug, body=aug.body.replace("np.float32", "float"))
    assert cg_consistency_problems(broken, "resource:cortex_m4") != []
