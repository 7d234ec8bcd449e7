"""Inputs and score of the smartwatch exercise-recognition application (see task.json)."""

from __future__ import annotations

from typing import Any

import numpy as np

TRAIN_SUBJECTS = (1, 2, 3, 4, 5, 6, 7)
TEST_SUBJECTS = (8, 9, 10)


def _split() -> tuple[list[np.ndarray], np.ndarray, list[np.ndarray], np.ndarray]:
    from seglearn.datasets import load_watch

    data = load_watch()
    subjects = np.asarray(data["subject"])
    xs = [np.asarray(x, dtype=np.float64) for x in data["X"]]
    y = np.asarray(data["y"], dtype=np.int64)
    train = np.isin(subjects, TRAIN_SUBJECTS)
    test = np.isin(subjects, TEST_SUBJECTS)
    return (
        [x for x, k in zip(xs, train, strict=True) if k],
        y[train],
        [x for x, k in zip(xs, test, strict=True) if k],
        y[test],
    )


def load_inputs() -> dict[str, Any]:
    x_train, y_train, x_test, _ = _split()
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "fs": 50.0}


def score(outputs: dict[str, Any]) -> dict[str, float]:
    _, _, _, y_test = _split()
    raw = outputs.get("y_pred")
    pred = np.asarray(raw if raw is not None else [], dtype=np.int64).ravel()
    if pred.size != y_test.size:
        return {"accuracy": 0.0, "macro_f1": 0.0, "model_size_bytes": float("nan"),
                "inference_ms_per_recording": float("nan")}  # fmt: skip
    f1s = []
    for c in range(7):
        tp = float(np.sum((pred == c) & (y_test == c)))
        denom = float(np.sum(pred == c) + np.sum(y_test == c))
        f1s.append(2 * tp / denom if denom else 0.0)
    return {
        "accuracy": float(np.mean(pred == y_test)),
        "macro_f1": float(np.mean(f1s)),
        "model_size_bytes": float(outputs.get("model_size_bytes", float("nan"))),
        "inference_ms_per_recording": float(outputs.get("inference_ms", float("nan"))),
    }
