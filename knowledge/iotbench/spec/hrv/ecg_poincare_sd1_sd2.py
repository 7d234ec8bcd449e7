"""Poincare-plot descriptors SD1 and SD2 of an R-R series."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "ecg_poincare_sd1_sd2",
    "category": "hrv",
    "modality": "ecg",
    "difficulty": "medium",
    "methods": ["poincare", "sd1", "sd2", "std"],
}

FUNCTION = "poincare_descriptors"
SPEC = """Target: Compute the Poincare-plot descriptors of R-R intervals (pairs RR[n], RR[n+1]):
SD1 = std(RR[n+1] - RR[n]) / sqrt(2) and SD2 = std(RR[n+1] + RR[n]) / sqrt(2), in milliseconds,
plus the ratio SD1 / SD2.

Input Specification:
- rr_s (np.ndarray): R-R intervals in seconds, float64, shape (n_intervals,), n_intervals >= 3.

Output Specification:
- sd1_ms (float): short-term variability SD1 in milliseconds.
- sd2_ms (float): long-term variability SD2 in milliseconds.
- ratio (float): SD1 / SD2 (dimensionless).
"""


def poincare_descriptors(rr_s: np.ndarray) -> tuple[float, float, float]:
    rr = np.asarray(rr_s, dtype=np.float64) * 1000.0
    x, y = rr[:-1], rr[1:]
    sd1 = float(np.std(y - x, ddof=1) / np.sqrt(2.0))
    sd2 = float(np.std(y + x, ddof=1) / np.sqrt(2.0))
    return sd1, sd2, sd1 / sd2


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(17)
    slow = 0.08 * np.sin(2 * np.pi * np.arange(400) / 60.0)
    rr = 0.9 + slow + rng.normal(0, 0.015, 400)
    out = fn(rr.copy())
    assert isinstance(out, tuple) and len(out) == 3, "return (sd1_ms, sd2_ms, ratio)"
    sd1, sd2, ratio = (float(v) for v in out)
    x, y = rr[:-1] * 1000, rr[1:] * 1000
    e1 = np.std(y - x) / np.sqrt(2)
    e2 = np.std(y + x) / np.sqrt(2)
    assert abs(sd1 - e1) < 0.03 * e1, f"sd1_ms = {sd1:.2f}, expected about {e1:.2f} (milliseconds)"
    assert abs(sd2 - e2) < 0.03 * e2, f"sd2_ms = {sd2:.2f}, expected about {e2:.2f} (milliseconds)"
    assert abs(ratio - sd1 / sd2) < 1e-6, "ratio must equal sd1_ms / sd2_ms"
    assert sd1 < sd2, "slow R-R modulation gives SD2 > SD1"
