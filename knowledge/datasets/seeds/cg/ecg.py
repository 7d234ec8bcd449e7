"""CG seeds: ECG reference implementations."""

import numpy as np
from scipy import signal

MODALITY = "ecg"


def remove_baseline_wander(ecg: np.ndarray, fs: float) -> np.ndarray:
    """Remove baseline wander from an ECG.

    Method: two cascaded median filters of 0.2 s and 0.6 s (odd lengths in samples) estimate the
    baseline, which is subtracted.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - corrected (np.ndarray): ECG without baseline wander in mV, shape (n_samples,).
    """
    ecg = np.asarray(ecg, dtype=float)
    if ecg.size == 0:
        return ecg.copy()
    k1 = int(0.2 * fs) // 2 * 2 + 1
    k2 = int(0.6 * fs) // 2 * 2 + 1
    baseline = signal.medfilt(signal.medfilt(ecg, k1), k2)
    return ecg - baseline


def check_remove_baseline_wander() -> None:
    fs = 250.0
    t = np.arange(0, 10, 1 / fs)
    y = remove_baseline_wander(0.8 * np.sin(2 * np.pi * 0.2 * t), fs)
    assert y.shape == t.shape and np.abs(y[200:-200]).max() < 0.2


def rr_intervals_seconds(r_peaks: np.ndarray, fs: float) -> np.ndarray:
    """R-R intervals from R-peak sample indices, in seconds.

    Method: first difference of the sorted R-peak indices divided by the sampling rate.

    Parameters
    - r_peaks (np.ndarray): R-peak sample indices, shape (n_beats,).
    - fs (float): sampling rate in Hz.

    Returns
    - rr_s (np.ndarray): R-R intervals in seconds, shape (n_beats - 1,).
    """
    peaks = np.sort(np.asarray(r_peaks, dtype=float))
    if peaks.size < 2:
        return np.empty(0)
    return np.diff(peaks) / fs


def check_rr_intervals_seconds() -> None:
    rr = rr_intervals_seconds(np.array([0, 360, 720, 1008]), 360.0)
    assert np.allclose(rr, [1.0, 1.0, 0.8])
    assert rr_intervals_seconds(np.array([5]), 360.0).size == 0


def heart_rate_bpm_from_rr(rr_s: np.ndarray) -> float:
    """Mean heart rate in beats per minute from R-R intervals.

    Method: 60 divided by the mean R-R interval in seconds; 0.0 when there is no interval.

    Parameters
    - rr_s (np.ndarray): R-R intervals in seconds, shape (n_intervals,).

    Returns
    - heart_rate_bpm (float): mean heart rate in beats per minute.
    """
    rr = np.asarray(rr_s, dtype=float)
    rr = rr[rr > 0]
    if rr.size == 0:
        return 0.0
    return float(60.0 / rr.mean())


def check_heart_rate_bpm_from_rr() -> None:
    assert abs(heart_rate_bpm_from_rr(np.array([0.8, 0.8, 0.8])) - 75.0) < 1e-9
    assert heart_rate_bpm_from_rr(np.array([])) == 0.0


def time_domain_hrv(rr_s: np.ndarray) -> tuple[float, float, float]:
    """Time-domain heart-rate variability from R-R intervals.

    Method: SDNN (sample standard deviation of the intervals), RMSSD (root mean square of
    successive differences) and pNN50 (percentage of successive differences above 50 ms).

    Parameters
    - rr_s (np.ndarray): R-R intervals in seconds, shape (n_intervals,).

    Returns
    - sdnn_ms (float): SDNN in milliseconds.
    - rmssd_ms (float): RMSSD in milliseconds.
    - pnn50 (float): pNN50 in percent.
    """
    rr = np.asarray(rr_s, dtype=float) * 1000.0
    if rr.size < 3:
        return 0.0, 0.0, 0.0
    diff = np.diff(rr)
    sdnn = float(np.std(rr, ddof=1))
    rmssd = float(np.sqrt(np.mean(diff**2)))
    pnn50 = float(100.0 * np.mean(np.abs(diff) > 50.0))
    return sdnn, rmssd, pnn50


def check_time_domain_hrv() -> None:
    sdnn, rmssd, pnn50 = time_domain_hrv(np.array([0.8, 0.9, 0.8, 0.9, 0.8]))
    assert abs(rmssd - 100.0) < 1e-6 and pnn50 == 100.0 and sdnn > 0


def detect_r_peaks_pan_tompkins(ecg: np.ndarray, fs: float) -> np.ndarray:
    """Detect R-peaks in a single-lead ECG with a simplified Pan-Tompkins detector.

    Method: 5-15 Hz Butterworth band-pass (order 2, zero phase), derivative, squaring, 150 ms
    moving-window integration, peaks above 30 % of the maximum at least 0.25 s apart, refined to
    the ECG maximum within 75 ms.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - r_peaks (np.ndarray): R-peak sample indices, shape (n_beats,).
    """
    ecg = np.asarray(ecg, dtype=float)
    if ecg.size < int(fs):
        return np.empty(0, dtype=int)
    sos = signal.butter(2, [5.0, 15.0], btype="bandpass", fs=fs, output="sos")
    filtered = signal.sosfiltfilt(sos, ecg)
    squared = np.gradient(filtered) ** 2
    width = max(1, int(0.15 * fs))
    integrated = np.convolve(squared, np.ones(width) / width, mode="same")
    peaks, _ = signal.find_peaks(
        integrated, height=0.3 * integrated.max(), distance=max(1, int(0.25 * fs))
    )
    half = max(1, int(0.075 * fs))
    refined = [max(0, p - half) + int(np.argmax(ecg[max(0, p - half) : p + half])) for p in peaks]
    return np.unique(np.asarray(refined, dtype=int))


def check_detect_r_peaks_pan_tompkins() -> None:
    fs = 360.0
    x = np.zeros(int(10 * fs))
    truth = np.arange(200, x.size - 100, int(0.8 * fs))
    for p in truth:
        x[p - 5 : p + 6] += np.hanning(11) * 1.5
    found = detect_r_peaks_pan_tompkins(x, fs)
    assert len(found) == len(truth)
    assert np.max(np.abs(found - truth)) <= 3


def qrs_duration_ms(ecg: np.ndarray, r_peaks: np.ndarray, fs: float) -> np.ndarray:
    """Approximate QRS width around each R-peak, in milliseconds.

    Method: width of the absolute ECG above half the R amplitude (scipy.signal.peak_widths at
    rel_height 0.5), converted from samples to ms.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).
    - r_peaks (np.ndarray): R-peak sample indices, shape (n_beats,).
    - fs (float): sampling rate in Hz.

    Returns
    - widths_ms (np.ndarray): QRS widths in milliseconds, shape (n_beats,).
    """
    ecg = np.asarray(ecg, dtype=float)
    peaks = np.asarray(r_peaks, dtype=int)
    if peaks.size == 0:
        return np.empty(0)
    widths, _, _, _ = signal.peak_widths(np.abs(ecg), peaks, rel_height=0.5)
    return widths / fs * 1000.0


def check_qrs_duration_ms() -> None:
    x = np.zeros(1000)
    x[490:511] = np.hanning(21)
    w = qrs_duration_ms(x, np.array([500]), 1000.0)
    assert w.shape == (1,) and 8 < w[0] < 14


def ectopic_beat_mask(rr_s: np.ndarray, tolerance: float) -> np.ndarray:
    """Flag ectopic or missed beats from R-R intervals.

    Method: an interval deviating from the running median of 5 intervals by more than
    tolerance (a fraction, e.g. 0.2 for 20 %) is flagged.

    Parameters
    - rr_s (np.ndarray): R-R intervals in seconds, shape (n_intervals,).
    - tolerance (float): allowed relative deviation from the local median.

    Returns
    - ectopic (np.ndarray): boolean mask, shape (n_intervals,).
    """
    rr = np.asarray(rr_s, dtype=float)
    if rr.size == 0:
        return np.zeros(0, dtype=bool)
    k = 5 if rr.size >= 5 else (rr.size // 2) * 2 + 1
    med = signal.medfilt(rr, kernel_size=k)
    return np.abs(rr - med) > tolerance * med


def check_ectopic_beat_mask() -> None:
    m = ectopic_beat_mask(np.array([0.8, 0.8, 0.8, 0.4, 0.8, 0.8, 0.8]), 0.2)
    assert m.tolist() == [False, False, False, True, False, False, False]


def lf_hf_ratio(rr_s: np.ndarray) -> float:
    """LF/HF ratio of heart-rate variability.

    Method: interpolate the R-R series at 4 Hz (cubic spline via scipy.interpolate), Welch PSD,
    power in 0.04-0.15 Hz (LF) divided by power in 0.15-0.4 Hz (HF).

    Parameters
    - rr_s (np.ndarray): R-R intervals in seconds, shape (n_intervals,).

    Returns
    - ratio (float): LF/HF power ratio (0.0 when there are too few beats).
    """
    from scipy.interpolate import CubicSpline

    rr = np.asarray(rr_s, dtype=float)
    if rr.size < 10:
        return 0.0
    t = np.cumsum(rr)
    grid = np.arange(t[0], t[-1], 0.25)
    series = CubicSpline(t, rr)(grid)
    f, p = signal.welch(series - series.mean(), fs=4.0, nperseg=min(256, series.size))
    lf = np.trapezoid(p[(f >= 0.04) & (f < 0.15)], f[(f >= 0.04) & (f < 0.15)])
    hf = np.trapezoid(p[(f >= 0.15) & (f < 0.4)], f[(f >= 0.15) & (f < 0.4)])
    return float(lf / hf) if hf > 0 else 0.0


def check_lf_hf_ratio() -> None:
    n = np.arange(300)
    t = np.cumsum(np.full(300, 0.8))
    rr_hf = 0.8 + 0.05 * np.sin(2 * np.pi * 0.25 * t)
    rr_lf = 0.8 + 0.05 * np.sin(2 * np.pi * 0.1 * t)
    assert lf_hf_ratio(rr_hf) < 1.0 < lf_hf_ratio(rr_lf)
    assert n.size == 300


def notch_powerline_ecg(ecg: np.ndarray, fs: float, mains_hz: float) -> np.ndarray:
    """Suppress mains interference and its second harmonic in an ECG.

    Method: two IIR notch filters (scipy.signal.iirnotch, quality factor 30) at mains_hz and
    2 * mains_hz (skipped above Nyquist), applied forward-backward with filtfilt.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - mains_hz (float): mains frequency in Hz (50 or 60).

    Returns
    - cleaned (np.ndarray): ECG in mV without mains interference, shape (n_samples,).
    """
    y = np.asarray(ecg, dtype=float)
    if y.size < 16:
        return y.copy()
    for f0 in (mains_hz, 2 * mains_hz):
        if f0 < fs / 2:
            b, a = signal.iirnotch(f0, 30.0, fs=fs)
            y = signal.filtfilt(b, a, y)
    return y


def check_notch_powerline_ecg() -> None:
    fs = 500.0
    t = np.arange(0, 4, 1 / fs)
    y = notch_powerline_ecg(np.sin(2 * np.pi * 60 * t) + np.sin(2 * np.pi * 120 * t), fs, 60.0)
    assert np.abs(y[500:-500]).max() < 0.1
