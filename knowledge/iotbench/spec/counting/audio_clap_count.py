"""Count hand claps in an audio recording from its short-time energy envelope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "audio_clap_count",
    "category": "counting",
    "modality": "audio",
    "difficulty": "medium",
    "methods": ["short_time_energy", "rms", "find_peaks", "log10"],
}

FUNCTION = "count_claps"
SPEC = """Target: Count claps: short-time energy in non-overlapping 10 ms frames, in dB
(10 * log10(mean square + 1e-12)); the noise floor is the median frame energy in dB; a clap
starts at a frame that rises above noise floor + 15 dB while the previous frame was below it, and
starts closer than 0.1 s to the previous counted clap are ignored.

Input Specification:
- audio (np.ndarray): 1-D mono audio in [-1, 1], float64, shape (n_samples,).
- fs (float): sampling rate in Hz.

Output Specification:
- n_claps (int): number of claps.
"""


def count_claps(audio: np.ndarray, fs: float) -> int:
    x = np.asarray(audio, dtype=np.float64)
    frame = max(1, round(0.01 * fs))
    n = x.size // frame
    energy = 10 * np.log10(np.mean(x[: n * frame].reshape(n, frame) ** 2, axis=1) + 1e-12)
    above = energy > np.median(energy) + 15.0
    starts = np.flatnonzero(above & ~np.concatenate([[False], above[:-1]]))
    count, last = 0, -np.inf
    for s in starts * frame / fs:
        if s - last >= 0.1:
            count += 1
            last = s
    return count


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(73)
    for fs in (16000.0, 44100.0):
        duration = 8.0
        t = np.arange(int(duration * fs)) / fs
        x = 0.003 * rng.standard_normal(t.size)
        claps = np.array([0.5, 1.2, 1.5, 2.9, 3.3, 4.0, 5.8, 6.1, 7.4])
        for c, amp in zip(claps, rng.uniform(0.2, 0.9, claps.size), strict=True):
            i = int(c * fs)
            m = int(0.08 * fs)
            x[i : i + m] += amp * rng.standard_normal(m) * np.exp(-np.arange(m) / (0.012 * fs))
        got = fn(x.copy(), fs)
        assert isinstance(got, (int, np.integer)), f"expected an int, got {type(got).__name__}"
        assert int(got) == claps.size, f"fs={fs}: {int(got)} claps counted, expected {claps.size}"
    quiet = 0.003 * rng.standard_normal(16000)
    assert int(fn(quiet, 16000.0)) == 0, "background noise alone has no claps"
