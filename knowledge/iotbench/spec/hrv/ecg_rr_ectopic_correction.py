"""Detect and correct ectopic and missed-beat artefacts in an R-R series."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import ndimage

TASK = {
    "id": "ecg_rr_ectopic_correction",
    "category": "hrv",
    "modality": "ecg",
    "difficulty": "hard",
    "methods": ["median_filter", "medfilt", "median", "interp"],
}

FUNCTION = "correct_rr"
SPEC = """Target: Flag R-R intervals that deviate by more than 20 % from the median of a centred
window of 5 intervals (window truncated at the ends) as artefacts (ectopic, missed or extra
beats), and replace each flagged interval by linear interpolation between the nearest
unflagged intervals (by interval index; the ends take the nearest unflagged value).

Input Specification:
- rr_s (np.ndarray): R-R intervals in seconds, float64, shape (n_intervals,).

Output Specification:
- rr_clean_s (np.ndarray): corrected R-R intervals in seconds, float64, shape (n_intervals,).
- artefacts (np.ndarray): bool mask of flagged intervals, shape (n_intervals,).
"""


def correct_rr(rr_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rr = np.asarray(rr_s, dtype=np.float64)
    med = ndimage.median_filter(rr, size=5, mode="nearest")
    bad = np.abs(rr - med) > 0.2 * med
    idx = np.arange(rr.size)
    clean = rr.copy()
    if bad.any() and (~bad).any():
        clean[bad] = np.interp(idx[bad], idx[~bad], rr[~bad])
    return clean, bad


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(19)
    n = 400
    true = 0.8 + 0.03 * np.sin(np.arange(n) / 10.0) + rng.normal(0, 0.01, n)
    rr = true.copy()
    bad = np.zeros(n, dtype=bool)
    for i in (40, 120, 260):  # premature beat + compensatory pause
        rr[i], rr[i + 1] = 0.55 * true[i], true[i + 1] + 0.45 * true[i]
        bad[[i, i + 1]] = True
    for i in (200, 330):  # missed beat
        rr[i] = true[i] * 2.0
        bad[i] = True
    rr[3] = 0.4 * true[3]  # artefact near the start
    bad[3] = True
    out = fn(rr.copy())
    assert isinstance(out, tuple) and len(out) == 2, "return (rr_clean_s, artefacts)"
    clean, flags = np.asarray(out[0], dtype=float), np.asarray(out[1])
    assert clean.shape == rr.shape and flags.shape == rr.shape, "outputs must keep the input shape"
    assert flags.dtype == bool, f"artefacts must be a bool mask, got {flags.dtype}"
    missed = np.flatnonzero(bad & ~flags)
    assert missed.size == 0, f"artefacts not flagged at intervals {missed.tolist()}"
    false = int(np.sum(flags & ~bad))
    assert false <= 4, f"{false} normal intervals flagged as artefacts"
    err = np.abs(clean[bad] - true[bad])
    assert np.all(err < 0.04), f"corrected intervals off by up to {err.max() * 1000:.0f} ms"
    ok = ~flags
    assert np.allclose(clean[ok], rr[ok]), "intervals that are not artefacts must not change"
