"""CG seeds: more ECG and heart-rate-variability methods (R-R intervals in ms unless stated)."""

import numpy as np
from scipy import signal

MODALITY = "ecg"


def rmssd_ms(rr_ms: np.ndarray) -> float:
    """RMSSD, the short-term (vagal) heart-rate-variability index.

    Method: square root of the mean of squared successive differences of the NN intervals in ms;
    NaN with fewer than 2 intervals.

    Parameters
    - rr_ms (np.ndarray): NN (normal-to-normal) intervals in milliseconds, shape (n_intervals,).

    Returns
    - rmssd (float): RMSSD in milliseconds.
    """
    rr = np.asarray(rr_ms, dtype=float)
    if rr.size < 2:
        return float("nan")
    return float(np.sqrt(np.mean(np.diff(rr) ** 2)))


def check_rmssd_ms() -> None:
    assert abs(rmssd_ms(np.array([800.0, 820.0, 800.0, 820.0])) - 20.0) < 1e-12
    assert np.isnan(rmssd_ms(np.array([800.0])))


def sdnn_ms(rr_ms: np.ndarray) -> float:
    """SDNN, the overall heart-rate-variability index of a recording.

    Method: sample standard deviation (ddof = 1) of the NN intervals in ms; NaN with fewer than
    2 intervals.

    Parameters
    - rr_ms (np.ndarray): NN intervals in milliseconds, shape (n_intervals,).

    Returns
    - sdnn (float): SDNN in milliseconds.
    """
    rr = np.asarray(rr_ms, dtype=float)
    return float(np.std(rr, ddof=1)) if rr.size >= 2 else float("nan")


def check_sdnn_ms() -> None:
    assert abs(sdnn_ms(np.array([700.0, 800.0, 900.0])) - 100.0) < 1e-12


def pnnx_percent(rr_ms: np.ndarray, threshold_ms: float) -> float:
    """pNNx: percentage of successive NN differences larger than a threshold (pNN50 for 50 ms).

    Method: count of |diff(rr)| > threshold_ms divided by the number of differences, times 100.

    Parameters
    - rr_ms (np.ndarray): NN intervals in milliseconds, shape (n_intervals,).
    - threshold_ms (float): difference threshold in milliseconds.

    Returns
    - pnn_pct (float): percentage in [0, 100] (NaN with fewer than 2 intervals).
    """
    rr = np.asarray(rr_ms, dtype=float)
    if rr.size < 2:
        return float("nan")
    return float(np.mean(np.abs(np.diff(rr)) > threshold_ms) * 100.0)


def check_pnnx_percent() -> None:
    rr = np.array([800.0, 860.0, 850.0, 790.0, 800.0])
    assert abs(pnnx_percent(rr, 50.0) - 50.0) < 1e-12
    assert abs(pnnx_percent(rr, 20.0) - 50.0) < 1e-12
    assert pnnx_percent(rr, 5.0) == 100.0


def hrv_triangular_index(rr_ms: np.ndarray) -> float:
    """HRV triangular index: NN count over the height of the NN-interval histogram.

    Method: histogram with the standard bin width of 1/128 s (7.8125 ms) from min to max;
    index = n_intervals / max bin count.

    Parameters
    - rr_ms (np.ndarray): NN intervals in milliseconds, shape (n_intervals,).

    Returns
    - tri_index (float): triangular index (dimensionless).
    """
    rr = np.asarray(rr_ms, dtype=float)
    if rr.size == 0:
        return float("nan")
    width = 1000.0 / 128.0
    edges = np.arange(rr.min(), rr.max() + width, width)
    if edges.size < 2:
        return 1.0
    counts, _ = np.histogram(rr, bins=edges)
    return float(rr.size / counts.max())


def check_hrv_triangular_index() -> None:
    rr = np.array([800.0] * 10 + [900.0] * 5)
    assert abs(hrv_triangular_index(rr) - 1.5) < 1e-12


def instantaneous_heart_rate_bpm(rr_ms: np.ndarray) -> np.ndarray:
    """Beat-to-beat heart rate from R-R intervals in milliseconds.

    Method: HR = 60000 / RR(ms) per interval.

    Parameters
    - rr_ms (np.ndarray): R-R intervals in milliseconds, shape (n_intervals,).

    Returns
    - hr_bpm (np.ndarray): heart rate in beats per minute, shape (n_intervals,).
    """
    return 60000.0 / np.asarray(rr_ms, dtype=float)


def check_instantaneous_heart_rate_bpm() -> None:
    assert np.allclose(instantaneous_heart_rate_bpm(np.array([1000.0, 500.0])), [60.0, 120.0])


def qtc_bazett_fridericia_ms(qt_ms: float, rr_ms: float) -> tuple[float, float]:
    """Heart-rate corrected QT interval by Bazett's and Fridericia's formulas.

    Method: with RR in seconds, QTcB = QT / RR^(1/2), QTcF = QT / RR^(1/3); QT in ms.

    Parameters
    - qt_ms (float): measured QT interval in milliseconds.
    - rr_ms (float): preceding R-R interval in milliseconds.

    Returns
    - qtc_bazett_ms (float): Bazett-corrected QT in milliseconds.
    - qtc_fridericia_ms (float): Fridericia-corrected QT in milliseconds.
    """
    rr_s = rr_ms / 1000.0
    return qt_ms / rr_s**0.5, qt_ms / rr_s ** (1.0 / 3.0)


def check_qtc_bazett_fridericia_ms() -> None:
    b, f = qtc_bazett_fridericia_ms(400.0, 1000.0)
    assert abs(b - 400.0) < 1e-9 and abs(f - 400.0) < 1e-9
    b, f = qtc_bazett_fridericia_ms(360.0, 640.0)
    assert abs(b - 450.0) < 1e-9 and abs(f - 360.0 / 0.64 ** (1 / 3)) < 1e-9


def sample_entropy_rr(rr_ms: np.ndarray, m: int, r_fraction: float) -> float:
    """Sample entropy (SampEn) of an R-R series, a regularity measure.

    Method: tolerance r = r_fraction * std(rr); B = pairs of length-m templates within r
    (Chebyshev distance, no self-matches), A = same for length m + 1, over the first n - m
    templates; SampEn = -ln(A / B) (inf when A = 0).

    Parameters
    - rr_ms (np.ndarray): R-R intervals in milliseconds, shape (n_intervals,).
    - m (int): embedding dimension (usually 2).
    - r_fraction (float): tolerance as a fraction of the standard deviation (usually 0.2).

    Returns
    - sampen (float): sample entropy (dimensionless).
    """
    x = np.asarray(rr_ms, dtype=float)
    n = x.size
    r = r_fraction * x.std()
    if n <= m + 1:
        return float("nan")

    counts = []
    for length in (m, m + 1):
        templates = np.array([x[i : i + length] for i in range(n - m)])
        dist = np.max(np.abs(templates[:, None, :] - templates[None, :, :]), axis=2)
        counts.append((np.sum(dist <= r) - templates.shape[0]) / 2)
    b, a = counts
    if a == 0 or b == 0:
        return float("inf")
    return float(-np.log(a / b))


def check_sample_entropy_rr() -> None:
    regular = np.tile([800.0, 850.0], 100)
    rng = np.random.default_rng(0)
    noisy = 800.0 + 50.0 * rng.normal(size=200)
    s_reg = sample_entropy_rr(regular, 2, 0.2)
    s_noise = sample_entropy_rr(noisy, 2, 0.2)
    assert s_reg < 0.05 and s_noise > 1.5


def dfa_alpha1(rr_ms: np.ndarray) -> float:
    """Short-term detrended fluctuation analysis exponent (DFA alpha1) of an R-R series.

    Method: integrate the mean-free series; for box sizes 4-16 beats split it into boxes, remove
    each box's least-squares line, RMS fluctuation F(n); alpha1 = slope of log F vs log n.

    Parameters
    - rr_ms (np.ndarray): R-R intervals in milliseconds, at least 32, shape (n_intervals,).

    Returns
    - alpha1 (float): scaling exponent (about 0.5 white noise, 1.5 random walk).
    """
    x = np.asarray(rr_ms, dtype=float)
    y = np.cumsum(x - x.mean())
    sizes = np.arange(4, 17)
    fluct = []
    for n in sizes:
        n_boxes = y.size // n
        boxes = y[: n_boxes * n].reshape(n_boxes, n)
        t = np.arange(n)
        coef = np.polyfit(t, boxes.T, 1)
        trend = np.outer(coef[0], t) + coef[1][:, None]
        fluct.append(np.sqrt(np.mean((boxes - trend) ** 2)))
    return float(np.polyfit(np.log(sizes), np.log(fluct), 1)[0])


def check_dfa_alpha1() -> None:
    rng = np.random.default_rng(0)
    white = 800.0 + 30.0 * rng.normal(size=3000)
    walk = 800.0 + np.cumsum(rng.normal(size=3000))
    assert abs(dfa_alpha1(white) - 0.5) < 0.15
    assert abs(dfa_alpha1(walk) - 1.5) < 0.15


def poincare_csi_cvi(rr_ms: np.ndarray) -> tuple[float, float]:
    """Cardiac sympathetic and vagal indices from the Poincare plot (Toichi et al.).

    Method: SD1 = std(diff / sqrt 2), SD2 = std(sum of successive pairs / sqrt 2); T = 4 SD1,
    L = 4 SD2; CSI = L / T; CVI = log10(L * T).

    Parameters
    - rr_ms (np.ndarray): R-R intervals in milliseconds, shape (n_intervals,).

    Returns
    - csi (float): cardiac sympathetic index (dimensionless).
    - cvi (float): cardiac vagal index (log10 of ms^2).
    """
    rr = np.asarray(rr_ms, dtype=float)
    a, b = rr[:-1], rr[1:]
    sd1 = np.std((b - a) / np.sqrt(2.0))
    sd2 = np.std((b + a) / np.sqrt(2.0))
    t, length = 4.0 * sd1, 4.0 * sd2
    return float(length / t), float(np.log10(length * t))


def check_poincare_csi_cvi() -> None:
    rng = np.random.default_rng(0)
    rr = 800 + 40 * np.sin(np.arange(300) / 10.0) + 5 * rng.normal(size=300)
    csi, cvi = poincare_csi_cvi(rr)
    assert csi > 3.0
    a, b = rr[:-1], rr[1:]
    expected = np.log10(16 * np.std((b - a) / np.sqrt(2)) * np.std((b + a) / np.sqrt(2)))
    assert abs(cvi - expected) < 1e-9


def drop_ectopic_rr(rr_ms: np.ndarray, window: int, max_deviation_pct: float) -> np.ndarray:
    """Remove ectopic or artefactual R-R intervals by comparison with the local median.

    Method: centred running median over window intervals (scipy.signal.medfilt, odd window);
    intervals deviating from it by more than max_deviation_pct percent are removed.

    Parameters
    - rr_ms (np.ndarray): R-R intervals in milliseconds, shape (n_intervals,).
    - window (int): median window in intervals (odd, e.g. 5).
    - max_deviation_pct (float): allowed deviation in percent (e.g. 20).

    Returns
    - nn_ms (np.ndarray): retained NN intervals in milliseconds, shape (n_kept,).
    """
    rr = np.asarray(rr_ms, dtype=float)
    w = window if window % 2 == 1 else window + 1
    local = signal.medfilt(rr, kernel_size=w) if rr.size >= w else np.full(rr.size, np.median(rr))
    keep = np.abs(rr - local) <= max_deviation_pct / 100.0 * local
    return rr[keep]


def check_drop_ectopic_rr() -> None:
    rr = np.array([800.0, 810.0, 790.0, 500.0, 1100.0, 805.0, 795.0, 800.0])
    nn = drop_ectopic_rr(rr, 5, 20.0)
    assert nn.tolist() == [800.0, 810.0, 790.0, 805.0, 795.0, 800.0]


def mean_heart_rate_from_times(peak_times_s: np.ndarray) -> float:
    """Mean heart rate from R-peak times in seconds.

    Method: beats in the span = n_peaks - 1; HR = 60 * (n_peaks - 1) / (t_last - t_first);
    0.0 with fewer than two peaks.

    Parameters
    - peak_times_s (np.ndarray): R-peak times in seconds, increasing, shape (n_peaks,).

    Returns
    - hr_bpm (float): mean heart rate in beats per minute.
    """
    t = np.asarray(peak_times_s, dtype=float)
    if t.size < 2 or t[-1] <= t[0]:
        return 0.0
    return 60.0 * (t.size - 1) / (t[-1] - t[0])


def check_mean_heart_rate_from_times() -> None:
    assert abs(mean_heart_rate_from_times(np.arange(0, 10.0, 0.75)) - 80.0) < 1e-9


def refine_r_peaks(
    ecg: np.ndarray, approx_peaks: np.ndarray, fs: float, search_ms: float
) -> np.ndarray:
    """Move approximate R-peak positions to the true local maximum of the ECG.

    Method: for each peak, arg-max of the ECG within +-round(search_ms * fs / 1000) samples;
    duplicates removed and sorted.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).
    - approx_peaks (np.ndarray): approximate peak sample indices, shape (n_peaks,).
    - fs (float): sampling rate in Hz.
    - search_ms (float): search half-width in milliseconds (e.g. 50).

    Returns
    - r_peaks (np.ndarray): refined sample indices, int, shape (n_refined,).
    """
    x = np.asarray(ecg, dtype=float)
    half = max(1, round(search_ms * fs / 1000.0))
    out = []
    for p in np.asarray(approx_peaks, dtype=int):
        lo, hi = max(0, p - half), min(x.size, p + half + 1)
        if lo < hi:
            out.append(lo + int(np.argmax(x[lo:hi])))
    return np.unique(np.asarray(out, dtype=int))


def check_refine_r_peaks() -> None:
    fs = 250.0
    x = np.zeros(2500)
    true = np.arange(100, 2500, 200)
    x[true] = 1.5
    r = refine_r_peaks(x, true + 7, fs, 50.0)
    assert r.tolist() == true.tolist()
    assert refine_r_peaks(x, true + 7, fs, 20.0).tolist() != true.tolist()


def beat_template_correlation(ecg: np.ndarray, r_peaks: np.ndarray, fs: float) -> np.ndarray:
    """Per-beat quality: correlation of each heartbeat with the median beat template.

    Method: segments from R - 200 ms to R + 400 ms (beats too close to the edges skipped),
    median template across beats, Pearson correlation of each beat with it.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).
    - r_peaks (np.ndarray): R-peak sample indices, shape (n_beats,).
    - fs (float): sampling rate in Hz.

    Returns
    - correlation (np.ndarray): correlation per usable beat in [-1, 1], shape (n_used,).
    """
    x = np.asarray(ecg, dtype=float)
    pre, post = round(0.2 * fs), round(0.4 * fs)
    beats = [
        x[p - pre : p + post]
        for p in np.asarray(r_peaks, dtype=int)
        if p - pre >= 0 and p + post <= x.size
    ]
    if not beats:
        return np.zeros(0)
    stack = np.stack(beats)
    template = np.median(stack, axis=0)
    return np.array([np.corrcoef(b, template)[0, 1] for b in stack])


def check_beat_template_correlation() -> None:
    fs = 250.0
    beat = np.exp(-(((np.arange(150) - 50) / 4.0) ** 2))
    x = np.zeros(3000)
    peaks = np.arange(200, 2800, 250)
    for p in peaks:
        x[p - 50 : p + 100] += beat
    x[peaks[3] - 50 : peaks[3] + 100] = np.random.default_rng(0).normal(size=150)
    c = beat_template_correlation(x, peaks, fs)
    assert c.shape == (peaks.size,)
    assert c[3] < 0.5 and np.all(np.delete(c, 3) > 0.99)


def lomb_lf_hf_power(rr_s: np.ndarray) -> tuple[float, float]:
    """LF and HF power of an unevenly sampled R-R series with the Lomb-Scargle periodogram.

    Method: beat times = cumulative sum of RR (s); scipy.signal.lombscargle on the mean-free RR
    at 0.003-0.5 Hz (step 0.001 Hz, angular frequencies); integrate 0.04-0.15 Hz (LF) and
    0.15-0.4 Hz (HF).

    Parameters
    - rr_s (np.ndarray): R-R intervals in seconds, shape (n_intervals,).

    Returns
    - lf_power (float): LF power in arbitrary periodogram units.
    - hf_power (float): HF power in the same units.
    """
    rr = np.asarray(rr_s, dtype=float)
    t = np.cumsum(rr)
    freqs = np.arange(0.003, 0.5, 0.001)
    pgram = signal.lombscargle(t, rr - rr.mean(), 2 * np.pi * freqs)
    lf = (freqs >= 0.04) & (freqs < 0.15)
    hf = (freqs >= 0.15) & (freqs < 0.4)
    return float(np.trapezoid(pgram[lf], freqs[lf])), float(np.trapezoid(pgram[hf], freqs[hf]))


def check_lomb_lf_hf_power() -> None:
    rr = [0.8]
    t = 0.0
    for _ in range(400):
        t += rr[-1]
        rr.append(0.8 + 0.05 * np.sin(2 * np.pi * 0.25 * t))
    lf, hf = lomb_lf_hf_power(np.array(rr))
    assert hf > 10 * lf


def baevsky_stress_index(rr_ms: np.ndarray) -> float:
    """Baevsky stress index of an R-R series.

    Method: 50 ms histogram bins; Mo = centre of the fullest bin in s, AMo = its share of
    intervals in percent, MxDMn = (max - min) in s; SI = AMo / (2 Mo MxDMn).

    Parameters
    - rr_ms (np.ndarray): R-R intervals in milliseconds, shape (n_intervals,).

    Returns
    - stress_index (float): stress index (inf when all intervals are equal).
    """
    rr = np.asarray(rr_ms, dtype=float)
    edges = np.arange(np.floor(rr.min() / 50) * 50, rr.max() + 50.0, 50.0)
    counts, edges = np.histogram(rr, bins=edges)
    k = int(np.argmax(counts))
    mode_s = (edges[k] + edges[k + 1]) / 2000.0
    amo = counts[k] / rr.size * 100.0
    spread_s = (rr.max() - rr.min()) / 1000.0
    return float(amo / (2 * mode_s * spread_s)) if spread_s > 0 else float("inf")


def check_baevsky_stress_index() -> None:
    rr = np.array([810.0] * 6 + [870.0] * 2 + [920.0] * 2)
    si = baevsky_stress_index(rr)
    assert abs(si - 60.0 / (2 * 0.825 * 0.11)) < 1e-6


def karvonen_intensity_pct(hr_bpm: float, hr_rest_bpm: float, hr_max_bpm: float) -> float:
    """Exercise intensity as a percentage of heart-rate reserve (Karvonen).

    Method: (HR - HR_rest) / (HR_max - HR_rest) * 100.

    Parameters
    - hr_bpm (float): current heart rate in bpm.
    - hr_rest_bpm (float): resting heart rate in bpm.
    - hr_max_bpm (float): maximum heart rate in bpm.

    Returns
    - intensity_pct (float): percentage of heart-rate reserve.
    """
    return (hr_bpm - hr_rest_bpm) / (hr_max_bpm - hr_rest_bpm) * 100.0


def check_karvonen_intensity_pct() -> None:
    assert karvonen_intensity_pct(130.0, 60.0, 200.0) == 50.0


def adc_to_millivolts(counts: np.ndarray, adc_bits: int, vref_v: float, gain: float) -> np.ndarray:
    """Convert raw ECG front-end ADC codes (bipolar, two's complement) to millivolts at the skin.

    Method: mV = counts * (vref_v / 2^(adc_bits - 1)) / gain * 1000.

    Parameters
    - counts (np.ndarray): signed ADC codes, shape (n_samples,).
    - adc_bits (int): ADC resolution in bits (e.g. 24 for an ADS1292).
    - vref_v (float): reference voltage in volts.
    - gain (float): programmable amplifier gain.

    Returns
    - ecg_mv (np.ndarray): ECG in millivolts, shape (n_samples,).
    """
    lsb_v = vref_v / 2 ** (adc_bits - 1)
    return np.asarray(counts, dtype=float) * lsb_v / gain * 1000.0


def check_adc_to_millivolts() -> None:
    mv = adc_to_millivolts(np.array([0, 2**23 - 1, -(2**23)]), 24, 2.42, 6.0)
    assert np.allclose(mv, [0.0, 2420 / 6 * (1 - 2**-23), -2420 / 6])
