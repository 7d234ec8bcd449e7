"""Downsample audio to 16 kHz without aliasing."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "audio_downsample_antialias",
    "category": "resampling",
    "modality": "audio",
    "difficulty": "medium",
    "methods": ["resample_poly", "decimate", "resample"],
}

FUNCTION = "downsample_audio"
SPEC = """Target: Convert mono audio from fs_in Hz to 16000 Hz with an anti-aliasing low-pass
filter (polyphase resampling, e.g. scipy.signal.resample_poly); content above 8 kHz must be
removed, not folded back into the band.

Input Specification:
- audio (np.ndarray): 1-D mono audio in [-1, 1], shape (n_samples,), float64.
- fs_in (int): original sampling rate in Hz, e.g. 48000 or 44100.

Output Specification:
- audio_16k (np.ndarray): audio at 16000 Hz, shape (round(n_samples * 16000 / fs_in),), float64.
"""


def downsample_audio(audio: np.ndarray, fs_in: int) -> np.ndarray:
    ratio = Fraction(16000, int(fs_in))
    y = signal.resample_poly(
        np.asarray(audio, dtype=np.float64), ratio.numerator, ratio.denominator
    )
    return np.asarray(y, dtype=np.float64)


def _amplitude(y: np.ndarray, freq: float, fs: float) -> float:
    t = np.arange(y.size) / fs
    return float(2.0 * np.abs(np.mean(y * np.exp(-2j * np.pi * freq * t))))


def check(fn: Callable[..., Any]) -> None:
    for fs_in in (48000, 44100):
        n = fs_in  # one second
        t = np.arange(n) / fs_in
        x = 0.5 * np.sin(2 * np.pi * 1000 * t) + 0.4 * np.sin(2 * np.pi * 10000 * t)
        y = fn(x.copy(), fs_in)
        assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
        assert y.ndim == 1 and abs(y.size - 16000) <= 1, f"fs_in={fs_in}: {y.size} samples != 16000"
        mid = y[1000:15000]
        a1k = _amplitude(mid, 1000.0, 16000.0)
        assert abs(a1k - 0.5) < 0.03, f"fs_in={fs_in}: 1 kHz amplitude {a1k:.3f}, expected 0.5"
        alias = 16000 - 10000  # where an unfiltered 10 kHz tone folds to
        a_alias = _amplitude(mid, float(alias), 16000.0)
        assert a_alias < 0.01, (
            f"fs_in={fs_in}: the 10 kHz tone aliased to {alias} Hz (amplitude {a_alias:.3f}); "
            "low-pass before decimating"
        )
