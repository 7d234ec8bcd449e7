"""Range and radial velocity of the strongest target from a range-Doppler map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "radar_doppler_velocity",
    "category": "spectral",
    "modality": "radar",
    "difficulty": "hard",
    "methods": ["fft2", "fftshift", "range_doppler", "fft"],
}

FUNCTION = "range_doppler_target"
SPEC = """Target: Range-Doppler processing of one FMCW frame of complex IQ chirps: FFT along fast
time
(samples, axis 1) gives range R = c * f_b / (2 * slope) with f_b = k * fs / n_samples; FFT along
slow time (chirps, axis 0) with fftshift gives the Doppler frequency f_d in Hz (chirp rate
1 / chirp_period_s); velocity v = wavelength * f_d / 2. Positive v means the phase increases from
chirp to chirp (target approaching). Return range and velocity of the strongest cell.

Input Specification:
- frame (np.ndarray): complex baseband samples, shape (n_chirps, n_samples).
- fs (float): ADC sampling rate in Hz.
- slope_hz_per_s (float): chirp slope in Hz per second.
- chirp_period_s (float): time between chirp starts in seconds.
- wavelength_m (float): carrier wavelength in metres.

Output Specification:
- range_m (float): range of the strongest target in metres.
- velocity_m_s (float): radial velocity of the strongest target in m/s (positive approaching).
"""


def range_doppler_target(
    frame: np.ndarray, fs: float, slope_hz_per_s: float, chirp_period_s: float, wavelength_m: float
) -> tuple[float, float]:
    x = np.asarray(frame)
    n_chirps, n_samples = x.shape
    rd = np.fft.fftshift(np.fft.fft(np.fft.fft(x, axis=1), axis=0), axes=0)
    d, k = np.unravel_index(int(np.argmax(np.abs(rd))), rd.shape)
    f_b = k * fs / n_samples
    f_d = (d - n_chirps // 2) / (n_chirps * chirp_period_s)
    return float(299792458.0 * f_b / (2 * slope_hz_per_s)), float(wavelength_m * f_d / 2)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(107)
    c = 299792458.0
    fs, n, n_chirps, slope, tc, lam = 5e6, 256, 64, 20e12, 60e-6, c / 77e9
    res_v = lam / (2 * n_chirps * tc)
    res_r = c / (2 * slope * n / fs)
    for r_true, bins_v in ((5.0, 3), (12.0, -5), (8.0, 0)):
        v_true = bins_v * res_v
        m = np.arange(n_chirps)[:, None]
        s = np.arange(n)[None, :]
        f_b = 2 * slope * r_true / c
        frame = np.exp(1j * 2 * np.pi * (f_b * s / fs + 2 * v_true * m * tc / lam))
        clutter = (
            0.3 * np.exp(1j * 2 * np.pi * (2 * slope * 2.0 / c) * s / fs) * np.ones((n_chirps, 1))
        )
        frame = frame + clutter
        frame += 0.1 * (rng.standard_normal(frame.shape) + 1j * rng.standard_normal(frame.shape))
        out = fn(frame.copy(), fs, slope, tc, lam)
        assert isinstance(out, tuple) and len(out) == 2, "return (range_m, velocity_m_s)"
        r, v = float(out[0]), float(out[1])
        assert abs(r - r_true) < 1.5 * res_r, f"range {r:.2f} m, expected {r_true} m"
        assert abs(v - v_true) < 0.5 * res_v, (
            f"velocity {v:.2f} m/s, expected {v_true:.2f} m/s (v = wavelength * f_d / 2, chirp "
            "axis 0, sign: phase increasing = positive)"
        )
