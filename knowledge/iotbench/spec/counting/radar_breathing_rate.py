"""Breathing rate from the phase of an FMCW radar range bin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "radar_breathing_rate",
    "category": "counting",
    "modality": "radar",
    "difficulty": "medium",
    "methods": ["unwrap", "butter", "sosfiltfilt", "find_peaks", "welch"],
}

FUNCTION = "breathing_rate"
SPEC = """Target: Breathing rate from the wrapped phase of the radar range bin that holds the chest:
unwrap the phase, convert to chest displacement d = phase * wavelength / (4 * pi), band-pass
0.1-0.6 Hz (zero-phase Butterworth) and count breaths with scipy.signal.find_peaks (minimum
distance 1.5 s); rate = 60 * (n_peaks - 1) / (time of last peak - time of first peak).

Input Specification:
- phase (np.ndarray): wrapped phase in radians in (-pi, pi], float64, shape (n_frames,).
- fs (float): frame rate in Hz (slow-time sampling rate).
- wavelength_m (float): radar wavelength in metres (e.g. 0.005 at 60 GHz).

Output Specification:
- rate_bpm (float): breathing rate in breaths per minute.
- displacement_mm (np.ndarray): band-passed chest displacement in millimetres, float64,
  shape (n_frames,).
"""


def breathing_rate(phase: np.ndarray, fs: float, wavelength_m: float) -> tuple[float, np.ndarray]:
    disp_mm = np.unwrap(np.asarray(phase, dtype=np.float64)) * wavelength_m / (4 * np.pi) * 1000.0
    sos = signal.butter(2, [0.1, 0.6], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, disp_mm)
    peaks, _ = signal.find_peaks(
        filt, distance=max(1, round(1.5 * fs)), prominence=0.3 * filt.std()
    )
    if peaks.size < 2:
        return 0.0, filt
    rate = 60.0 * (peaks.size - 1) / ((peaks[-1] - peaks[0]) / fs)
    return float(rate), filt


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(79)
    wavelength = 0.005
    for fs, rate in ((20.0, 12.0), (50.0, 18.0), (20.0, 25.0)):
        t = np.arange(int(60 * fs)) / fs
        chest_mm = 4.0 * np.sin(2 * np.pi * rate / 60 * t) + 0.2 * np.sin(2 * np.pi * 1.2 * t)
        chest_mm += 1.0 * t / 60  # slow drift of the body
        phase = 4 * np.pi * chest_mm / 1000 / wavelength + rng.normal(0, 0.05, t.size)
        wrapped = np.angle(np.exp(1j * phase))
        out = fn(wrapped.copy(), fs, wavelength)
        assert isinstance(out, tuple) and len(out) == 2, "return (rate_bpm, displacement_mm)"
        got, disp = float(out[0]), np.asarray(out[1], dtype=float)
        assert abs(got - rate) < 1.0, f"fs={fs}: {got:.1f} breaths/min, expected {rate}"
        assert disp.shape == t.shape, f"displacement shape {disp.shape}, expected {t.shape}"
        mid = slice(int(10 * fs), int(50 * fs))
        amp = float(np.std(disp[mid]) * np.sqrt(2))
        assert 3.0 < amp < 5.0, (
            f"displacement amplitude {amp:.2f} mm, expected about 4 mm (unwrap the phase, "
            "d = phase * wavelength / (4 pi), in millimetres)"
        )
