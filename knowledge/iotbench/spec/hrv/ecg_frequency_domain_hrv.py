"""Frequency-domain HRV (LF, HF power and LF/HF) from R-R intervals with Welch's method."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import interpolate, signal

TASK = {
    "id": "ecg_frequency_domain_hrv",
    "category": "hrv",
    "modality": "ecg",
    "difficulty": "hard",
    "methods": ["welch", "CubicSpline", "interp1d", "trapezoid"],
}

FUNCTION = "frequency_domain_hrv"
SPEC = """Target: Frequency-domain HRV: place each R-R interval at the time of its second beat
(beat times = cumulative sum of the intervals), interpolate with a cubic spline at 4 Hz,
subtract the mean, estimate the PSD with Welch's method (Hann window, nperseg = 256 samples =
64 s) and integrate it over LF 0.04-0.15 Hz and HF 0.15-0.40 Hz.

Input Specification:
- rr_s (np.ndarray): R-R intervals in seconds, float64, shape (n_intervals,), at least 5 min.

Output Specification:
- lf_ms2 (float): low-frequency power in ms^2.
- hf_ms2 (float): high-frequency power in ms^2.
- lf_hf (float): ratio lf_ms2 / hf_ms2.
"""


def frequency_domain_hrv(rr_s: np.ndarray) -> tuple[float, float, float]:
    rr_ms = np.asarray(rr_s, dtype=np.float64) * 1000.0
    t = np.cumsum(rr_ms) / 1000.0
    grid = np.arange(t[0], t[-1], 0.25)
    y = interpolate.CubicSpline(t, rr_ms)(grid)
    f, p = signal.welch(y - y.mean(), fs=4.0, window="hann", nperseg=min(256, y.size))

    def band(lo: float, hi: float) -> float:
        m = (f >= lo) & (f < hi)
        return float(np.trapezoid(p[m], f[m]))

    lf, hf = band(0.04, 0.15), band(0.15, 0.40)
    return lf, hf, lf / hf


def _beats(a_lf: float, a_hf: float, rng: np.random.Generator) -> np.ndarray:
    t, rr = 0.0, []
    while t < 360.0:
        r = 0.8 + a_lf * np.sin(2 * np.pi * 0.1 * t) + a_hf * np.sin(2 * np.pi * 0.25 * t)
        r += rng.normal(0, 0.002)
        rr.append(r)
        t += r
    return np.array(rr)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(23)
    for a_lf, a_hf in ((0.03, 0.02), (0.015, 0.035)):
        rr = _beats(a_lf, a_hf, rng)
        out = fn(rr.copy())
        assert isinstance(out, tuple) and len(out) == 3, "return (lf_ms2, hf_ms2, lf_hf)"
        lf, hf, ratio = (float(v) for v in out)
        exp_lf, exp_hf = (a_lf * 1000) ** 2 / 2, (a_hf * 1000) ** 2 / 2
        assert 0.7 * exp_lf < lf < 1.3 * exp_lf, (
            f"LF power {lf:.4g}, expected about {exp_lf:.0f} ms^2 (R-R in ms, PSD integrated over "
            "0.04-0.15 Hz)"
        )
        assert 0.7 * exp_hf < hf < 1.3 * exp_hf, (
            f"HF power {hf:.4g}, expected about {exp_hf:.0f} ms^2"
        )
        assert abs(ratio - lf / hf) < 1e-6 * max(1.0, ratio), "lf_hf must equal lf_ms2 / hf_ms2"
