"""Count door openings from a bouncing binary reed-switch signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "env_door_events_count",
    "category": "counting",
    "modality": "environmental",
    "difficulty": "easy",
    "methods": ["debounce", "diff", "flatnonzero"],
}

FUNCTION = "count_door_openings"
SPEC = """Target: Count door openings in a sampled reed-switch signal (1 = open, 0 = closed).
Contact
bounce is removed by debouncing: a rising edge (0 -> 1) counts as a new opening only if at least
min_gap_s seconds have passed since the previous counted opening; return the opening times.

Input Specification:
- state (np.ndarray): switch state per sample, 0 or 1, int64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- min_gap_s (float): debounce interval in seconds.

Output Specification:
- n_openings (int): number of door openings.
- times_s (np.ndarray): time of each counted opening in seconds from the first sample, float64,
  shape (n_openings,).
"""


def count_door_openings(state: np.ndarray, fs: float, min_gap_s: float) -> tuple[int, np.ndarray]:
    s = np.asarray(state).astype(np.int64)
    rising = np.flatnonzero(np.diff(s) == 1) + 1
    if s.size and s[0] == 1:
        rising = np.concatenate([[0], rising])
    times: list[float] = []
    for r in rising / fs:
        if not times or r - times[-1] >= min_gap_s:
            times.append(float(r))
    return len(times), np.asarray(times, dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(71)
    fs = 20.0
    s = np.zeros(int(600 * fs), dtype=np.int64)
    openings = np.array([12.0, 75.5, 130.0, 260.25, 400.0, 555.0])
    for o in openings:
        i = int(o * fs)
        s[i : i + int(8 * fs)] = 1
        for b in rng.integers(1, 6, 3):  # bounce: short glitches right after the edge
            s[i + b] = 0
    out = fn(s.copy(), fs, 2.0)
    assert isinstance(out, tuple) and len(out) == 2, "return (n_openings, times_s)"
    n, times = out
    assert isinstance(n, (int, np.integer)), f"n_openings must be an int, got {type(n).__name__}"
    assert int(n) == openings.size, (
        f"{int(n)} openings counted, expected {openings.size} (debounce)"
    )
    times = np.asarray(times, dtype=float)
    assert times.shape == openings.shape and np.allclose(times, openings, atol=0.1), (
        f"opening times {np.round(times, 2).tolist()} s, expected {openings.tolist()} s"
    )
    n0, t0 = fn(np.zeros(100, dtype=np.int64), fs, 2.0)
    assert int(n0) == 0 and np.asarray(t0).size == 0, "a closed door has no openings"
