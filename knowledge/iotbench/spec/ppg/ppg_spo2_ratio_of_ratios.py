"""Estimate SpO2 from red and infrared PPG with the ratio-of-ratios method."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "ppg_spo2_ratio_of_ratios",
    "category": "ppg",
    "modality": "ppg",
    "difficulty": "medium",
    "methods": ["ratio_of_ratios", "butter", "filtfilt", "sosfiltfilt", "std"],
}

FUNCTION = "estimate_spo2"
SPEC = """Target: Pulse-oximetry SpO2 with the ratio of ratios: for each channel DC = mean of the
raw
signal and AC = standard deviation of the 0.5-5 Hz zero-phase band-passed signal;
R = (AC_red / DC_red) / (AC_ir / DC_ir); SpO2 = 110 - 25 * R, clipped to [0, 100] percent.

Input Specification:
- red (np.ndarray): red-LED PPG (raw ADC counts, positive), float64, shape (n_samples,).
- ir (np.ndarray): infrared-LED PPG recorded simultaneously, float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- spo2 (float): oxygen saturation in percent (0-100).
- ratio (float): the ratio of ratios R (dimensionless).
"""


def estimate_spo2(red: np.ndarray, ir: np.ndarray, fs: float) -> tuple[float, float]:
    sos = signal.butter(2, [0.5, 5.0], btype="bandpass", fs=fs, output="sos")

    def ac_dc(x: np.ndarray) -> float:
        x = np.asarray(x, dtype=np.float64)
        return float(np.std(signal.sosfiltfilt(sos, x)) / np.mean(x))

    ratio = ac_dc(red) / ac_dc(ir)
    return float(np.clip(110.0 - 25.0 * ratio, 0.0, 100.0)), float(ratio)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(37)
    fs = 100.0
    t = np.arange(int(20 * fs)) / fs
    pulse = np.zeros_like(t)
    for b in np.arange(0.2, 20, 0.8):
        pulse += np.exp(-0.5 * ((t - b) / 0.1) ** 2) + 0.3 * np.exp(
            -0.5 * ((t - b - 0.3) / 0.08) ** 2
        )
    pulse -= pulse.mean()
    for r_true in (0.6, 0.8, 1.0):
        dc_ir, dc_red = 50000.0, 30000.0
        pi_ir = 0.02
        ir = dc_ir * (1 + pi_ir * pulse) + 200 * np.sin(2 * np.pi * 0.05 * t)
        red = dc_red * (1 + r_true * pi_ir * pulse) + 120 * np.sin(2 * np.pi * 0.05 * t)
        ir = ir + rng.normal(0, 5, t.size)
        red = red + rng.normal(0, 5, t.size)
        out = fn(red.copy(), ir.copy(), fs)
        assert isinstance(out, tuple) and len(out) == 2, "return (spo2, ratio)"
        spo2, ratio = float(out[0]), float(out[1])
        assert abs(ratio - r_true) < 0.05, f"R = {ratio:.3f}, expected {r_true} (AC/DC per channel)"
        assert abs(spo2 - (110 - 25 * r_true)) < 1.5, (
            f"SpO2 {spo2:.1f} %, expected {110 - 25 * r_true:.1f} % (percent, not a fraction)"
        )
    out = fn(red.copy() * 0.5 + 30000 * 0.5, ir.copy(), fs)
    assert 0.0 <= float(out[0]) <= 100.0, "SpO2 must be clipped to [0, 100]"
