"""CG seeds: more photoplethysmography (PPG) methods: peaks, morphology, SpO2, rPPG, quality."""

import numpy as np
from scipy import signal, stats

MODALITY = "ppg"


def elgendi_ppg_peaks(ppg: np.ndarray, fs: float) -> np.ndarray:
    """Systolic peaks of a PPG with Elgendi's two-moving-average detector.

    Method: band-pass 0.5-8 Hz, clip negatives, square; moving averages of 111 ms and 667 ms;
    blocks where MA_111 > MA_667 + 0.02 * mean(squared), at least 111 ms long; the maximum of
    the filtered PPG in each block.

    Parameters
    - ppg (np.ndarray): 1-D PPG in arbitrary units, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - peaks (np.ndarray): sample indices of systolic peaks, int, shape (n_peaks,).
    """
    x = np.asarray(ppg, dtype=float)
    sos = signal.butter(2, [0.5, 8.0], btype="bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, x)
    sq = np.maximum(y, 0.0) ** 2
    w1, w2 = max(1, round(0.111 * fs)), max(1, round(0.667 * fs))
    ma_peak = np.convolve(sq, np.ones(w1) / w1, mode="same")
    ma_beat = np.convolve(sq, np.ones(w2) / w2, mode="same")
    blocks = ma_peak > ma_beat + 0.02 * sq.mean()
    edges = np.diff(np.concatenate([[0], blocks.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    peaks = [s + int(np.argmax(y[s:e])) for s, e in zip(starts, ends, strict=True) if e - s >= w1]
    return np.asarray(peaks, dtype=int)


def check_elgendi_ppg_peaks() -> None:
    fs = 64.0
    t = np.arange(int(30 * fs)) / fs
    ppg = np.sin(2 * np.pi * 1.25 * t) + 0.3 * np.sin(2 * np.pi * 2.5 * t + 1.0)
    p = elgendi_ppg_peaks(ppg, fs)
    assert p.dtype.kind == "i"
    assert abs(p.size - 37) <= 1
    assert abs(np.median(np.diff(p)) / fs - 0.8) < 0.05


def spo2_from_ratio(ratio: np.ndarray, a: float, b: float) -> np.ndarray:
    """SpO2 from the red/infrared ratio of ratios with a linear calibration.

    Method: SpO2 = a - b * R (typical uncalibrated a = 110, b = 25), clipped to [0, 100] percent.

    Parameters
    - ratio (np.ndarray): ratio of ratios R = (AC_red/DC_red)/(AC_ir/DC_ir), shape (n,).
    - a (float): calibration intercept in percent.
    - b (float): calibration slope in percent per unit R.

    Returns
    - spo2_pct (np.ndarray): oxygen saturation in percent, shape (n,).
    """
    return np.clip(a - b * np.asarray(ratio, dtype=float), 0.0, 100.0)


def check_spo2_from_ratio() -> None:
    s = spo2_from_ratio(np.array([0.5, 1.0, 0.2]), 110.0, 25.0)
    assert np.allclose(s, [97.5, 85.0, 100.0])


def heart_rate_from_peaks_bpm(peaks: np.ndarray, fs: float) -> float:
    """Heart rate from detected PPG systolic peak indices.

    Method: inter-beat intervals = diff(peaks) / fs seconds; keep 0.3-2.0 s (30-200 bpm);
    HR = 60 / median interval; 0.0 when no interval is valid.

    Parameters
    - peaks (np.ndarray): systolic peak sample indices, increasing, shape (n_peaks,).
    - fs (float): sampling rate in Hz.

    Returns
    - hr_bpm (float): heart rate in beats per minute.
    """
    ibi = np.diff(np.asarray(peaks, dtype=float)) / fs
    ibi = ibi[(ibi >= 0.3) & (ibi <= 2.0)]
    return float(60.0 / np.median(ibi)) if ibi.size else 0.0


def check_heart_rate_from_peaks_bpm() -> None:
    peaks = np.arange(0, 3000, 100)
    assert abs(heart_rate_from_peaks_bpm(peaks, 125.0) - 75.0) < 1e-9
    assert heart_rate_from_peaks_bpm(np.array([5]), 125.0) == 0.0


def pulse_onsets(ppg: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Pulse onsets (feet) of a PPG: the minimum before each systolic peak.

    Method: for each peak after the first, arg-min of the PPG between the previous peak and it.

    Parameters
    - ppg (np.ndarray): 1-D PPG in arbitrary units, shape (n_samples,).
    - peaks (np.ndarray): systolic peak sample indices, increasing, shape (n_peaks,).

    Returns
    - onsets (np.ndarray): onset sample indices, int, shape (n_peaks - 1,).
    """
    x = np.asarray(ppg, dtype=float)
    p = np.asarray(peaks, dtype=int)
    return np.array(
        [p[k] + int(np.argmin(x[p[k] : p[k + 1]])) for k in range(p.size - 1)], dtype=int
    )


def check_pulse_onsets() -> None:
    fs = 100.0
    t = np.arange(500) / fs
    x = np.sin(2 * np.pi * 1.0 * t)
    peaks = np.array([25, 125, 225, 325, 425])
    o = pulse_onsets(x, peaks)
    assert o.tolist() == [75, 175, 275, 375]


def ppg_derivatives(ppg: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """First (velocity, VPG) and second (acceleration, APG) derivatives of a PPG.

    Method: Savitzky-Golay differentiation (scipy.signal.savgol_filter, polynomial order 3,
    window about 50 ms, made odd and at least 5 samples, delta = 1 / fs).

    Parameters
    - ppg (np.ndarray): 1-D PPG in arbitrary units, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - vpg (np.ndarray): first derivative in units per second, shape (n_samples,).
    - apg (np.ndarray): second derivative in units per second^2, shape (n_samples,).
    """
    x = np.asarray(ppg, dtype=float)
    n = max(5, round(0.05 * fs))
    n += 1 - n % 2
    vpg = signal.savgol_filter(x, n, 3, deriv=1, delta=1.0 / fs)
    apg = signal.savgol_filter(x, n, 3, deriv=2, delta=1.0 / fs)
    return vpg, apg


def check_ppg_derivatives() -> None:
    fs = 200.0
    t = np.arange(1000) / fs
    w = 2 * np.pi * 1.5
    v, a = ppg_derivatives(np.sin(w * t), fs)
    assert v.shape == a.shape == (1000,)
    assert np.max(np.abs(v[20:-20] - w * np.cos(w * t[20:-20]))) < 0.01 * w
    assert np.max(np.abs(a[20:-20] + w**2 * np.sin(w * t[20:-20]))) < 0.02 * w**2


def rise_time_ms(onsets: np.ndarray, peaks: np.ndarray, fs: float) -> np.ndarray:
    """Systolic rise time of each PPG pulse (onset to the following peak).

    Method: for each onset, the first peak after it; (peak - onset) / fs * 1000.

    Parameters
    - onsets (np.ndarray): pulse onset sample indices, shape (n_onsets,).
    - peaks (np.ndarray): systolic peak sample indices, increasing, shape (n_peaks,).
    - fs (float): sampling rate in Hz.

    Returns
    - rise_ms (np.ndarray): rise time per pulse in milliseconds, shape (n_pulses,).
    """
    p = np.asarray(peaks, dtype=int)
    out = []
    for o in np.asarray(onsets, dtype=int):
        later = p[p > o]
        if later.size:
            out.append((later[0] - o) / fs * 1000.0)
    return np.asarray(out, dtype=float)


def check_rise_time_ms() -> None:
    r = rise_time_ms(np.array([10, 110]), np.array([5, 40, 140]), 250.0)
    assert np.allclose(r, [120.0, 120.0])


def stiffness_index_m_s(height_m: float, peak_to_peak_s: float) -> float:
    """Arterial stiffness index from the PPG waveform.

    Method: SI = body height / delta_T, delta_T the time between the systolic peak and the
    diastolic peak (or inflection) of the same pulse.

    Parameters
    - height_m (float): subject height in metres.
    - peak_to_peak_s (float): systolic-to-diastolic peak time in seconds.

    Returns
    - stiffness_m_s (float): stiffness index in m/s.
    """
    return height_m / peak_to_peak_s


def check_stiffness_index_m_s() -> None:
    assert abs(stiffness_index_m_s(1.75, 0.25) - 7.0) < 1e-12


def respiratory_rate_riav(peak_times_s: np.ndarray, peak_amplitudes: np.ndarray) -> float:
    """Respiratory rate from respiration-induced amplitude variation (RIAV) of PPG pulses.

    Method: interpolate the per-beat amplitudes onto a 4 Hz grid (numpy.interp), remove the mean,
    Hann window, FFT zero-padded to 4096 points; peak in 0.1-0.5 Hz times 60.

    Parameters
    - peak_times_s (np.ndarray): systolic peak times in seconds, increasing, shape (n_beats,).
    - peak_amplitudes (np.ndarray): pulse amplitude per beat, shape (n_beats,).

    Returns
    - rate_bpm (float): respiratory rate in breaths per minute.
    """
    t = np.asarray(peak_times_s, dtype=float)
    a = np.asarray(peak_amplitudes, dtype=float)
    grid = np.arange(t[0], t[-1], 0.25)
    y = np.interp(grid, t, a)
    y = (y - y.mean()) * np.hanning(y.size)
    spec = np.abs(np.fft.rfft(y, n=4096))
    freqs = np.fft.rfftfreq(4096, d=0.25)
    band = (freqs >= 0.1) & (freqs <= 0.5)
    return float(freqs[band][np.argmax(spec[band])] * 60.0)


def check_respiratory_rate_riav() -> None:
    t = np.arange(0, 120, 0.85)
    amp = 1.0 + 0.2 * np.sin(2 * np.pi * 0.2 * t)
    assert abs(respiratory_rate_riav(t, amp) - 12.0) < 0.5


def skewness_sqi(ppg: np.ndarray) -> float:
    """Skewness signal-quality index of a PPG window (higher = cleaner pulse shape).

    Method: sample skewness (scipy.stats.skew) of the window; clean PPG pulses are asymmetric
    (positive skew with peaks up), noise is near 0.

    Parameters
    - ppg (np.ndarray): 1-D PPG window in arbitrary units, shape (n_samples,).

    Returns
    - sqi (float): skewness (dimensionless).
    """
    return float(stats.skew(np.asarray(ppg, dtype=float)))


def check_skewness_sqi() -> None:
    t = np.arange(1000) / 100.0
    pulse = np.exp(3 * np.sin(2 * np.pi * 1.2 * t))
    noise = np.random.default_rng(0).normal(size=1000)
    assert skewness_sqi(pulse) > 1.0
    assert abs(skewness_sqi(noise)) < 0.3


def pulse_amplitudes(ppg: np.ndarray, onsets: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Peak-to-foot amplitude of each PPG pulse.

    Method: for each onset, the first following peak; amplitude = ppg[peak] - ppg[onset].

    Parameters
    - ppg (np.ndarray): 1-D PPG in arbitrary units, shape (n_samples,).
    - onsets (np.ndarray): pulse onset sample indices, shape (n_onsets,).
    - peaks (np.ndarray): systolic peak sample indices, increasing, shape (n_peaks,).

    Returns
    - amplitudes (np.ndarray): pulse amplitudes in PPG units, shape (n_pulses,).
    """
    x = np.asarray(ppg, dtype=float)
    p = np.asarray(peaks, dtype=int)
    out = []
    for o in np.asarray(onsets, dtype=int):
        later = p[p > o]
        if later.size:
            out.append(x[later[0]] - x[o])
    return np.asarray(out, dtype=float)


def check_pulse_amplitudes() -> None:
    x = np.array([0.0, 1.0, 3.0, 1.0, 0.5, 2.5, 1.0])
    assert pulse_amplitudes(x, np.array([0, 4]), np.array([2, 5])).tolist() == [3.0, 2.0]


def chrom_rppg_pulse(rgb: np.ndarray, fs: float) -> np.ndarray:
    """Camera-based (remote) PPG pulse signal from mean skin RGB traces with the CHROM method.

    Method: normalise each channel by its mean; X = 3R - 2G, Y = 1.5R + G - 1.5B; band-pass
    0.7-4 Hz (Butterworth order 3, sosfiltfilt); S = Xf - (std Xf / std Yf) Yf (de Haan 2013).

    Parameters
    - rgb (np.ndarray): mean skin-pixel R, G, B per video frame, shape (n_frames, 3).
    - fs (float): video frame rate in Hz.

    Returns
    - pulse (np.ndarray): rPPG pulse signal, shape (n_frames,).
    """
    c = np.asarray(rgb, dtype=float).reshape(-1, 3)
    n = c / c.mean(axis=0, keepdims=True)
    x = 3.0 * n[:, 0] - 2.0 * n[:, 1]
    y = 1.5 * n[:, 0] + n[:, 1] - 1.5 * n[:, 2]
    sos = signal.butter(3, [0.7, 4.0], btype="bandpass", fs=fs, output="sos")
    xf, yf = signal.sosfiltfilt(sos, x), signal.sosfiltfilt(sos, y)
    alpha = xf.std() / yf.std() if yf.std() > 0 else 0.0
    return xf - alpha * yf


def check_chrom_rppg_pulse() -> None:
    fs = 30.0
    t = np.arange(int(20 * fs)) / fs
    pulse = 0.01 * np.sin(2 * np.pi * 1.2 * t)
    light = 0.05 * np.sin(2 * np.pi * 2.5 * t)
    skin = np.array([0.7, 0.5, 0.4])
    pv = np.array([0.33, 0.77, 0.53])
    rgb = skin * (1 + light[:, None]) + np.outer(pulse, pv)
    s = chrom_rppg_pulse(rgb, fs)
    assert s.shape == (600,)
    spec = np.abs(np.fft.rfft(s))
    f = np.fft.rfftfreq(600, 1 / fs)
    assert abs(f[np.argmax(spec)] - 1.2) < 0.1


def oxygen_desaturation_index(
    spo2_pct: np.ndarray, fs: float, drop_pct: float, min_duration_s: float
) -> float:
    """Oxygen desaturation index (ODI): desaturation events per hour of recording.

    Method: baseline = running maximum of the previous 120 s; an event is a run where SpO2 is at
    least drop_pct below the baseline lasting >= min_duration_s (typically 3 % and 10 s);
    ODI = events / recording hours.

    Parameters
    - spo2_pct (np.ndarray): 1-D SpO2 in percent, shape (n_samples,).
    - fs (float): SpO2 sampling rate in Hz (often 1).
    - drop_pct (float): desaturation depth in percentage points.
    - min_duration_s (float): shortest event in seconds.

    Returns
    - odi_per_h (float): events per hour.
    """
    s = np.asarray(spo2_pct, dtype=float)
    w = max(1, round(120 * fs))
    base = np.array([s[max(0, i - w) : i + 1].max() for i in range(s.size)])
    low = s <= base - drop_pct
    edges = np.diff(np.concatenate([[0], low.astype(np.int8), [0]]))
    lengths = np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)
    events = int(np.sum(lengths >= round(min_duration_s * fs)))
    return events / (s.size / fs / 3600.0)


def check_oxygen_desaturation_index() -> None:
    fs = 1.0
    s = np.full(3600, 97.0)
    for start in (600, 1500, 2400):
        s[start : start + 20] = 92.0
    s[3000:3005] = 92.0
    assert abs(oxygen_desaturation_index(s, fs, 3.0, 10.0) - 3.0) < 1e-9
    assert abs(oxygen_desaturation_index(np.repeat(s, 4), 4.0, 3.0, 10.0) - 3.0) < 1e-9


def nlms_motion_cancel(
    ppg: np.ndarray, accel_ref: np.ndarray, n_taps: int, mu: float
) -> np.ndarray:
    """Remove motion artefacts from a PPG with an accelerometer-referenced adaptive filter.

    Method: normalised LMS: y = w . u (u = last n_taps reference samples), e = ppg - y,
    w += mu e u / (u . u + 1e-8); the error e is the cleaned PPG.

    Parameters
    - ppg (np.ndarray): 1-D PPG in arbitrary units, shape (n_samples,).
    - accel_ref (np.ndarray): 1-D accelerometer reference (same rate), shape (n_samples,).
    - n_taps (int): filter length in samples (e.g. 16).
    - mu (float): step size in (0, 2) (e.g. 0.1).

    Returns
    - cleaned (np.ndarray): artefact-reduced PPG, shape (n_samples,).
    """
    d = np.asarray(ppg, dtype=float)
    r = np.asarray(accel_ref, dtype=float)
    w = np.zeros(n_taps)
    u = np.zeros(n_taps)
    out = np.empty_like(d)
    for i in range(d.size):
        u = np.roll(u, 1)
        u[0] = r[i]
        e = d[i] - w @ u
        w += mu * e * u / (u @ u + 1e-8)
        out[i] = e
    return out


def check_nlms_motion_cancel() -> None:
    fs = 50.0
    t = np.arange(int(60 * fs)) / fs
    rng = np.random.default_rng(0)
    accel = rng.normal(size=t.size)
    motion = np.convolve(accel, [0.8, 0.4, -0.2], mode="full")[: t.size]
    pulse = 0.5 * np.sin(2 * np.pi * 1.3 * t)
    e = nlms_motion_cancel(pulse + motion, accel, 8, 0.05)
    assert e.shape == (t.size,)
    tail = slice(t.size // 2, None)
    assert np.std(e[tail] - pulse[tail]) < 0.3 * np.std(motion[tail])


def pulse_spectral_snr_db(ppg: np.ndarray, fs: float, hr_hz: float) -> float:
    """Spectral SNR of a PPG window around the known heart rate and its first harmonic.

    Method: periodogram power within +-0.1 Hz of hr_hz and of 2 hr_hz is signal; the rest of
    0.5-4 Hz is noise; SNR = 10 log10(signal / noise).

    Parameters
    - ppg (np.ndarray): 1-D PPG window in arbitrary units, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - hr_hz (float): heart rate in Hz (bpm / 60).

    Returns
    - snr_db (float): spectral signal-to-noise ratio in dB.
    """
    x = np.asarray(ppg, dtype=float)
    f, p = signal.periodogram(x - x.mean(), fs=fs)
    band = (f >= 0.5) & (f <= 4.0)
    near = (np.abs(f - hr_hz) <= 0.1) | (np.abs(f - 2 * hr_hz) <= 0.1)
    sig = p[band & near].sum()
    noise = p[band & ~near].sum()
    return float(10.0 * np.log10(sig / noise)) if noise > 0 and sig > 0 else float("inf")


def check_pulse_spectral_snr_db() -> None:
    fs = 50.0
    t = np.arange(int(30 * fs)) / fs
    rng = np.random.default_rng(0)
    clean = np.sin(2 * np.pi * 1.2 * t) + 0.1 * rng.normal(size=t.size)
    noisy = np.sin(2 * np.pi * 1.2 * t) + 2.0 * rng.normal(size=t.size)
    assert pulse_spectral_snr_db(clean, fs, 1.2) > pulse_spectral_snr_db(noisy, fs, 1.2) + 10
