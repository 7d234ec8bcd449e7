"""Confusion matrix, accuracy and macro F1 of a multi-class classifier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "data_confusion_metrics",
    "category": "classification",
    "modality": "data",
    "difficulty": "easy",
    "methods": ["confusion_matrix", "f1_score", "bincount"],
}

FUNCTION = "classification_report"
SPEC = """Target: Evaluate predictions: confusion matrix C with C[i, j] = number of samples of true
class i predicted as class j, accuracy, and macro-averaged F1 over all n_classes classes (a class
with no true and no predicted samples has F1 = 0).

Input Specification:
- y_true (np.ndarray): true class labels 0..n_classes-1, int64, shape (n,).
- y_pred (np.ndarray): predicted class labels, int64, shape (n,).
- n_classes (int): number of classes.

Output Specification:
- confusion (np.ndarray): counts, int64, shape (n_classes, n_classes), rows = true class.
- accuracy (float): fraction of correct predictions in [0, 1].
- macro_f1 (float): unweighted mean of the per-class F1 scores in [0, 1].
"""


def classification_report(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int
) -> tuple[np.ndarray, float, float]:
    yt, yp = np.asarray(y_true, dtype=np.int64), np.asarray(y_pred, dtype=np.int64)
    cm = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(cm, (yt, yp), 1)
    tp = np.diag(cm).astype(float)
    denom = cm.sum(0) + cm.sum(1)
    f1 = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 0.0)
    return cm, float(tp.sum() / max(yt.size, 1)), float(f1.mean())


def check(fn: Callable[..., Any]) -> None:
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 0])
    y_pred = np.array([0, 1, 0, 1, 1, 2, 0, 2, 2, 0])
    out = fn(y_true.copy(), y_pred.copy(), 4)
    assert isinstance(out, tuple) and len(out) == 3, "return (confusion, accuracy, macro_f1)"
    cm, acc, f1 = np.asarray(out[0]), float(out[1]), float(out[2])
    expected = np.array([[3, 1, 0, 0], [0, 2, 0, 0], [1, 0, 3, 0], [0, 0, 0, 0]])
    assert cm.shape == (4, 4), f"confusion shape {cm.shape}, expected (4, 4) for n_classes=4"
    assert np.array_equal(cm, expected), f"confusion matrix (rows = true) wrong:\n{cm}"
    assert abs(acc - 0.8) < 1e-9, f"accuracy {acc}, expected 0.8 (a fraction, not percent)"
    f1s = [2 * 3 / (4 + 4), 2 * 2 / (3 + 2), 2 * 3 / (3 + 4), 0.0]
    assert abs(f1 - np.mean(f1s)) < 1e-9, f"macro F1 {f1:.4f}, expected {np.mean(f1s):.4f}"
