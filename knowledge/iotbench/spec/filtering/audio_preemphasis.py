"""Apply a first-order pre-emphasis filter to an audio signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import signal

TASK = {
    "id": "audio_preemphasis",
    "category": "filtering",
    "modality": "audio",
    "difficulty": "easy",
    "methods": ["lfilter", "pre-emphasis"],
}

FUNCTION = "preemphasis"
SPEC = """Target: Apply the pre-emphasis filter y[0] = x[0], y[n] = x[n] - coeff * x[n-1] to a mono
audio signal (a causal first-order FIR filter, e.g. scipy.signal.lfilter([1, -coeff], 1, x)).

Input Specification:
- audio (np.ndarray): 1-D mono audio samples, float in [-1, 1], shape (n_samples,).
- coeff (float): pre-emphasis coefficient, typically 0.97.

Output Specification:
- emphasized (np.ndarray): filtered audio, same shape as audio, float64.
"""


def preemphasis(audio: np.ndarray, coeff: float) -> np.ndarray:
    x = np.asarray(audio, dtype=np.float64)
    return np.asarray(signal.lfilter([1.0, -coeff], [1.0], x), dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, 4000)
    for coeff in (0.97, 0.5):
        y = fn(x.copy(), coeff)
        assert isinstance(y, np.ndarray), f"expected np.ndarray, got {type(y).__name__}"
        assert y.shape == x.shape, f"shape {y.shape} != input shape {x.shape}"
        expected = np.concatenate([[x[0]], x[1:] - coeff * x[:-1]])
        assert np.allclose(y, expected, atol=1e-9), (
            f"coeff={coeff}: y[n] must be x[n] - coeff*x[n-1] with y[0] = x[0]"
        )
    y1 = fn(np.array([0.25]), 0.97)
    assert np.allclose(np.asarray(y1), [0.25]), "a one-sample input must come back unchanged"
    fs = 16000.0
    t = np.arange(16000) / fs
    low = fn(np.sin(2 * np.pi * 100 * t), 0.97)
    high = fn(np.sin(2 * np.pi * 6000 * t), 0.97)
    assert np.std(high) > 10 * np.std(low), "pre-emphasis must boost high frequencies over low ones"
