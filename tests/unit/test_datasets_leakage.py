"""No benchmark task leaks into the training data (token n-gram containment).

n = 10 tokens (identifiers, numbers, punctuation; lower-cased); a record leaks a benchmark piece
(statement, SPEC, reference code, decomposition, docstring) when 25 % or more of the piece's
10-grams occur in the record. Pieces under 30 tokens are skipped as too generic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gpiot.datasets import leakage
from gpiot.datasets.build import BENCHMARK, DATASETS
from gpiot.datasets.leakage import LeakIndex, benchmark_pieces
from gpiot.datasets.records import Record

FAKE_TASK = '''"""Estimate the tidal volume proxy from a thoracic impedance signal."""

FUNCTION = "tidal_proxy"
SPEC = """Target: Estimate a tidal-volume proxy as the median peak-to-trough amplitude of each
breath in a thoracic impedance signal band-passed between 0.1 and 0.7 Hz.

Input Specification:
- impedance (np.ndarray): 1-D thoracic impedance in ohms, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- proxy (float): median breath amplitude in ohms.
"""


def tidal_proxy(impedance, fs):
    sos = signal.butter(2, [0.1, 0.7], btype="bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, impedance)
    peaks, _ = signal.find_peaks(y, distance=int(1.5 * fs))
    troughs, _ = signal.find_peaks(-y, distance=int(1.5 * fs))
    n = min(peaks.size, troughs.size)
    return float(np.median(y[peaks[:n]] - y[troughs[:n]]))
'''


def _all_records() -> list[Record]:
    rows = []
    for name in ("tdd.jsonl", "cgd.jsonl"):
        text = (DATASETS / name).read_text(encoding="utf-8")
        rows += [Record.from_dict(json.loads(line)) for line in text.splitlines()]
    return rows


def _text(record: Record) -> str:
    return f"{record.prompt_text}\n{record.answer}"


def test_parameters_are_as_documented() -> None:
    assert (leakage.N, leakage.THRESHOLD, leakage.MIN_TOKENS) == (10, 0.25, 30)


def test_no_training_record_overlaps_a_benchmark_task() -> None:
    pieces = benchmark_pieces(BENCHMARK)
    if not pieces:
        pytest.skip(f"no benchmark tasks under {BENCHMARK}")
    index = LeakIndex(pieces)
    leaks = [leak for r in _all_records() for leak in index.leaks(r.id, _text(r))]
    assert leaks == []


def test_a_copied_benchmark_task_is_detected(tmp_path: Path) -> None:
    bench = tmp_path / "iotbench" / "spec" / "respiration"
    bench.mkdir(parents=True)
    (bench / "tidal_proxy.py").write_text(FAKE_TASK, encoding="utf-8")
    (tmp_path / "iotbench" / "decomposition.jsonl").write_text(
        json.dumps(
            {
                "statement": "Estimate a tidal volume proxy from thoracic impedance recorded by "
                "a chest patch at 50 Hz, reporting the median breath amplitude per minute in "
                "ohms for a whole night.",
                "subtasks": [{"name": "Load the impedance", "steps": ["Read the 50 Hz array"]}],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    index = LeakIndex(benchmark_pieces(tmp_path / "iotbench"))
    records = _all_records()
    assert all(not index.leaks(r.id, _text(r)) for r in records[::25])  # clean data is clean
    copied = records[0].prompt_text + "\n" + FAKE_TASK.split('SPEC = """')[1].split('"""')[0]
    assert index.leaks("fake-spec", copied)
    code = "```python\n" + FAKE_TASK.split("def tidal_proxy", 1)[1] + "```"
    assert index.leaks("fake-code", code)
    statement = "Estimate a tidal volume proxy from thoracic impedance recorded by a chest patch "
    statement += (
        "at 50 Hz, reporting the median breath amplitude per minute in ohms for a whole night."
    )
    assert index.leaks("fake-statement", statement)


def test_a_real_benchmark_piece_copied_into_a_record_is_detected() -> None:
    pieces = benchmark_pieces(BENCHMARK)
    if not pieces:
        pytest.skip(f"no benchmark tasks under {BENCHMARK}")
    index = LeakIndex(pieces)
    record = _all_records()[0]
    assert index.leaks("fake", _text(record) + "\n" + pieces[0].text)
