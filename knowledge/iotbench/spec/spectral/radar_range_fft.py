"""Range profile and strongest-target range from an FMCW radar chirp."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "radar_range_fft",
    "category": "spectral",
    "modality": "radar",
    "difficulty": "medium",
    "methods": ["rfft", "fft", "hanning", "range_fft"],
}

FUNCTION = "range_profile"
SPEC = """Target: FMCW range FFT of one chirp: remove the mean, apply a Hann window, take the
magnitude of the real FFT; bin k has beat frequency f_k = k * fs / n_samples and range
R_k = c * f_k / (2 * slope) with c = 299792458 m/s; return the range axis, the profile and the
range of the strongest bin (excluding bin 0).

Input Specification:
- beat (np.ndarray): real-valued de-chirped ADC samples of one chirp, float64, shape (n_samples,).
- fs (float): ADC sampling rate in Hz.
- slope_hz_per_s (float): chirp slope in Hz per second (e.g. 10e12 for 10 MHz/us).

Output Specification:
- ranges_m (np.ndarray): range of each bin in metres, shape (n_samples // 2 + 1,), float64.
- profile (np.ndarray): FFT magnitude per bin, shape (n_samples // 2 + 1,), float64.
- target_range_m (float): range of the strongest target in metres.
"""


def range_profile(
    beat: np.ndarray, fs: float, slope_hz_per_s: float
) -> tuple[np.ndarray, np.ndarray, float]:
    x = np.asarray(beat, dtype=np.float64)
    prof = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size)))
    ranges = np.fft.rfftfreq(x.size, 1.0 / fs) * 299792458.0 / (2.0 * slope_hz_per_s)
    k = 1 + int(np.argmax(prof[1:]))
    return ranges, prof, float(ranges[k])


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(103)
    c = 299792458.0
    for fs, n, slope, targets in (
        (2e6, 256, 10e12, ((3.2, 0.4), (7.5, 1.0))),
        (5e6, 512, 30e12, ((1.1, 1.0), (4.0, 0.3))),
    ):
        t = np.arange(n) / fs
        x = 0.05 * rng.standard_normal(n) + 0.2
        for r, a in targets:
            x += a * np.cos(2 * np.pi * (2 * slope * r / c) * t + rng.uniform(0, 6))
        out = fn(x.copy(), fs, slope)
        assert isinstance(out, tuple) and len(out) == 3, (
            "return (ranges_m, profile, target_range_m)"
        )
        ranges, prof, target = np.asarray(out[0], float), np.asarray(out[1], float), float(out[2])
        assert ranges.shape == (n // 2 + 1,) and prof.shape == (n // 2 + 1,), (
            f"shapes {ranges.shape}, {prof.shape}; expected ({n // 2 + 1},)"
        )
        resolution = c / (2 * slope * n / fs)
        assert abs(ranges[1] - ranges[0] - resolution) < 1e-6 * resolution, "range axis in metres"
        best = max(targets, key=lambda ta: ta[1])[0]
        assert abs(target - best) < resolution, (
            f"strongest target at {target:.2f} m, expected {best} m (R = c f / (2 slope))"
        )
