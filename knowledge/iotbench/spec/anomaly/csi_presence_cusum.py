"""Detect when a person enters a room from a CSI variance stream with CUSUM."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "csi_presence_cusum",
    "category": "anomaly",
    "modality": "csi",
    "difficulty": "hard",
    "methods": ["cusum", "change_point"],
}

FUNCTION = "cusum_onset"
SPEC = """Target: One-sided (upward) CUSUM change detection: estimate mean mu and standard deviation
sigma from the first baseline_s seconds; S[0] = 0, S[i] = max(0, S[i-1] + (x[i] - mu) / sigma - k);
the change is detected at the first sample after the baseline with S > h; return its time in
seconds from the first sample, or NaN when no change is detected.

Input Specification:
- motion (np.ndarray): CSI motion indicator per sample (e.g. amplitude variance), float64,
  shape (n,).
- fs (float): sampling rate of motion in Hz.
- baseline_s (float): length of the empty-room baseline at the start, in seconds.
- k (float): allowed drift in standard deviations, e.g. 0.5.
- h (float): decision threshold in standard deviations, e.g. 5.0.

Output Specification:
- onset_s (float): detection time in seconds, NaN if no change.
"""


def cusum_onset(motion: np.ndarray, fs: float, baseline_s: float, k: float, h: float) -> float:
    x = np.asarray(motion, dtype=np.float64)
    nb = round(baseline_s * fs)
    mu, sigma = float(np.mean(x[:nb])), float(np.std(x[:nb]))
    s = 0.0
    for i in range(1, x.size):
        s = max(0.0, s + (x[i] - mu) / sigma - k)
        if i >= nb and s > h:
            return i / fs
    return float("nan")


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(137)
    fs = 10.0
    n = int(60 * fs)
    x = 2.0 + 0.3 * rng.standard_normal(n)
    x[int(30 * fs) :] += 0.45  # someone enters at 30 s: +1.5 sigma
    got = fn(x.copy(), fs, 20.0, 0.5, 5.0)
    assert isinstance(got, (float, np.floating)), f"expected a float, got {type(got).__name__}"
    assert 30.0 <= float(got) <= 33.0, f"onset at {float(got):.2f} s, expected 30-33 s (seconds)"
    quiet = 2.0 + 0.3 * rng.standard_normal(n)
    assert np.isnan(float(fn(quiet, fs, 20.0, 0.5, 5.0))), "no change must give NaN"
