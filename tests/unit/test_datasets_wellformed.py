"""Well-formedness rules for TD and CG samples, and the seeds themselves."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gpiot.datasets.build import DATASETS, load_all_cg_seeds
from gpiot.datasets.tdseeds import load_td_seeds
from gpiot.datasets.wellformed import cg_problems, grammar_problems, spec_problems, td_problems
from gpiot.pipeline.decomposition import Decomposition, SubTask
from gpiot.pipeline.spec import Param, Spec

STATEMENT = "Count steps from a 50 Hz waist accelerometer. Input: a 1-D array in m/s^2."
GOOD = Decomposition(
    STATEMENT,
    (
        SubTask("Load the accelerometer data", ("Take the 1-D array in m/s^2 at 50 Hz",)),
        SubTask("Filter the gait band", ("Butterworth band-pass 0.5-3 Hz, order 4",)),
        SubTask("Count steps", ("find_peaks with 0.3 s minimum distance",)),
    ),
)
SPEC = Spec(
    "count_steps",
    "Count steps in an acceleration signal.",
    (
        Param("accel", "np.ndarray", "1-D acceleration in m/s^2"),
        Param("fs", "float", "sampling rate in Hz"),
    ),
    (Param("steps", "int", "number of steps"),),
)


def test_a_good_decomposition_has_no_problems() -> None:
    assert td_problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: replace(d, subtasks=d.subtasks[:2]), "2 sub-tasks"),
        (lambda d: replace(d, subtasks=(d.subtasks[1], d.subtasks[0], d.subtasks[2])), "load"),
        (
            lambda d: replace(
                d, subtasks=(*d.subtasks, SubTask("Upload to the cloud", ("x y z",)))
            ),
            "out of scope",
        ),
        (
            lambda d: replace(d, subtasks=(*d.subtasks[:2], SubTask("Count {what}", ("a b c",)))),
            "placeholder",
        ),
        (lambda d: replace(d, subtasks=(*d.subtasks, d.subtasks[2])), "same name"),
        (
            lambda d: replace(d, subtasks=(*d.subtasks[:2], SubTask("Count", ("a",) * 5))),
            "steps",
        ),
    ],
)
def test_malformed_decompositions_are_caught(change, expected: str) -> None:  # type: ignore[no-untyped-def]
    problems = td_problems(change(GOOD))
    assert any(expected in p for p in problems), problems


def test_spec_outside_rt_schema_is_caught() -> None:
    bad = replace(SPEC, inputs=(Param("accel", "numpy array", "1-D acceleration"),))
    assert any("not one of RT's types" in p for p in spec_problems(bad))
    assert spec_problems(SPEC) == []


def test_grammar_accepts_imports_then_one_def_with_indented_body() -> None:
    module = (
        "import numpy as np\n\n\ndef count_steps(accel: np.ndarray, fs: float) -> int:\n"
        '    """Doc."""\n    return 0\n'
    )
    assert grammar_problems(module, SPEC) == []


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("x = 1\ndef count_steps(accel, fs):\n    return 0\n", "head line"),
        ("def count_steps(fs, accel):\n    return 0\n", "parameters"),
        ("def count_steps(accel, fs):\n    return 0\nprint(1)\n", "body line"),
        ("def count_steps(accel, fs):\n    '''Use `np`.'''\n", "body line"),
        ("def count_steps(accel: tuple[int, int], fs):\n    return 0\n", "parameters"),
        ("def other(accel, fs):\n    return 0\n", "not for count_steps"),
    ],
)
def test_grammar_rejects_what_cg_cannot_produce(module: str, expected: str) -> None:
    assert any(expected in p for p in grammar_problems(module, SPEC))


def test_every_td_seed_is_well_formed() -> None:
    seeds = load_td_seeds(DATASETS / "seeds" / "td", DATASETS)
    assert len(seeds) >= 140
    assert {s.id: td_problems(s.decomposition) for s in seeds if td_problems(s.decomposition)} == {}


def test_every_cg_seed_is_well_formed() -> None:
    seeds = load_all_cg_seeds()
    assert {s.id: cg_problems(s) for s in seeds if cg_problems(s)} == {}
