"""Log-mel spectrogram of an audio signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "audio_log_mel_spectrogram",
    "category": "windowing_features",
    "modality": "audio",
    "difficulty": "hard",
    "methods": ["mel", "rfft", "stft", "hann", "log10"],
}

FUNCTION = "log_mel_spectrogram"
SPEC = """Target: Log-mel spectrogram: frames of n_fft samples every hop samples without padding
(n_frames = 1 + (n_samples - n_fft) // hop), Hann window, power spectrum |rfft|^2, n_mels
triangular filters with centres equally spaced on the HTK mel scale mel = 2595 * log10(1 + f / 700)
between 0 Hz and fs / 2, then 10 * log10(mel power + 1e-10) in dB.

Input Specification:
- audio (np.ndarray): 1-D mono audio in [-1, 1], float64, shape (n_samples,).
- fs (float): sampling rate in Hz.
- n_fft (int): frame length in samples, e.g. 512.
- hop (int): hop between frames in samples, e.g. 160.
- n_mels (int): number of mel bands, e.g. 40.

Output Specification:
- log_mel (np.ndarray): log-mel energies in dB, shape (n_mels, n_frames), float64.
"""


def log_mel_spectrogram(
    audio: np.ndarray, fs: float, n_fft: int, hop: int, n_mels: int
) -> np.ndarray:
    x = np.asarray(audio, dtype=np.float64)
    n_frames = 1 + (x.size - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(n_frames)[:, None]
    power = np.abs(np.fft.rfft(x[idx] * np.hanning(n_fft + 1)[:-1], axis=1)) ** 2
    freqs = np.fft.rfftfreq(n_fft, 1.0 / fs)
    mel_max = 2595 * np.log10(1 + (fs / 2) / 700)
    hz = 700 * (10 ** (np.linspace(0, mel_max, n_mels + 2) / 2595) - 1)
    fb = np.zeros((n_mels, freqs.size))
    for m in range(n_mels):
        lo, c, hi = hz[m], hz[m + 1], hz[m + 2]
        fb[m] = np.clip(np.minimum((freqs - lo) / (c - lo), (hi - freqs) / (hi - c)), 0, None)
    return 10 * np.log10(fb @ power.T + 1e-10)


def check(fn: Callable[..., Any]) -> None:
    fs = 16000.0
    t = np.arange(16000) / fs
    mel_max = 2595 * np.log10(1 + (fs / 2) / 700)
    centres = 700 * (10 ** (np.linspace(0, mel_max, 42) / 2595) - 1)[1:-1]
    peak_bands = []
    for f0 in (500.0, 1000.0, 3000.0):
        tone = 0.1 * np.sin(2 * np.pi * f0 * t)
        out = fn(tone.copy(), fs, 512, 160, 40)
        assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
        n_frames = 1 + (16000 - 512) // 160
        assert out.shape == (40, n_frames), (
            f"shape {out.shape}, expected (40, {n_frames}) (n_mels first)"
        )
        band = int(np.argmax(out[:, n_frames // 2]))
        nearest = int(np.argmin(np.abs(centres - f0)))
        assert abs(band - nearest) <= 1, (
            f"{f0:.0f} Hz tone peaks in mel band {band}, expected band {nearest} (HTK mel scale "
            "from 0 to fs/2)"
        )
        peak_bands.append(band)
        loud = np.asarray(fn(10 * tone, fs, 512, 160, 40))
        gain = float(loud[band, n_frames // 2] - out[band, n_frames // 2])
        assert abs(gain - 20.0) < 0.5, f"x10 amplitude must add 20 dB (power in dB), got {gain:.2f}"
    assert peak_bands[0] < peak_bands[1] < peak_bands[2], "higher tones must map to higher bands"
    silent = np.asarray(fn(np.zeros(4000), fs, 512, 160, 40))
    assert np.all(np.isfinite(silent)), "silence must give finite values (add 1e-10 before log)"
