"""Detect note onsets in an audio signal with spectral flux."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "audio_onset_detection",
    "category": "peak_detection",
    "modality": "audio",
    "difficulty": "hard",
    "methods": ["spectral_flux", "stft", "find_peaks"],
}

FUNCTION = "detect_onsets"
SPEC = """Target: Detect sound onsets with spectral flux: STFT magnitude (Hann window of 1024
samples, hop 256), flux = sum over frequency of the positive frame-to-frame increase, then pick
peaks of the flux above max(median + 3 * MAD, 0.1 * max(flux)) with at least 50 ms between onsets;
report onset times
in seconds (frame centre times).

Input Specification:
- audio (np.ndarray): 1-D mono audio in [-1, 1], float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- onsets_s (np.ndarray): onset times in seconds, increasing, float64, shape (n_onsets,).
"""


def detect_onsets(audio: np.ndarray, fs: float) -> np.ndarray:
    x = np.asarray(audio, dtype=np.float64)
    hop = 256
    _, t, z = signal.stft(x, fs=fs, window="hann", nperseg=1024, noverlap=1024 - hop, boundary=None)
    mag = np.abs(z)
    flux = np.concatenate([[0.0], np.sum(np.maximum(np.diff(mag, axis=1), 0.0), axis=0)])
    med = float(np.median(flux))
    mad = float(np.median(np.abs(flux - med)))
    peaks, _ = signal.find_peaks(
        flux,
        height=max(med + 3 * mad, 0.1 * float(flux.max())) + 1e-12,
        distance=max(1, round(0.05 * fs / hop)),
    )
    return np.asarray(t[peaks], dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(4)
    for fs in (16000.0, 22050.0):
        duration = 6.0
        t = np.arange(int(duration * fs)) / fs
        onsets = np.array([0.5, 1.1, 1.5, 2.3, 2.75, 3.6, 4.2, 5.0, 5.4])
        x = 0.005 * rng.standard_normal(t.size)
        for i, o in enumerate(onsets):
            f0 = [220.0, 330.0, 440.0, 262.0, 523.0][i % 5]
            amp = [0.8, 0.3, 0.6, 0.2, 0.5][i % 5]
            env = np.where(t >= o, np.exp(-(t - o) / 0.15), 0.0)
            x += amp * env * np.sin(2 * np.pi * f0 * (t - o))
        out = fn(x.copy(), fs)
        assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
        got = np.asarray(out, dtype=float)
        assert got.ndim == 1, f"onsets_s must be 1-D, got shape {got.shape}"
        assert np.all(got < duration + 0.1), "onset times must be in seconds, not samples or frames"
        hits = sum(bool(np.any(np.abs(got - o) <= 0.05)) for o in onsets)
        assert hits >= onsets.size - 1, f"fs={fs}: {hits}/{onsets.size} onsets found within 50 ms"
        extra = got.size - hits
        assert extra <= 2, f"fs={fs}: {extra} spurious onsets"
