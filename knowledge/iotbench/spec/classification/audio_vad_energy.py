"""Energy-based voice activity detection per audio frame."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "audio_vad_energy",
    "category": "classification",
    "modality": "audio",
    "difficulty": "medium",
    "methods": ["short_time_energy", "percentile", "log10", "vad"],
}

FUNCTION = "voice_activity"
SPEC = """Target: Voice activity detection on non-overlapping 20 ms frames (round(0.02 * fs)
samples,
incomplete last frame dropped): frame energy in dB = 10 * log10(mean square + 1e-12); noise floor
= 10th percentile of the frame energies; a frame is speech when its energy exceeds the floor by
more than margin_db; then a median filter of 5 frames smooths the decisions.

Input Specification:
- audio (np.ndarray): 1-D mono audio in [-1, 1], float64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- margin_db (float): decision margin above the noise floor in dB, e.g. 10.0.

Output Specification:
- speech (np.ndarray): bool per 20 ms frame, shape (n_samples // round(0.02 * fs),).
"""


def voice_activity(audio: np.ndarray, fs: float, margin_db: float) -> np.ndarray:
    from scipy import ndimage

    x = np.asarray(audio, dtype=np.float64)
    frame = round(0.02 * fs)
    n = x.size // frame
    energy = 10 * np.log10(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    raw = energy > np.percentile(energy, 10) + margin_db
    return np.asarray(ndimage.median_filter(raw.astype(np.uint8), size=5, mode="nearest") > 0)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(149)
    for fs in (16000.0, 8000.0):
        t = np.arange(int(6 * fs)) / fs
        x = 0.01 * rng.standard_normal(t.size)
        active = ((t > 1.0) & (t < 2.2)) | ((t > 3.5) & (t < 5.0))
        syllables = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t)  # 4 Hz syllable rhythm
        voiced = 0.3 * syllables * (np.sin(2 * np.pi * 150 * t) + 0.5 * np.sin(2 * np.pi * 450 * t))
        x = x + np.where(active, voiced, 0.0)
        out = fn(x.copy(), fs, 10.0)
        assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
        n = int(6 * fs) // round(0.02 * fs)
        assert out.shape == (n,) and out.dtype == bool, (
            f"shape {out.shape}: one bool per 20 ms frame"
        )
        centre = (np.arange(n) + 0.5) * 0.02
        truth = ((centre > 1.0) & (centre < 2.2)) | ((centre > 3.5) & (centre < 5.0))
        away = np.ones(n, dtype=bool)
        for edge in (1.0, 2.2, 3.5, 5.0):
            away &= np.abs(centre - edge) > 0.1
        acc = float(np.mean(out[away] == truth[away]))
        assert acc >= 0.95, f"fs={fs}: frame accuracy {acc:.2f} away from segment edges (< 0.95)"
