"""Reference solution: per-recording statistical and spectral features + random forest."""

from __future__ import annotations

import pickle
import time
from typing import Any

import numpy as np
from sklearn.ensemble import RandomForestClassifier


def features(recording: np.ndarray, fs: float) -> np.ndarray:
    x = np.asarray(recording, dtype=np.float64)
    centred = x - x.mean(axis=0)
    spec = np.abs(np.fft.rfft(centred, axis=0))
    freqs = np.fft.rfftfreq(x.shape[0], 1.0 / fs)
    dominant = freqs[np.argmax(spec[1:], axis=0) + 1]
    corr = np.corrcoef(x.T)[np.triu_indices(6, 1)]
    return np.concatenate(
        [x.mean(0), x.std(0), np.percentile(x, [10, 90], axis=0).ravel(), dominant, corr]
    )


def solve(inputs: dict[str, Any]) -> dict[str, Any]:
    fs = float(inputs["fs"])
    train = np.stack([features(x, fs) for x in inputs["x_train"]])
    model = RandomForestClassifier(n_estimators=200, random_state=0)
    model.fit(np.nan_to_num(train), inputs["y_train"])
    start = time.perf_counter()
    test = np.stack([features(x, fs) for x in inputs["x_test"]])
    y_pred = model.predict(np.nan_to_num(test))
    elapsed_ms = (time.perf_counter() - start) * 1000 / len(inputs["x_test"])
    return {
        "y_pred": np.asarray(y_pred, dtype=np.int64),
        "model_size_bytes": len(pickle.dumps(model)),
        "inference_ms": elapsed_ms,
    }
