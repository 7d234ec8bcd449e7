"""CG seeds: sensor data handling (filtering, resampling, windows, splits, evaluation)."""

import math

import numpy as np
from scipy import signal

MODALITY = "generic"
GENERIC = True


def polyphase_resample_signal(x: np.ndarray, fs_in: int, fs_out: int) -> np.ndarray:
    """Change the sampling rate of a signal by a rational factor with polyphase filtering.

    Method: up = fs_out / g, down = fs_in / g with g = gcd(fs_in, fs_out);
    scipy.signal.resample_poly(x, up, down) (built-in anti-aliasing FIR).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs_in (int): input sampling rate in Hz.
    - fs_out (int): output sampling rate in Hz.

    Returns
    - resampled (np.ndarray): signal at fs_out, shape (ceil(n_samples * fs_out / fs_in),).
    """
    x = np.asarray(x, dtype=float)
    g = math.gcd(fs_in, fs_out)
    return signal.resample_poly(x, fs_out // g, fs_in // g)


def check_polyphase_resample_signal() -> None:
    t = np.arange(3600) / 360.0
    y = polyphase_resample_signal(np.sin(2 * np.pi * 2 * t), 360, 250)
    assert y.shape == (2500,)
    t2 = np.arange(2500) / 250.0
    assert np.max(np.abs(y[100:-100] - np.sin(2 * np.pi * 2 * t2[100:-100]))) < 1e-2


def zero_phase_bandpass_signal(
    x: np.ndarray, fs: float, low_hz: float, high_hz: float, order: int
) -> np.ndarray:
    """Band-pass filter a signal without phase distortion.

    Method: Butterworth band-pass of the given order in second-order sections
    (scipy.signal.butter, output sos, fs given in Hz) applied forward and backward with
    scipy.signal.sosfiltfilt.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - low_hz (float): lower cut-off in Hz.
    - high_hz (float): upper cut-off in Hz (below fs / 2).
    - order (int): filter order.

    Returns
    - filtered (np.ndarray): band-passed signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    sos = signal.butter(order, [low_hz, high_hz], btype="bandpass", fs=fs, output="sos")
    return signal.sosfiltfilt(sos, x)


def check_zero_phase_bandpass_signal() -> None:
    fs = 200.0
    t = np.arange(4000) / fs
    inband = np.sin(2 * np.pi * 10 * t)
    y = zero_phase_bandpass_signal(inband + np.sin(2 * np.pi * 60 * t) + 2.0, fs, 5.0, 20.0, 4)
    assert y.shape == (4000,)
    assert np.max(np.abs(y[400:-400] - inband[400:-400])) < 0.02


def iir_notch_signal(x: np.ndarray, fs: float, notch_hz: float, quality: float) -> np.ndarray:
    """Remove one narrow-band interference frequency from a signal.

    Method: second-order IIR notch scipy.signal.iirnotch(notch_hz, quality, fs), applied
    forward-backward with scipy.signal.filtfilt (zero phase).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - notch_hz (float): frequency to remove in Hz.
    - quality (float): quality factor (notch_hz / bandwidth, e.g. 30).

    Returns
    - filtered (np.ndarray): signal without the interference, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    b, a = signal.iirnotch(notch_hz, quality, fs=fs)
    return signal.filtfilt(b, a, x)


def check_iir_notch_signal() -> None:
    fs = 500.0
    t = np.arange(5000) / fs
    slow = np.sin(2 * np.pi * 3 * t)
    y = iir_notch_signal(slow + 0.5 * np.sin(2 * np.pi * 60 * t), fs, 60.0, 30.0)
    assert y.shape == (5000,)
    assert np.max(np.abs(y[500:-500] - slow[500:-500])) < 0.02


def window_majority_labels(labels: np.ndarray, window: int, step: int) -> np.ndarray:
    """One label per sliding window: the most frequent per-sample label inside it.

    Method: windows of window samples every step samples (incomplete tail dropped); numpy.bincount
    arg-max per window (ties go to the smaller label).

    Parameters
    - labels (np.ndarray): per-sample integer class labels >= 0, shape (n_samples,).
    - window (int): window length in samples.
    - step (int): hop between windows in samples.

    Returns
    - window_labels (np.ndarray): label per window, int, shape (n_windows,).
    """
    y = np.asarray(labels, dtype=int)
    starts = range(0, y.size - window + 1, step)
    return np.array([int(np.argmax(np.bincount(y[s : s + window]))) for s in starts], dtype=int)


def check_window_majority_labels() -> None:
    y = np.array([0] * 60 + [2] * 40)
    w = window_majority_labels(y, 50, 25)
    assert w.tolist() == [0, 0, 2]
    assert window_majority_labels(y, 200, 10).shape == (0,)


def fit_feature_scaler(train_features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-feature mean and standard deviation learnt from training windows only.

    Method: column mean and population std over the training rows; a std of 0 is replaced by 1
    so that constant features do not divide by zero. Apply to any split as (X - mean) / std.

    Parameters
    - train_features (np.ndarray): training feature matrix, shape (n_train, n_features).

    Returns
    - mean (np.ndarray): per-feature mean, shape (n_features,).
    - std (np.ndarray): per-feature scale (std, 1 where constant), shape (n_features,).
    """
    f = np.asarray(train_features, dtype=float)
    std = f.std(axis=0)
    return f.mean(axis=0), np.where(std > 0, std, 1.0)


def check_fit_feature_scaler() -> None:
    m, s = fit_feature_scaler(np.array([[1.0, 5.0], [3.0, 5.0]]))
    assert m.tolist() == [2.0, 5.0] and s.tolist() == [1.0, 1.0]


def subject_holdout_split(
    subject_ids: np.ndarray, test_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train/test sample indices with no subject in both sets (avoids identity leakage).

    Method: unique subjects shuffled with numpy.random.default_rng(seed); the first
    max(1, round(test_fraction * n_subjects)) subjects are test; indices sorted.

    Parameters
    - subject_ids (np.ndarray): subject id of every sample (window), shape (n_samples,).
    - test_fraction (float): fraction of subjects held out.
    - seed (int): random seed.

    Returns
    - train_idx (np.ndarray): training sample indices, shape (n_train,).
    - test_idx (np.ndarray): test sample indices, shape (n_test,).
    """
    ids = np.asarray(subject_ids)
    subjects = np.unique(ids)
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(subjects)
    n_test = max(1, round(test_fraction * subjects.size))
    test_mask = np.isin(ids, shuffled[:n_test])
    return np.flatnonzero(~test_mask), np.flatnonzero(test_mask)


def check_subject_holdout_split() -> None:
    ids = np.repeat(np.arange(10), 7)
    tr, te = subject_holdout_split(ids, 0.2, 0)
    assert tr.size + te.size == 70 and te.size == 14
    assert not set(ids[tr]) & set(ids[te])
    _, te2 = subject_holdout_split(ids, 0.2, 0)
    assert te.tolist() == te2.tolist()


def leave_one_subject_out(subject_ids: np.ndarray) -> list[np.ndarray]:
    """Test-sample indices of each leave-one-subject-out cross-validation fold.

    Method: one fold per unique subject (sorted); the fold's test set is that subject's samples
    and its training set is every other sample.

    Parameters
    - subject_ids (np.ndarray): subject id of every sample, shape (n_samples,).

    Returns
    - test_folds (list[np.ndarray]): test indices per fold, one array per subject.
    """
    ids = np.asarray(subject_ids)
    return [np.flatnonzero(ids == s) for s in np.unique(ids)]


def check_leave_one_subject_out() -> None:
    folds = leave_one_subject_out(np.array([3, 1, 3, 2, 1]))
    assert [f.tolist() for f in folds] == [[1, 4], [3], [0, 2]]


def relative_band_power_signal(x: np.ndarray, fs: float, low_hz: float, high_hz: float) -> float:
    """Share of a signal's power that lies in a frequency band.

    Method: Welch PSD (scipy.signal.welch, 2 s Hann segments or the whole signal if shorter);
    trapezoidal integral over low_hz-high_hz divided by the integral over all frequencies.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - low_hz (float): band lower edge in Hz.
    - high_hz (float): band upper edge in Hz.

    Returns
    - fraction (float): relative band power in [0, 1].
    """
    x = np.asarray(x, dtype=float)
    nper = min(x.size, round(2 * fs))
    f, p = signal.welch(x, fs=fs, nperseg=nper)
    band = (f >= low_hz) & (f <= high_hz)
    total = np.trapezoid(p, f)
    return float(np.trapezoid(p[band], f[band]) / total) if total > 0 else 0.0


def check_relative_band_power_signal() -> None:
    fs = 128.0
    t = np.arange(int(60 * fs)) / fs
    x = np.sin(2 * np.pi * 10 * t) + np.sin(2 * np.pi * 30 * t)
    r = relative_band_power_signal(x, fs, 8.0, 12.0)
    assert abs(r - 0.5) < 0.05


def polynomial_detrend_signal(x: np.ndarray, order: int) -> np.ndarray:
    """Remove a slow polynomial trend (e.g. thermal drift) from a signal.

    Method: least-squares polynomial of the given order over the sample index (numpy.polyfit on
    a 0..1 normalised axis), subtracted from the signal.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - order (int): polynomial order (1 linear, 2 quadratic).

    Returns
    - detrended (np.ndarray): signal minus its trend, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size <= order:
        return x - x.mean() if x.size else x.copy()
    t = np.linspace(0.0, 1.0, x.size)
    return x - np.polyval(np.polyfit(t, x, order), t)


def check_polynomial_detrend_signal() -> None:
    t = np.linspace(0, 1, 1000)
    wave = np.sin(2 * np.pi * 20 * t)
    y = polynomial_detrend_signal(wave + 3 * t**2 - 2 * t + 5, 2)
    assert y.shape == (1000,)
    assert np.max(np.abs(y - wave)) < 0.1
    assert np.max(np.abs(polynomial_detrend_signal(3 * t**2 - 2 * t + 5, 2))) < 1e-6


def match_events_tolerance(
    true_s: np.ndarray, pred_s: np.ndarray, tolerance_s: float
) -> tuple[float, float, float]:
    """Precision, recall and F1 of detected events against reference events with a time tolerance.

    Method: greedy one-to-one matching in time order: each reference event takes the nearest
    unmatched detection within tolerance_s; TP = matches, FP = unmatched detections,
    FN = unmatched references.

    Parameters
    - true_s (np.ndarray): reference event times in seconds, shape (n_true,).
    - pred_s (np.ndarray): detected event times in seconds, shape (n_pred,).
    - tolerance_s (float): largest allowed time difference in seconds.

    Returns
    - precision (float): TP / (TP + FP) (0 when nothing detected).
    - recall (float): TP / (TP + FN) (0 when no reference events).
    - f1 (float): harmonic mean of precision and recall.
    """
    ref = np.sort(np.asarray(true_s, dtype=float))
    det = np.sort(np.asarray(pred_s, dtype=float))
    used = np.zeros(det.size, dtype=bool)
    tp = 0
    for r in ref:
        dist = np.where(used, np.inf, np.abs(det - r))
        if dist.size and dist.min() <= tolerance_s:
            used[int(np.argmin(dist))] = True
            tp += 1
    precision = tp / det.size if det.size else 0.0
    recall = tp / ref.size if ref.size else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def check_match_events_tolerance() -> None:
    ref = np.array([1.0, 2.0, 3.0, 4.0])
    det = np.array([1.02, 1.04, 2.5, 3.01])
    p, r, f = match_events_tolerance(ref, det, 0.05)
    assert (p, r) == (0.5, 0.5) and abs(f - 0.5) < 1e-12
    p, r, f = match_events_tolerance(ref, det * 1000, 0.05)
    assert (p, r, f) == (0.0, 0.0, 0.0)


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Balanced accuracy of a classifier: mean per-class recall (robust to class imbalance).

    Method: for each class present in y_true, the fraction of its samples predicted correctly;
    the mean over those classes.

    Parameters
    - y_true (np.ndarray): true class labels, shape (n_samples,).
    - y_pred (np.ndarray): predicted class labels, shape (n_samples,).

    Returns
    - score (float): balanced accuracy in [0, 1].
    """
    t = np.asarray(y_true)
    p = np.asarray(y_pred)
    recalls = [float(np.mean(p[t == c] == c)) for c in np.unique(t)]
    return float(np.mean(recalls)) if recalls else 0.0


def check_balanced_accuracy() -> None:
    t = np.array([0] * 90 + [1] * 10)
    p = np.zeros(100, dtype=int)
    assert abs(balanced_accuracy(t, p) - 0.5) < 1e-12
    assert balanced_accuracy(t, t) == 1.0


def inverse_frequency_class_weights(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Class weights for a loss function, inversely proportional to class frequency.

    Method: w_c = n_samples / (n_classes * count_c) (numpy.bincount with minlength n_classes);
    a class with no samples gets weight 0.

    Parameters
    - labels (np.ndarray): integer class labels in [0, n_classes), shape (n_samples,).
    - n_classes (int): number of classes.

    Returns
    - weights (np.ndarray): weight per class, shape (n_classes,).
    """
    y = np.asarray(labels, dtype=int)
    counts = np.bincount(y, minlength=n_classes).astype(float)
    return np.divide(y.size, n_classes * counts, out=np.zeros(n_classes), where=counts > 0)


def check_inverse_frequency_class_weights() -> None:
    w = inverse_frequency_class_weights(np.array([0, 0, 0, 1]), 3)
    assert w.shape == (3,)
    assert np.allclose(w, [4 / 9, 4 / 3, 0.0])


def fill_short_gaps_signal(x: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly interpolate only short runs of missing (NaN) samples in a signal.

    Method: NaN runs of at most max_gap samples that have valid samples on both sides are filled
    by numpy.interp between their neighbours; longer or edge gaps stay NaN.

    Parameters
    - x (np.ndarray): 1-D signal with NaN gaps, shape (n_samples,).
    - max_gap (int): longest gap to fill, in samples.

    Returns
    - filled (np.ndarray): signal with short gaps filled, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    out = x.copy()
    nan = np.isnan(x)
    valid = np.flatnonzero(~nan)
    if valid.size < 2:
        return out
    i = 0
    while i < x.size:
        if nan[i]:
            j = i
            while j < x.size and nan[j]:
                j += 1
            if i > 0 and j < x.size and j - i <= max_gap:
                out[i:j] = np.interp(np.arange(i, j), [i - 1, j], [x[i - 1], x[j]])
            i = j
        else:
            i += 1
    return out


def check_fill_short_gaps_signal() -> None:
    x = np.arange(20.0)
    x[3:5] = np.nan
    x[10:16] = np.nan
    x[0] = np.nan
    y = fill_short_gaps_signal(x, 3)
    assert y.shape == (20,)
    assert np.allclose(y[3:5], [3.0, 4.0])
    assert np.isnan(y[10:16]).all() and np.isnan(y[0])


def min_max_scale_signal(x: np.ndarray) -> np.ndarray:
    """Rescale a signal linearly to the range [0, 1].

    Method: (x - min) / (max - min); a constant signal maps to zeros.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).

    Returns
    - scaled (np.ndarray): signal in [0, 1], shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x.copy()
    span = x.max() - x.min()
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)


def check_min_max_scale_signal() -> None:
    assert min_max_scale_signal(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert min_max_scale_signal(np.ones(3)).tolist() == [0.0, 0.0, 0.0]


def winsorize_signal(x: np.ndarray, low_pct: float, high_pct: float) -> np.ndarray:
    """Clip a signal to its own percentile range (winsorising) to tame outliers.

    Method: numpy.percentile at low_pct and high_pct (in percent), then numpy.clip.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - low_pct (float): lower percentile in percent (e.g. 1).
    - high_pct (float): upper percentile in percent (e.g. 99).

    Returns
    - clipped (np.ndarray): winsorised signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    lo, hi = np.percentile(x, [low_pct, high_pct])
    return np.clip(x, lo, hi)


def check_winsorize_signal() -> None:
    x = np.arange(101.0)
    y = winsorize_signal(x, 5.0, 95.0)
    assert y.shape == (101,)
    assert y.min() == 5.0 and y.max() == 95.0 and y[50] == 50.0


def estimate_lag_seconds(
    reference: np.ndarray, delayed: np.ndarray, fs: float, max_lag_s: float
) -> float:
    """Time offset between two recordings of the same event (for stream alignment).

    Method: cross-correlation of the mean-removed signals (scipy.signal.correlate, full mode,
    scipy.signal.correlation_lags), lag of the maximum within +-max_lag_s, divided by fs.

    Parameters
    - reference (np.ndarray): 1-D reference stream, shape (n_samples,).
    - delayed (np.ndarray): 1-D stream to align, same rate, shape (m_samples,).
    - fs (float): common sampling rate in Hz.
    - max_lag_s (float): largest lag searched in seconds.

    Returns
    - lag_s (float): seconds by which delayed lags reference (negative when it leads).
    """
    a = np.asarray(reference, dtype=float)
    b = np.asarray(delayed, dtype=float)
    corr = signal.correlate(b - b.mean(), a - a.mean(), mode="full")
    lags = signal.correlation_lags(b.size, a.size, mode="full")
    keep = np.abs(lags) <= round(max_lag_s * fs)
    return float(lags[keep][np.argmax(corr[keep])] / fs)


def check_estimate_lag_seconds() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=2000)
    b = np.concatenate([np.zeros(25), a[:-25]])
    assert abs(estimate_lag_seconds(a, b, 50.0, 2.0) - 0.5) < 1e-12
    assert abs(estimate_lag_seconds(b, a, 50.0, 2.0) + 0.5) < 1e-12


def savgol_smooth_signal(x: np.ndarray, fs: float, window_s: float, polyorder: int) -> np.ndarray:
    """Smooth a signal while keeping peak shapes, with a Savitzky-Golay filter.

    Method: scipy.signal.savgol_filter with an odd window of round(window_s * fs) samples (made
    odd and larger than polyorder) and the given polynomial order.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - window_s (float): window length in seconds.
    - polyorder (int): polynomial order (e.g. 3).

    Returns
    - smoothed (np.ndarray): smoothed signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    n = max(polyorder + 2, round(window_s * fs))
    if n % 2 == 0:
        n += 1
    if n > x.size:
        return x.copy()
    return signal.savgol_filter(x, n, polyorder)


def check_savgol_smooth_signal() -> None:
    fs = 100.0
    t = np.arange(1000) / fs
    clean = np.sin(2 * np.pi * 1 * t)
    noisy = clean + 0.1 * np.random.default_rng(0).normal(size=1000)
    y = savgol_smooth_signal(noisy, fs, 0.21, 3)
    assert y.shape == (1000,)
    assert np.std(y - clean) < 0.5 * np.std(noisy - clean)


def spectrogram_db_signal(
    x: np.ndarray, fs: float, window_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Time-frequency power of a signal in decibels.

    Method: scipy.signal.spectrogram with Hann windows of round(window_s * fs) samples and 50 %
    overlap, power spectral density; 10 log10(Sxx + 1e-20).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - window_s (float): window length in seconds.

    Returns
    - freqs (np.ndarray): frequencies in Hz, shape (n_freqs,).
    - times (np.ndarray): window centres in seconds, shape (n_times,).
    - sxx_db (np.ndarray): power in dB, shape (n_freqs, n_times).
    """
    x = np.asarray(x, dtype=float)
    n = max(2, round(window_s * fs))
    f, t, sxx = signal.spectrogram(x, fs=fs, window="hann", nperseg=n, noverlap=n // 2)
    return f, t, 10.0 * np.log10(sxx + 1e-20)


def check_spectrogram_db_signal() -> None:
    fs = 1000.0
    tt = np.arange(5000) / fs
    f, t, s = spectrogram_db_signal(np.sin(2 * np.pi * 125 * tt), fs, 0.5)
    assert s.shape == (f.size, t.size) and f.size == 251
    assert abs(f[np.argmax(s[:, 0])] - 125.0) < 2.1
    assert abs(t[0] - 0.25) < 1e-9


def chronological_split(n_samples: int, val_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation indices for a time series without shuffling (no look-ahead).

    Method: the first n - n_val samples train, the last n_val = round(val_fraction * n) validate.

    Parameters
    - n_samples (int): number of samples (windows) in time order.
    - val_fraction (float): fraction used for validation.

    Returns
    - train_idx (np.ndarray): training indices, shape (n_train,).
    - val_idx (np.ndarray): validation indices, shape (n_val,).
    """
    n_val = round(val_fraction * n_samples)
    split = n_samples - n_val
    return np.arange(split), np.arange(split, n_samples)


def check_chronological_split() -> None:
    tr, va = chronological_split(10, 0.3)
    assert tr.tolist() == list(range(7)) and va.tolist() == [7, 8, 9]


def run_length_segments(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of identical consecutive labels (activity or event segments).

    Method: change points where labels[i] != labels[i-1]; each run is [start, end) with its value.

    Parameters
    - labels (np.ndarray): per-sample labels, shape (n_samples,).

    Returns
    - starts (np.ndarray): first index of each run, shape (n_runs,).
    - ends (np.ndarray): one past the last index of each run, shape (n_runs,).
    - values (np.ndarray): label of each run, shape (n_runs,).
    """
    y = np.asarray(labels)
    if y.size == 0:
        empty = np.zeros(0, dtype=int)
        return empty, empty, y.copy()
    change = np.flatnonzero(y[1:] != y[:-1]) + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [y.size]])
    return starts, ends, y[starts]


def check_run_length_segments() -> None:
    s, e, v = run_length_segments(np.array([1, 1, 0, 0, 0, 2]))
    assert s.tolist() == [0, 2, 5] and e.tolist() == [2, 5, 6] and v.tolist() == [1, 0, 2]


def hysteresis_state_signal(x: np.ndarray, on_level: float, off_level: float) -> np.ndarray:
    """On/off state of a signal with hysteresis (Schmitt trigger) to avoid chattering.

    Method: the state switches on when x > on_level and off when x < off_level (off_level <
    on_level); it starts off.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - on_level (float): switch-on threshold in signal units.
    - off_level (float): switch-off threshold in signal units.

    Returns
    - state (np.ndarray): True while on, bool, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    state = np.zeros(x.size, dtype=bool)
    on = False
    for i, v in enumerate(x):
        if not on and v > on_level:
            on = True
        elif on and v < off_level:
            on = False
        state[i] = on
    return state


def check_hysteresis_state_signal() -> None:
    x = np.array([0.0, 0.6, 1.1, 0.6, 0.4, 0.6, 0.2, 1.2])
    s = hysteresis_state_signal(x, 1.0, 0.3)
    assert s.tolist() == [False, False, True, True, True, True, False, True]


def one_hot_labels(labels: np.ndarray, n_classes: int) -> np.ndarray:
    """One-hot encode integer class labels.

    Method: identity matrix rows indexed by the labels (numpy.eye(n_classes)[labels]).

    Parameters
    - labels (np.ndarray): integer labels in [0, n_classes), shape (n_samples,).
    - n_classes (int): number of classes.

    Returns
    - one_hot (np.ndarray): one-hot matrix, shape (n_samples, n_classes).
    """
    return np.eye(n_classes)[np.asarray(labels, dtype=int)]


def check_one_hot_labels() -> None:
    o = one_hot_labels(np.array([2, 0]), 3)
    assert o.tolist() == [[0, 0, 1], [1, 0, 0]]


def causal_rolling_mean_signal(x: np.ndarray, window: int) -> np.ndarray:
    """Trailing (causal) moving average of a signal, usable in real time.

    Method: mean of the last min(i + 1, window) samples at each index, via a cumulative sum.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - window (int): window length in samples.

    Returns
    - mean (np.ndarray): trailing mean, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    c = np.concatenate([[0.0], np.cumsum(x)])
    idx = np.arange(1, x.size + 1)
    start = np.maximum(0, idx - window)
    return (c[idx] - c[start]) / (idx - start)


def check_causal_rolling_mean_signal() -> None:
    m = causal_rolling_mean_signal(np.array([2.0, 4.0, 6.0, 8.0]), 2)
    assert m.tolist() == [2.0, 3.0, 5.0, 7.0]
