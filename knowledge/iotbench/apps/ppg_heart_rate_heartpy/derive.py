"""Derive the frozen per-window heart-rate reference for heartpy's data3.csv.

The recording ships without a heart-rate reference, so one is derived per non-overlapping 10 s
window from three independent estimators:

1. heartpy.process (heartpy 1.2.7) on the window -> its "bpm";
2. scipy peak detection written here: 0.5-4 Hz zero-phase band-pass, find_peaks with 0.33 s
   distance and 0.5 * std prominence, HR = 60 / median inter-beat interval;
3. spectral: Welch PSD peak in 0.7-3.5 Hz of the band-passed window, times 60.

A window's reference is the median of the estimates that agree within 5 bpm of that median when
at least two agree; otherwise the window has no reference (null) and is not scored.
Run: .venv/bin/python knowledge/iotbench/apps/ppg_heart_rate_heartpy/derive.py
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy import signal

sys.path.insert(0, str(Path(__file__).parent))
from evaluate import WINDOW_S, load_inputs


def estimates(seg: np.ndarray, filt: np.ndarray, fs: float) -> list[float]:
    import heartpy

    out: list[float] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            _, m = heartpy.process(seg, fs)
            if np.isfinite(m["bpm"]):
                out.append(float(m["bpm"]))
        except Exception:  # heartpy raises on windows it cannot analyse
            pass
    peaks, _ = signal.find_peaks(filt, distance=round(0.33 * fs), prominence=0.5 * filt.std())
    if peaks.size >= 3:
        out.append(60.0 / float(np.median(np.diff(peaks) / fs)))
    f, p = signal.welch(filt, fs=fs, nperseg=filt.size, nfft=8192)
    band = (f >= 0.7) & (f <= 3.5)
    out.append(60.0 * float(f[band][np.argmax(p[band])]))
    return out


def agree(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    med = float(np.median(values))
    close = [v for v in values if abs(v - med) <= 5.0]
    return float(np.median(close)) if len(close) >= 2 else None


def main() -> None:
    inputs = load_inputs()
    ppg, fs = inputs["ppg"], inputs["fs"]
    sos = signal.butter(2, [0.5, 4.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, ppg)
    win = round(WINDOW_S * fs)
    n = ppg.size // win
    ref = [
        agree(estimates(ppg[i * win : (i + 1) * win], filt[i * win : (i + 1) * win], fs))
        for i in range(n)
    ]
    data = {
        "derived": True,
        "recording": "heartpy/data/data3.csv (heartpy 1.2.7), column hr, datetime stamps",
        "fs": fs,
        "window_s": WINDOW_S,
        "method": "median of >= 2 of {heartpy.process, scipy find_peaks, Welch peak} within 5 bpm",
        "hr_bpm": ref,
    }
    path = Path(__file__).with_name("reference.json")
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    valid = [r for r in ref if r is not None]
    print(f"{len(valid)}/{n} windows with a reference, median {np.median(valid):.1f} bpm -> {path}")


if __name__ == "__main__":
    main()
