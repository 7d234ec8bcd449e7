"""Inputs and score of the smartwatch repetition-counting application (see task.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

REFERENCE = Path(__file__).with_name("reference.json")


def load_inputs() -> dict[str, Any]:
    from seglearn.datasets import load_watch

    data = load_watch()
    return {"recordings": [np.asarray(x, dtype=np.float64) for x in data["X"]], "fs": 50.0}


def score(outputs: dict[str, Any]) -> dict[str, float]:
    reference = np.asarray(json.loads(REFERENCE.read_text(encoding="utf-8"))["counts"], dtype=float)
    raw = outputs.get("counts")
    pred = np.asarray(raw if raw is not None else [], dtype=np.float64).ravel()
    if pred.size != reference.size:
        return {"mae_reps": float("inf"), "within_1": 0.0, "exact": 0.0}
    err = np.abs(pred - reference)
    return {
        "mae_reps": float(np.mean(err)),
        "within_1": float(np.mean(err <= 1)),
        "exact": float(np.mean(err == 0)),
    }
