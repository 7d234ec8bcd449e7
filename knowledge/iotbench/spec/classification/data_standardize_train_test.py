"""Standardise features with statistics fitted on the training set only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "data_standardize_train_test",
    "category": "classification",
    "modality": "data",
    "difficulty": "easy",
    "methods": ["StandardScaler", "mean", "std"],
}

FUNCTION = "standardize"
SPEC = """Target: Z-score standardisation without test leakage: per feature column, mean and
standard
deviation (ddof=0) from the training rows only, applied to both sets; a feature with zero
training standard deviation is scaled by 1 (only centred).

Input Specification:
- x_train (np.ndarray): training features, shape (n_train, n_features), float64.
- x_test (np.ndarray): test features, shape (n_test, n_features), float64.

Output Specification:
- z_train (np.ndarray): standardised training features, shape (n_train, n_features).
- z_test (np.ndarray): test features standardised with the training statistics,
  shape (n_test, n_features).
"""


def standardize(x_train: np.ndarray, x_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.asarray(x_train, dtype=np.float64), np.asarray(x_test, dtype=np.float64)
    mu, sd = a.mean(axis=0), a.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return (a - mu) / sd, (b - mu) / sd


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(139)
    tr = rng.normal([10, -5, 0], [2, 0.1, 1], (200, 3))
    tr[:, 2] = 7.0  # constant feature
    te = rng.normal([30, -5, 0], [2, 0.1, 1], (50, 3))
    out = fn(tr.copy(), te.copy())
    assert isinstance(out, tuple) and len(out) == 2, "return (z_train, z_test)"
    z_tr, z_te = np.asarray(out[0], float), np.asarray(out[1], float)
    assert z_tr.shape == tr.shape and z_te.shape == te.shape, "shapes must match the inputs"
    assert np.allclose(z_tr[:, :2].mean(0), 0, atol=1e-9) and np.allclose(z_tr[:, :2].std(0), 1), (
        "training features must have mean 0 and std 1 per column (axis 0)"
    )
    mu, sd = tr.mean(0), tr.std(0)
    assert np.allclose(z_te[:, :2], (te[:, :2] - mu[:2]) / sd[:2]), (
        "test features must use the TRAINING mean and std (no refit on the test set)"
    )
    assert np.all(np.isfinite(z_tr)) and np.allclose(z_tr[:, 2], 0), "a constant feature becomes 0"
