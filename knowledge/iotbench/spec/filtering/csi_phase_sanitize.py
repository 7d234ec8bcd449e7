"""Sanitise WiFi CSI phase: unwrap across subcarriers and remove the linear phase error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

TASK = {
    "id": "csi_phase_sanitize",
    "category": "filtering",
    "modality": "csi",
    "difficulty": "hard",
    "methods": ["unwrap", "polyfit", "lstsq", "angle"],
}

FUNCTION = "sanitize_csi_phase"
SPEC = """Target: Sanitise CSI phase per packet: take np.angle of the complex CSI, unwrap it along
the
subcarrier axis, then fit phase = a * k + b over the subcarrier indices k by least squares and
subtract the fit (removes sampling-time offset and carrier-frequency offset).

Input Specification:
- csi (np.ndarray): complex channel state information, shape (n_packets, n_subcarriers).
- subcarrier_idx (np.ndarray): integer subcarrier indices k, shape (n_subcarriers,), e.g. -28..28.

Output Specification:
- phase (np.ndarray): sanitised phase in radians, shape (n_packets, n_subcarriers), float64.
"""


def sanitize_csi_phase(csi: np.ndarray, subcarrier_idx: np.ndarray) -> np.ndarray:
    phase = np.unwrap(np.angle(np.asarray(csi)), axis=1)
    k = np.asarray(subcarrier_idx, dtype=np.float64)
    design = np.column_stack([k, np.ones_like(k)])
    coef, *_ = np.linalg.lstsq(design, phase.T, rcond=None)
    return np.asarray(phase - (design @ coef).T, dtype=np.float64)


def check(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(11)
    k = np.array([i for i in range(-28, 29) if i != 0])
    n_packets = 40
    design = np.column_stack([k, np.ones(k.size)])
    proj = design @ np.linalg.pinv(design)
    true = 0.3 * np.sin(2 * np.pi * k / 19.0)[None, :] + 0.05 * rng.standard_normal(
        (n_packets, k.size)
    )
    true = true - true @ proj.T  # no linear part: what sanitisation must return
    slope = rng.uniform(-0.4, 0.4, (n_packets, 1))
    offset = rng.uniform(-np.pi, np.pi, (n_packets, 1))
    amp = rng.uniform(0.5, 2.0, (n_packets, k.size))
    csi = amp * np.exp(1j * (true + slope * k[None, :] + offset))
    out = fn(csi.copy(), k.copy())
    assert isinstance(out, np.ndarray), f"expected np.ndarray, got {type(out).__name__}"
    assert out.shape == csi.shape, f"shape {out.shape} != {csi.shape}"
    assert not np.iscomplexobj(out), "return the phase in radians (real), not complex CSI"
    err = float(np.max(np.abs(out - true)))
    assert err < 1e-6, f"sanitised phase differs from the true residual phase by {err:.3g} rad"
