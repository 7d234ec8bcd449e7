"""Frame-wise spectral centroid of an audio signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "audio_spectral_centroid",
    "category": "spectral",
    "modality": "audio",
    "difficulty": "medium",
    "methods": ["rfft", "rfftfreq", "stft", "hann"],
}

FUNCTION = "spectral_centroid"
SPEC = """Target: Spectral centroid per frame: frames of frame_len samples every hop samples without
padding (n_frames = 1 + (n_samples - frame_len) // hop), Hann window, magnitude spectrum |rfft|;
centroid = sum(f * |X|) / sum(|X|) in Hz; frames whose magnitude sum is below 1e-10 get 0.

Input Specification:
- audio (np.ndarray): 1-D mono audio in [-1, 1], float64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- frame_len (int): frame length in samples, e.g. 1024.
- hop (int): hop between frames in samples, e.g. 512.

Output Specification:
- centroid_hz (np.ndarray): spectral centroid per frame in Hz, float64, shape (n_frames,).
"""


def spectral_centroid(audio: np.ndarray, fs: float, frame_len: int, hop: int) -> np.ndarray:
    x = np.asarray(audio, dtype=np.float64)
    n_frames = 1 + (x.size - frame_len) // hop
    idx = np.arange(frame_len)[None, :] + hop * np.arange(n_frames)[:, None]
    mag = np.abs(np.fft.rfft(x[idx] * np.hanning(frame_len), axis=1))
    freqs = np.fft.rfftfreq(frame_len, 1.0 / fs)
    total = mag.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cent = np.where(total > 1e-10, (mag @ freqs) / np.maximum(total, 1e-300), 0.0)
    return cent


def check(fn: Callable[..., Any]) -> None:
    fs = 16000.0
    t = np.arange(32000) / fs
    x = np.where(t < 0.8, 0.5 * np.sin(2 * np.pi * 1000 * t), 0.0)
    two = 0.3 * (np.sin(2 * np.pi * 500 * t) + np.sin(2 * np.pi * 2500 * t))
    x = np.where((t >= 1.2) & (t < 2.0), two, x)
    out = fn(x.copy(), fs, 1024, 512)
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    n_frames = 1 + (32000 - 1024) // 512
    assert out.shape == (n_frames,), f"shape {out.shape}, expected ({n_frames},)"
    frame_t = (np.arange(n_frames) * 512 + 512) / fs
    tone = frame_t < 0.7
    assert np.all(np.abs(out[tone] - 1000) < 60), "a 1 kHz tone has its centroid at 1000 Hz (Hz)"
    silent = (frame_t > 0.9) & (frame_t < 1.1)
    assert np.all(out[silent] == 0.0), "silent frames must have centroid 0"
    mix = (frame_t > 1.3) & (frame_t < 1.9)
    assert np.all(np.abs(out[mix] - 1500) < 80), "equal 500 Hz and 2500 Hz tones centre at 1500 Hz"
