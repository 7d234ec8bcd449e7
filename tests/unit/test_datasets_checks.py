"""Every CG seed's check passes on its reference implementation, in the sandbox."""

from __future__ import annotations

from dataclasses import replace

from gpiot.datasets.augment import cg_augmentations
from gpiot.datasets.build import load_all_cg_seeds
from gpiot.datasets.checks import CheckSample, run_checks


def _sample(seed) -> CheckSample:  # type: ignore[no-untyped-def]
    return CheckSample(seed.id, seed.module, seed.check, seed.check_name, seed.preamble)


def test_every_cg_seed_passes_its_check() -> None:
    seeds = load_all_cg_seeds()
    assert len(seeds) >= 100
    failed = {r.id: r.detail for r in run_checks([_sample(s) for s in seeds]) if not r.passed}
    assert failed == {}


def test_a_wrong_implementation_fails_its_check() -> None:
    seed = next(s for s in load_all_cg_seeds() if s.id == "ecg.heart_rate_bpm_from_rr")
    wrong = replace(seed, body=seed.body.replace("60.0 / rr.mean()", "60.0 * rr.mean()"))
    assert wrong.body != seed.body
    (result,) = run_checks([_sample(wrong)])
    assert not result.passed and "AssertionError" in result.detail


def test_the_sandbox_blocks_processes_in_a_check() -> None:
    seed = next(s for s in load_all_cg_seeds() if s.id == "generic.rms_signal")
    bad = replace(
        seed, check=seed.check.replace("t = ", "__import__('os').system('true')\n    t = ")
    )
    (result,) = run_checks([_sample(bad)])
    assert not result.passed and "sandbox" in result.detail


def test_a_sample_of_augmented_seeds_still_pass() -> None:
    """Sampled (every 5th generic/ECG seed's augmentations) to keep the suite fast; the full set
    is checked by `gpiot tune data`, which keeps only passing augmentations."""
    seeds = [s for s in load_all_cg_seeds() if s.file.endswith(("generic.py", "ecg.py"))][::5]
    augmented = [
        a for s in seeds for rule, a in cg_augmentations(s) if rule != "resource:cortex_m4"
    ]
    assert augmented
    failed = {r.id: r.detail for r in run_checks([_sample(a) for a in augmented]) if not r.passed}
    assert failed == {}
