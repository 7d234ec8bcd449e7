"""Inputs and score of the heartpy PPG heart-rate application (see task.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

REFERENCE = Path(__file__).with_name("reference.json")
WINDOW_S = 10.0


def load_inputs() -> dict[str, Any]:
    """data3.csv: finger PPG with datetime stamps; the sampling rate comes from the stamps."""
    import heartpy
    import pandas as pd

    path = Path(heartpy.__file__).parent / "data" / "data3.csv"
    frame = pd.read_csv(path)
    times = pd.to_datetime(frame["datetime"], format="ISO8601")
    stamps = (times - times.iloc[0]).dt.total_seconds().to_numpy()
    fs = (stamps.size - 1) / (stamps[-1] - stamps[0])
    return {"ppg": frame["hr"].to_numpy(dtype=np.float64), "fs": float(fs)}


def score(outputs: dict[str, Any]) -> dict[str, float]:
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    reference = np.asarray([np.nan if v is None else v for v in ref["hr_bpm"]], dtype=np.float64)
    raw = outputs.get("hr_bpm")
    pred = np.asarray(raw if raw is not None else [], dtype=np.float64).ravel()
    valid = ~np.isnan(reference)
    n = reference.size
    if pred.size != n:
        return {"mae_bpm": float("inf"), "within_5bpm": 0.0, "coverage": 0.0}
    answered = valid & np.isfinite(pred)
    err = np.abs(pred[answered] - reference[answered])
    return {
        "mae_bpm": float(err.mean()) if err.size else float("inf"),
        "within_5bpm": float(np.sum(err <= 5.0) / valid.sum()),
        "coverage": float(answered.sum() / valid.sum()),
    }
