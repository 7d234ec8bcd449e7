"""CG seeds: PPG (photoplethysmography) reference implementations."""

import numpy as np
from scipy import signal

MODALITY = "ppg"


def systolic_peaks_ppg(ppg: np.ndarray, fs: float) -> np.ndarray:
    """Detect systolic peaks in a PPG signal.

    Method: 0.5-8 Hz Butterworth band-pass (order 3, sosfiltfilt), then scipy.signal.find_peaks
    with a minimum distance of 0.33 s (180 bpm) and a prominence of half the filtered standard
    deviation.

    Parameters
    - ppg (np.ndarray): 1-D PPG in arbitrary units, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - peaks (np.ndarray): systolic peak sample indices, shape (n_beats,).
    """
    ppg = np.asarray(ppg, dtype=float)
    if ppg.size < int(2 * fs):
        return np.empty(0, dtype=int)
    sos = signal.butter(3, [0.5, min(8.0, 0.45 * fs)], btype="bandpass", fs=fs, output="sos")
    filtered = signal.sosfiltfilt(sos, ppg)
    peaks, _ = signal.find_peaks(
        filtered, distance=max(1, int(0.33 * fs)), prominence=0.5 * filtered.std()
    )
    return peaks


def check_systolic_peaks_ppg() -> None:
    fs = 64.0
    t = np.arange(0, 20, 1 / fs)
    peaks = systolic_peaks_ppg(np.sin(2 * np.pi * 1.2 * t), fs)
    assert abs(len(peaks) - 24) <= 1


def pulse_rate_spectral_bpm(ppg: np.ndarray, fs: float) -> float:
    """Pulse rate from a PPG window by spectral peak picking, in bpm.

    Method: Welch PSD of the mean-removed PPG (8 s segments, zero-padded to 4096 points), maximum
    within 0.7-3.5 Hz (42-210 bpm), times 60.

    Parameters
    - ppg (np.ndarray): 1-D PPG window in arbitrary units, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - pulse_rate_bpm (float): pulse rate in beats per minute.
    """
    ppg = np.asarray(ppg, dtype=float)
    if ppg.size < 8:
        return 0.0
    nperseg = min(ppg.size, int(8 * fs))
    f, p = signal.welch(ppg - ppg.mean(), fs=fs, nperseg=nperseg, nfft=max(4096, nperseg))
    band = (f >= 0.7) & (f <= 3.5)
    return float(60.0 * f[band][np.argmax(p[band])])


def check_pulse_rate_spectral_bpm() -> None:
    fs = 25.0
    t = np.arange(0, 30, 1 / fs)
    assert abs(pulse_rate_spectral_bpm(np.sin(2 * np.pi * 1.5 * t), fs) - 90) < 2


def perfusion_index(ppg: np.ndarray) -> float:
    """Perfusion index of a PPG window, in percent.

    Method: AC amplitude (95th minus 5th percentile) divided by the DC level (mean), times 100.

    Parameters
    - ppg (np.ndarray): 1-D raw PPG window (positive light intensity), shape (n_samples,).

    Returns
    - perfusion_index (float): pulsatile to static ratio in percent.
    """
    ppg = np.asarray(ppg, dtype=float)
    if ppg.size == 0 or ppg.mean() == 0:
        return 0.0
    ac = np.percentile(ppg, 95) - np.percentile(ppg, 5)
    return float(100.0 * ac / ppg.mean())


def check_perfusion_index() -> None:
    t = np.arange(0, 10, 0.01)
    pi = perfusion_index(1000 + 10 * np.sin(2 * np.pi * t))
    assert 1.5 < pi < 2.1


def spo2_ratio_of_ratios(red: np.ndarray, infrared: np.ndarray) -> float:
    """Blood oxygen saturation from red and infrared PPG with the ratio of ratios.

    Method: R = (AC_red / DC_red) / (AC_ir / DC_ir) with AC the standard deviation and DC the
    mean; SpO2 = 110 - 25 R, clipped to 0-100 %.

    Parameters
    - red (np.ndarray): 1-D red-channel PPG window, shape (n_samples,).
    - infrared (np.ndarray): 1-D infrared-channel PPG window, shape (n_samples,).

    Returns
    - spo2_percent (float): oxygen saturation in percent.
    """
    red = np.asarray(red, dtype=float)
    ir = np.asarray(infrared, dtype=float)
    if red.size < 2 or ir.size < 2 or ir.std() == 0 or red.mean() == 0 or ir.mean() == 0:
        return 0.0
    ratio = (red.std() / red.mean()) / (ir.std() / ir.mean())
    return float(np.clip(110.0 - 25.0 * ratio, 0.0, 100.0))


def check_spo2_ratio_of_ratios() -> None:
    t = np.arange(0, 8, 0.01)
    wave = np.sin(2 * np.pi * 1.2 * t)
    spo2 = spo2_ratio_of_ratios(1000 + 5 * wave, 1000 + 10 * wave)
    assert abs(spo2 - 97.5) < 0.1


def ppg_signal_quality(ppg: np.ndarray, fs: float) -> float:
    """Signal quality index of a PPG window.

    Method: skewness-based SQI (scipy.stats.skew of the 0.5-8 Hz band-passed window); clean
    pulses are skewed, noise is not.

    Parameters
    - ppg (np.ndarray): 1-D PPG window, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - sqi (float): skewness of the filtered window (higher is cleaner).
    """
    from scipy import stats

    ppg = np.asarray(ppg, dtype=float)
    if ppg.size < int(2 * fs):
        return 0.0
    sos = signal.butter(2, [0.5, min(8.0, 0.45 * fs)], btype="bandpass", fs=fs, output="sos")
    return float(stats.skew(signal.sosfiltfilt(sos, ppg)))


def check_ppg_signal_quality() -> None:
    fs = 100.0
    t = np.arange(0, 10, 1 / fs)
    pulse = np.sin(2 * np.pi * 1.2 * t) ** 8
    assert ppg_signal_quality(pulse, fs) > 0.5
    assert ppg_signal_quality(np.zeros(10), fs) == 0.0


def motion_artifact_windows(acc_magnitude: np.ndarray, fs: float, window_s: float) -> np.ndarray:
    """Flag PPG windows corrupted by motion from the wrist accelerometer.

    Method: standard deviation of the acceleration magnitude per non-overlapping window; a window
    is corrupted when it exceeds 3 median absolute deviations above the median window value.

    Parameters
    - acc_magnitude (np.ndarray): 1-D acceleration magnitude in g, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - window_s (float): window length in seconds.

    Returns
    - corrupted (np.ndarray): boolean flag per window, shape (n_windows,).
    """
    acc = np.asarray(acc_magnitude, dtype=float)
    win = max(1, int(window_s * fs))
    n = acc.size // win
    if n == 0:
        return np.zeros(0, dtype=bool)
    sd = acc[: n * win].reshape(n, win).std(axis=1)
    med = np.median(sd)
    mad = np.median(np.abs(sd - med)) or 1e-12
    return sd > med + 3 * mad


def check_motion_artifact_windows() -> None:
    rng = np.random.default_rng(0)
    acc = 1 + 0.01 * rng.standard_normal(1000)
    acc[500:550] += rng.standard_normal(50)
    flags = motion_artifact_windows(acc, 25.0, 2.0)
    assert flags.shape == (20,) and flags[10] and flags.sum() <= 2
