"""CG seeds: modality-agnostic signal processing (re-targeted to sensors by augmentation)."""

import numpy as np
from scipy import signal, stats

MODALITY = "generic"
GENERIC = True


def zscore_signal(x: np.ndarray) -> np.ndarray:
    """Standardise a signal to zero mean and unit variance.

    Method: z-score (x - mean) / standard deviation; a constant signal maps to zeros.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).

    Returns
    - z (np.ndarray): standardised signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x.copy()
    std = x.std()
    if std == 0:
        return np.zeros_like(x)
    return (x - x.mean()) / std


def check_zscore_signal() -> None:
    z = zscore_signal(np.array([1.0, 2.0, 3.0, 4.0]))
    assert abs(z.mean()) < 1e-12 and abs(z.std() - 1) < 1e-12
    assert np.all(zscore_signal(np.ones(5)) == 0)


def detrend_signal(x: np.ndarray) -> np.ndarray:
    """Remove a linear trend (slow drift) from a signal.

    Method: least-squares straight-line fit subtracted with scipy.signal.detrend (type linear).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).

    Returns
    - detrended (np.ndarray): signal without its linear trend, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size < 2:
        return x - x.mean() if x.size else x.copy()
    return signal.detrend(x, type="linear")


def check_detrend_signal() -> None:
    t = np.arange(1000) / 100.0
    y = detrend_signal(0.5 * t + np.sin(2 * np.pi * 2 * t))
    assert y.shape == (1000,)
    assert abs(np.polyfit(t, y, 1)[0]) < 1e-6


def moving_average_signal(x: np.ndarray, fs: float, window_s: float) -> np.ndarray:
    """Smooth a signal with a centred moving average of a given duration.

    Method: boxcar kernel of round(window_s * fs) samples (at least 1), convolved in same mode.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - window_s (float): averaging window length in seconds.

    Returns
    - smoothed (np.ndarray): smoothed signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    n = max(1, round(window_s * fs))
    if x.size == 0:
        return x.copy()
    kernel = np.ones(n) / n
    return np.convolve(x, kernel, mode="same")


def check_moving_average_signal() -> None:
    y = moving_average_signal(np.ones(200), 100.0, 0.1)
    assert y.shape == (200,)
    assert np.allclose(y[20:-20], 1.0)


def rms_signal(x: np.ndarray) -> float:
    """Root-mean-square amplitude of a signal.

    Method: sqrt(mean(x^2)); 0.0 for an empty signal.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).

    Returns
    - rms (float): root-mean-square value, in the signal's units.
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(x**2)))


def check_rms_signal() -> None:
    t = np.arange(10000) / 1000.0
    assert abs(rms_signal(np.sin(2 * np.pi * 5 * t)) - 1 / np.sqrt(2)) < 1e-3
    assert rms_signal(np.array([])) == 0.0


def frame_signal(x: np.ndarray, fs: float, window_s: float, hop_s: float) -> np.ndarray:
    """Cut a signal into overlapping fixed-length windows.

    Method: sliding window of round(window_s * fs) samples advanced by round(hop_s * fs) samples;
    the incomplete tail is dropped.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - window_s (float): window length in seconds.
    - hop_s (float): hop between window starts in seconds.

    Returns
    - windows (np.ndarray): windows, shape (n_windows, window_samples).
    """
    x = np.asarray(x, dtype=float)
    win = max(1, round(window_s * fs))
    hop = max(1, round(hop_s * fs))
    if x.size < win:
        return np.empty((0, win))
    starts = np.arange(0, x.size - win + 1, hop)
    return np.stack([x[s : s + win] for s in starts])


def check_frame_signal() -> None:
    w = frame_signal(np.arange(1000.0), 100.0, 2.0, 1.0)
    assert w.shape == (9, 200)
    assert w[1, 0] == 100.0
    assert frame_signal(np.arange(10.0), 100.0, 2.0, 1.0).shape == (0, 200)


def dominant_frequency_signal(x: np.ndarray, fs: float) -> float:
    """Frequency of the strongest spectral component of a signal, in Hz.

    Method: remove the mean, Hann window, real FFT (numpy.fft.rfft), arg-max of the magnitude
    excluding DC.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - frequency_hz (float): dominant frequency in Hz (0.0 for fewer than 4 samples).
    """
    x = np.asarray(x, dtype=float)
    if x.size < 4:
        return 0.0
    spectrum = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size)))
    freqs = np.fft.rfftfreq(x.size, d=1.0 / fs)
    return float(freqs[1 + int(np.argmax(spectrum[1:]))])


def check_dominant_frequency_signal() -> None:
    t = np.arange(2000) / 200.0
    f = dominant_frequency_signal(
        np.sin(2 * np.pi * 7.5 * t) + 0.2 * np.sin(2 * np.pi * 30 * t), 200.0
    )
    assert abs(f - 7.5) < 0.2


def welch_psd_signal(x: np.ndarray, fs: float, segment_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Power spectral density of a signal by Welch's method.

    Method: scipy.signal.welch with Hann segments of round(segment_s * fs) samples (at most the
    signal length) and 50 % overlap; density scaling.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - segment_s (float): segment length in seconds.

    Returns
    - freqs (np.ndarray): frequencies in Hz, shape (n_freqs,).
    - psd (np.ndarray): power spectral density in units^2/Hz, shape (n_freqs,).
    """
    x = np.asarray(x, dtype=float)
    nperseg = max(1, min(x.size, round(segment_s * fs)))
    freqs, psd = signal.welch(x, fs=fs, window="hann", nperseg=nperseg, noverlap=nperseg // 2)
    return freqs, psd


def check_welch_psd_signal() -> None:
    t = np.arange(5000) / 500.0
    f, p = welch_psd_signal(np.sin(2 * np.pi * 40 * t), 500.0, 2.0)
    assert f.shape == p.shape
    assert abs(f[np.argmax(p)] - 40) < 1.0


def band_power_signal(x: np.ndarray, fs: float, low_hz: float, high_hz: float) -> float:
    """Power of a signal inside a frequency band.

    Method: Welch PSD (Hann, 2 s segments) integrated over [low_hz, high_hz] with the trapezoid
    rule.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - low_hz (float): lower band edge in Hz.
    - high_hz (float): upper band edge in Hz.

    Returns
    - power (float): band power in units^2.
    """
    x = np.asarray(x, dtype=float)
    if x.size < 2:
        return 0.0
    nperseg = min(x.size, int(2 * fs))
    freqs, psd = signal.welch(x, fs=fs, nperseg=nperseg)
    mask = (freqs >= low_hz) & (freqs <= high_hz)
    if mask.sum() < 2:
        return 0.0
    return float(np.trapezoid(psd[mask], freqs[mask]))


def check_band_power_signal() -> None:
    t = np.arange(20000) / 1000.0
    x = np.sin(2 * np.pi * 10 * t)
    inside = band_power_signal(x, 1000.0, 8.0, 12.0)
    outside = band_power_signal(x, 1000.0, 30.0, 60.0)
    assert abs(inside - 0.5) < 0.1 and outside < 0.01


def zero_crossing_rate_signal(x: np.ndarray, fs: float) -> float:
    """Zero-crossing rate of a signal, in crossings per second.

    Method: count sign changes of the mean-removed signal and divide by its duration.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - rate_hz (float): zero crossings per second.
    """
    x = np.asarray(x, dtype=float)
    if x.size < 2:
        return 0.0
    s = np.signbit(x - x.mean())
    crossings = np.count_nonzero(s[1:] != s[:-1])
    return float(crossings * fs / x.size)


def check_zero_crossing_rate_signal() -> None:
    t = np.arange(1000) / 1000.0
    assert abs(zero_crossing_rate_signal(np.sin(2 * np.pi * 5 * t + 0.1), 1000.0) - 10) <= 1


def resample_signal(x: np.ndarray, fs_in: float, fs_out: float) -> np.ndarray:
    """Resample a signal to a new sampling rate without aliasing.

    Method: polyphase resampling (scipy.signal.resample_poly) with up/down factors from the
    rational approximation of fs_out / fs_in.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs_in (float): input sampling rate in Hz.
    - fs_out (float): output sampling rate in Hz.

    Returns
    - y (np.ndarray): resampled signal, shape (round(n_samples * fs_out / fs_in),).
    """
    from fractions import Fraction

    x = np.asarray(x, dtype=float)
    ratio = Fraction(fs_out / fs_in).limit_denominator(1000)
    if x.size == 0:
        return x.copy()
    return signal.resample_poly(x, ratio.numerator, ratio.denominator)


def check_resample_signal() -> None:
    t = np.arange(1000) / 250.0
    y = resample_signal(np.sin(2 * np.pi * 2 * t), 250.0, 100.0)
    assert y.shape == (400,)
    t2 = np.arange(400) / 100.0
    assert np.max(np.abs(y[20:-20] - np.sin(2 * np.pi * 2 * t2[20:-20]))) < 0.05


def envelope_signal(x: np.ndarray) -> np.ndarray:
    """Amplitude envelope of a band-limited signal.

    Method: magnitude of the analytic signal from the Hilbert transform (scipy.signal.hilbert).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).

    Returns
    - envelope (np.ndarray): instantaneous amplitude, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x.copy()
    return np.abs(signal.hilbert(x))


def check_envelope_signal() -> None:
    t = np.arange(4000) / 1000.0
    e = envelope_signal(2.0 * np.sin(2 * np.pi * 50 * t))
    assert np.allclose(e[200:-200], 2.0, atol=0.05)


def median_filter_signal(x: np.ndarray, fs: float, window_s: float) -> np.ndarray:
    """Remove impulsive spikes from a signal with a running median.

    Method: scipy.signal.medfilt with an odd kernel of round(window_s * fs) samples (made odd).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - window_s (float): median window in seconds.

    Returns
    - filtered (np.ndarray): median-filtered signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    k = max(1, round(window_s * fs))
    if k % 2 == 0:
        k += 1
    if x.size == 0:
        return x.copy()
    return signal.medfilt(x, kernel_size=k)


def check_median_filter_signal() -> None:
    x = np.zeros(100)
    x[50] = 10.0
    y = median_filter_signal(x, 100.0, 0.05)
    assert y.shape == (100,) and y.max() == 0.0


def spectral_entropy_signal(x: np.ndarray, fs: float) -> float:
    """Normalised spectral entropy of a signal (0 = a pure tone, 1 = white noise).

    Method: Welch PSD normalised to a probability distribution, Shannon entropy divided by
    log2 of the number of frequency bins.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - entropy (float): normalised spectral entropy between 0 and 1.
    """
    x = np.asarray(x, dtype=float)
    if x.size < 8:
        return 0.0
    _, psd = signal.welch(x, fs=fs, nperseg=min(256, x.size))
    total = psd.sum()
    if total <= 0:
        return 0.0
    p = psd / total
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum() / np.log2(psd.size))


def check_spectral_entropy_signal() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(4096) / 256.0
    tone = spectral_entropy_signal(np.sin(2 * np.pi * 20 * t), 256.0)
    noise = spectral_entropy_signal(rng.standard_normal(4096), 256.0)
    assert tone < 0.5 < noise <= 1.0


def statistical_features_signal(x: np.ndarray) -> np.ndarray:
    """Time-domain statistical feature vector of one signal window.

    Method: mean, standard deviation, minimum, maximum, skewness and kurtosis
    (scipy.stats, Fisher definition) in that order.

    Parameters
    - x (np.ndarray): 1-D signal window, shape (n_samples,).

    Returns
    - features (np.ndarray): the six features, shape (6,).
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return np.zeros(6)
    if np.ptp(x) == 0:
        return np.array([x.mean(), 0.0, x.min(), x.max(), 0.0, 0.0])
    return np.array(
        [x.mean(), x.std(), x.min(), x.max(), stats.skew(x), stats.kurtosis(x, fisher=True)]
    )


def check_statistical_features_signal() -> None:
    rng = np.random.default_rng(1)
    f = statistical_features_signal(rng.standard_normal(20000))
    assert f.shape == (6,)
    assert abs(f[0]) < 0.05 and abs(f[1] - 1) < 0.05 and abs(f[5]) < 0.2


def autocorrelation_period_signal(x: np.ndarray, fs: float, min_s: float, max_s: float) -> float:
    """Dominant period of a quasi-periodic signal from its autocorrelation, in seconds.

    Method: normalised autocorrelation of the mean-removed signal; the highest peak between
    lags min_s and max_s (in seconds, converted to samples) gives the period.

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - min_s (float): shortest period considered, in seconds.
    - max_s (float): longest period considered, in seconds.

    Returns
    - period_s (float): dominant period in seconds (0.0 if none can be found).
    """
    x = np.asarray(x, dtype=float)
    x = x - x.mean() if x.size else x
    lo, hi = max(1, int(min_s * fs)), int(max_s * fs)
    if x.size <= hi or np.all(x == 0):
        return 0.0
    ac = np.correlate(x, x, mode="full")[x.size - 1 :]
    ac = ac / ac[0]
    lag = lo + int(np.argmax(ac[lo : hi + 1]))
    return float(lag / fs)


def check_autocorrelation_period_signal() -> None:
    t = np.arange(3000) / 100.0
    p = autocorrelation_period_signal(np.sin(2 * np.pi * t / 1.25), 100.0, 0.5, 2.0)
    assert abs(p - 1.25) < 0.02


def clip_outliers_signal(x: np.ndarray, n_mad: float) -> np.ndarray:
    """Clip outliers of a signal to a robust range.

    Method: median +/- n_mad scaled median absolute deviations (MAD * 1.4826).

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - n_mad (float): half-width of the allowed range in scaled MADs.

    Returns
    - clipped (np.ndarray): clipped signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x.copy()
    med = np.median(x)
    mad = 1.4826 * np.median(np.abs(x - med))
    if mad == 0:
        return x.copy()
    return np.clip(x, med - n_mad * mad, med + n_mad * mad)


def check_clip_outliers_signal() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal(1000)
    x[10] = 100.0
    y = clip_outliers_signal(x, 5.0)
    assert y[10] < 6.0 and y.shape == x.shape


def interpolate_gaps_signal(x: np.ndarray) -> np.ndarray:
    """Fill missing samples (NaN) of a signal by linear interpolation.

    Method: numpy.interp over the indices of the valid samples; edges take the nearest valid
    value; an all-NaN signal becomes zeros.

    Parameters
    - x (np.ndarray): 1-D signal with NaN for missing samples, shape (n_samples,).

    Returns
    - filled (np.ndarray): signal without NaN, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    valid = np.isfinite(x)
    if not valid.any():
        return np.zeros_like(x)
    idx = np.arange(x.size)
    return np.interp(idx, idx[valid], x[valid])


def check_interpolate_gaps_signal() -> None:
    y = interpolate_gaps_signal(np.array([np.nan, 1.0, np.nan, 3.0, np.nan]))
    assert np.allclose(y, [1.0, 1.0, 2.0, 3.0, 3.0])


def ewma_signal(x: np.ndarray, fs: float, time_constant_s: float) -> np.ndarray:
    """Smooth a signal with an exponentially weighted moving average (first-order IIR low-pass).

    Method: alpha = 1 - exp(-1 / (time_constant_s * fs)); y[n] = y[n-1] + alpha (x[n] - y[n-1])
    with scipy.signal.lfilter, initialised at x[0].

    Parameters
    - x (np.ndarray): 1-D signal, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - time_constant_s (float): time constant in seconds.

    Returns
    - smoothed (np.ndarray): smoothed signal, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return x.copy()
    alpha = 1.0 - np.exp(-1.0 / (time_constant_s * fs))
    y, _ = signal.lfilter([alpha], [1.0, alpha - 1.0], x, zi=[(1.0 - alpha) * x[0]])
    return y


def check_ewma_signal() -> None:
    y = ewma_signal(np.ones(100), 10.0, 1.0)
    assert np.allclose(y, 1.0)
    step = ewma_signal(np.r_[np.zeros(10), np.ones(200)], 10.0, 1.0)
    assert abs(step[20] - (1 - np.exp(-1))) < 0.05


def snr_db_signal(clean: np.ndarray, noisy: np.ndarray) -> float:
    """Signal-to-noise ratio of a noisy signal against its clean reference, in dB.

    Method: 10 log10(sum(clean^2) / sum((noisy - clean)^2)); inf when they are identical.

    Parameters
    - clean (np.ndarray): reference signal, shape (n_samples,).
    - noisy (np.ndarray): measured signal, shape (n_samples,).

    Returns
    - snr_db (float): signal-to-noise ratio in dB.
    """
    clean = np.asarray(clean, dtype=float)
    noise = np.asarray(noisy, dtype=float) - clean
    p_noise = float(np.sum(noise**2))
    if p_noise == 0:
        return float("inf")
    return float(10 * np.log10(np.sum(clean**2) / p_noise))


def check_snr_db_signal() -> None:
    c = np.ones(100)
    assert abs(snr_db_signal(c, c + 0.1) - 20.0) < 1e-9
