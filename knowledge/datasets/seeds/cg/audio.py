"""CG seeds: microphone audio (framing, voice activity, spectral features, MFCC, pitch)."""

import numpy as np
from scipy import fft, signal

MODALITY = "audio"


def frame_audio_ms(audio: np.ndarray, fs: float, frame_ms: float, hop_ms: float) -> np.ndarray:
    """Split audio into short overlapping frames given in milliseconds.

    Method: frame length round(frame_ms * fs / 1000) samples, hop round(hop_ms * fs / 1000)
    samples (e.g. 25 ms / 10 ms); the incomplete last frame is dropped.

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - frame_ms (float): frame length in milliseconds.
    - hop_ms (float): hop between frame starts in milliseconds.

    Returns
    - frames (np.ndarray): frames, shape (n_frames, frame_len).
    """
    x = np.asarray(audio, dtype=float)
    n = max(1, round(frame_ms * fs / 1000.0))
    hop = max(1, round(hop_ms * fs / 1000.0))
    if x.size < n:
        return np.empty((0, n))
    starts = np.arange(0, x.size - n + 1, hop)
    return x[starts[:, None] + np.arange(n)[None, :]]


def check_frame_audio_ms() -> None:
    f = frame_audio_ms(np.arange(16000.0), 16000.0, 25.0, 10.0)
    assert f.shape == (98, 400)
    assert f[1, 0] == 160.0 and f[0, -1] == 399.0


def preemphasize_audio(audio: np.ndarray, coefficient: float) -> np.ndarray:
    """Boost high frequencies of speech before spectral analysis.

    Method: first-order FIR y[n] = x[n] - coefficient * x[n-1] (coefficient about 0.97) with
    scipy.signal.lfilter([1, -coefficient], [1]); the first sample is kept as is.

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units, shape (n_samples,).
    - coefficient (float): pre-emphasis coefficient in [0, 1).

    Returns
    - emphasized (np.ndarray): filtered audio, shape (n_samples,).
    """
    x = np.asarray(audio, dtype=float)
    return signal.lfilter([1.0, -coefficient], [1.0], x)


def check_preemphasize_audio() -> None:
    y = preemphasize_audio(np.array([1.0, 1.0, 2.0, 0.0]), 0.97)
    assert y.shape == (4,)
    assert np.allclose(y, [1.0, 0.03, 1.03, -1.94])


def short_time_energy_db(frames: np.ndarray) -> np.ndarray:
    """Log energy of each audio frame in decibels relative to full scale.

    Method: mean of squared samples per frame, 10 * log10(energy + 1e-12).

    Parameters
    - frames (np.ndarray): audio frames in full-scale units, shape (n_frames, frame_len).

    Returns
    - energy_db (np.ndarray): frame energy in dBFS, shape (n_frames,).
    """
    f = np.asarray(frames, dtype=float)
    return 10.0 * np.log10(np.mean(f**2, axis=1) + 1e-12)


def check_short_time_energy_db() -> None:
    frames = np.stack([np.ones(100), 0.1 * np.ones(100), np.zeros(100)])
    e = short_time_energy_db(frames)
    assert e.shape == (3,)
    assert np.allclose(e[:2], [0.0, -20.0], atol=1e-6) and e[2] < -100


def frame_zero_crossing_rate(frames: np.ndarray) -> np.ndarray:
    """Fraction of adjacent-sample sign changes in each audio frame.

    Method: count of sign(x[n]) != sign(x[n-1]) per frame divided by (frame_len - 1); zeros
    count as positive.

    Parameters
    - frames (np.ndarray): audio frames, shape (n_frames, frame_len).

    Returns
    - zcr (np.ndarray): zero-crossing rate per frame in [0, 1], shape (n_frames,).
    """
    f = np.asarray(frames, dtype=float)
    if f.shape[1] < 2:
        return np.zeros(f.shape[0])
    positive = f >= 0
    return np.mean(positive[:, 1:] != positive[:, :-1], axis=1)


def check_frame_zero_crossing_rate() -> None:
    alt = np.tile([1.0, -1.0], 50)
    z = frame_zero_crossing_rate(np.stack([alt, np.ones(100)]))
    assert z.shape == (2,)
    assert np.allclose(z, [1.0, 0.0])


def energy_zcr_speech_frames(
    audio: np.ndarray, fs: float, frame_ms: float, energy_db: float, max_zcr: float
) -> np.ndarray:
    """Flag speech frames with a two-feature voice-activity rule (energy and zero crossings).

    Method: non-overlapping frames of frame_ms milliseconds; a frame is speech when its energy
    10 log10(mean x^2) exceeds energy_db (dBFS) and its zero-crossing rate is below max_zcr.

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - frame_ms (float): frame length in milliseconds.
    - energy_db (float): energy threshold in dBFS (e.g. -40).
    - max_zcr (float): largest zero-crossing rate of voiced speech (e.g. 0.25).

    Returns
    - is_speech (np.ndarray): speech flag per frame, bool, shape (n_frames,).
    """
    x = np.asarray(audio, dtype=float)
    n = max(2, round(frame_ms * fs / 1000.0))
    n_frames = x.size // n
    frames = x[: n_frames * n].reshape(n_frames, n)
    energy = 10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    positive = frames >= 0
    zcr = np.mean(positive[:, 1:] != positive[:, :-1], axis=1)
    return (energy > energy_db) & (zcr < max_zcr)


def check_energy_zcr_speech_frames() -> None:
    fs = 16000.0
    t = np.arange(16000) / fs
    x = 0.001 * np.random.default_rng(0).normal(size=t.size)
    x[8000:] += 0.3 * np.sin(2 * np.pi * 200 * t[8000:])
    v = energy_zcr_speech_frames(x, fs, 20.0, -40.0, 0.25)
    assert v.shape == (50,) and v.dtype == bool
    assert not v[:25].any() and v[25:].all()


def stft_magnitude(audio: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    """Magnitude spectrogram of audio with a Hann window.

    Method: frames of n_fft samples every hop samples, periodic Hann window
    (scipy.signal.get_window), real FFT per frame (numpy.fft.rfft), absolute value.

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units, shape (n_samples,).
    - n_fft (int): frame and FFT length in samples.
    - hop (int): hop between frames in samples.

    Returns
    - magnitude (np.ndarray): magnitude spectrogram, shape (n_frames, n_fft // 2 + 1).
    """
    x = np.asarray(audio, dtype=float)
    if x.size < n_fft:
        return np.empty((0, n_fft // 2 + 1))
    starts = np.arange(0, x.size - n_fft + 1, hop)
    frames = x[starts[:, None] + np.arange(n_fft)[None, :]]
    window = signal.get_window("hann", n_fft)
    return np.abs(np.fft.rfft(frames * window, axis=1))


def check_stft_magnitude() -> None:
    fs = 8000.0
    t = np.arange(8000) / fs
    m = stft_magnitude(np.sin(2 * np.pi * 1000 * t), 256, 128)
    assert m.shape == (61, 129)
    assert int(np.argmax(m[10])) == 32


def centroid_from_spectrogram(magnitude: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Spectral centroid of each frame of a precomputed magnitude spectrogram.

    Method: sum(f * |X(f)|) / sum(|X(f)|) per frame; 0 Hz for a silent frame.

    Parameters
    - magnitude (np.ndarray): magnitude spectrogram, shape (n_frames, n_bins).
    - freqs (np.ndarray): bin frequencies in Hz, shape (n_bins,).

    Returns
    - centroid_hz (np.ndarray): centroid per frame in Hz, shape (n_frames,).
    """
    m = np.asarray(magnitude, dtype=float)
    total = m.sum(axis=1)
    weighted = m @ np.asarray(freqs, dtype=float)
    return np.divide(weighted, total, out=np.zeros_like(total), where=total > 0)


def check_centroid_from_spectrogram() -> None:
    freqs = np.array([0.0, 100.0, 200.0, 300.0])
    m = np.array([[0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    c = centroid_from_spectrogram(m, freqs)
    assert c.shape == (2,)
    assert np.allclose(c, [200.0, 0.0])


def spectral_rolloff_hz(magnitude: np.ndarray, freqs: np.ndarray, fraction: float) -> np.ndarray:
    """Roll-off frequency of each spectrogram frame.

    Method: lowest bin frequency at which the cumulative spectral energy (|X|^2) reaches
    fraction (e.g. 0.85) of the frame's total energy.

    Parameters
    - magnitude (np.ndarray): magnitude spectrogram, shape (n_frames, n_bins).
    - freqs (np.ndarray): bin frequencies in Hz, shape (n_bins,).
    - fraction (float): energy fraction in (0, 1].

    Returns
    - rolloff_hz (np.ndarray): roll-off frequency per frame in Hz, shape (n_frames,).
    """
    power = np.asarray(magnitude, dtype=float) ** 2
    cumulative = np.cumsum(power, axis=1)
    target = fraction * cumulative[:, -1:]
    idx = np.argmax(cumulative >= target, axis=1)
    return np.asarray(freqs, dtype=float)[idx]


def check_spectral_rolloff_hz() -> None:
    freqs = np.arange(5) * 100.0
    m = np.array([[1.0, 1.0, 1.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.0, 3.0]])
    r = spectral_rolloff_hz(m, freqs, 0.85)
    assert r.shape == (2,)
    assert np.allclose(r, [300.0, 400.0])


def spectral_flux_frames(magnitude: np.ndarray) -> np.ndarray:
    """Spectral flux: how much the spectrum increases from one frame to the next.

    Method: half-wave rectified difference sum(max(|X_t| - |X_t-1|, 0)) over bins; the first
    frame gets 0.

    Parameters
    - magnitude (np.ndarray): magnitude spectrogram, shape (n_frames, n_bins).

    Returns
    - flux (np.ndarray): flux per frame, shape (n_frames,).
    """
    m = np.asarray(magnitude, dtype=float)
    if m.shape[0] == 0:
        return np.zeros(0)
    diff = np.maximum(np.diff(m, axis=0), 0.0)
    return np.concatenate([[0.0], diff.sum(axis=1)])


def check_spectral_flux_frames() -> None:
    m = np.array([[1.0, 1.0], [3.0, 0.0], [3.0, 0.0]])
    fl = spectral_flux_frames(m)
    assert fl.shape == (3,)
    assert np.allclose(fl, [0.0, 2.0, 0.0])


def spectral_flatness_frames(power: np.ndarray) -> np.ndarray:
    """Spectral flatness (Wiener entropy) per frame: 1 for white noise, near 0 for a tone.

    Method: geometric mean / arithmetic mean of the power spectrum, with 1e-12 added to avoid
    log(0).

    Parameters
    - power (np.ndarray): power spectrogram, shape (n_frames, n_bins).

    Returns
    - flatness (np.ndarray): flatness per frame in [0, 1], shape (n_frames,).
    """
    p = np.asarray(power, dtype=float) + 1e-12
    geometric = np.exp(np.mean(np.log(p), axis=1))
    return geometric / np.mean(p, axis=1)


def check_spectral_flatness_frames() -> None:
    tone = np.zeros(64)
    tone[5] = 1.0
    f = spectral_flatness_frames(np.stack([np.ones(64), tone]))
    assert f.shape == (2,)
    assert abs(f[0] - 1.0) < 1e-9 and f[1] < 1e-3


def hz_to_mel_htk(freqs_hz: np.ndarray) -> np.ndarray:
    """Convert frequencies from hertz to the mel scale (HTK formula).

    Method: mel = 2595 * log10(1 + f / 700).

    Parameters
    - freqs_hz (np.ndarray): frequencies in Hz, shape (n,).

    Returns
    - mels (np.ndarray): frequencies in mel, shape (n,).
    """
    return 2595.0 * np.log10(1.0 + np.asarray(freqs_hz, dtype=float) / 700.0)


def check_hz_to_mel_htk() -> None:
    m = hz_to_mel_htk(np.array([0.0, 1000.0]))
    assert m.shape == (2,)
    assert m[0] == 0.0 and abs(m[1] - 1000.0) < 0.1


def mel_triangular_filterbank(
    n_mels: int, n_fft: int, fs: float, fmin_hz: float, fmax_hz: float
) -> np.ndarray:
    """Triangular mel filterbank matrix to turn an FFT power spectrum into mel-band energies.

    Method: n_mels + 2 points equally spaced on the HTK mel scale between fmin_hz and fmax_hz;
    filter m rises linearly from point m to m+1 and falls to m+2, evaluated at the rfft bin
    frequencies; peak height 1.

    Parameters
    - n_mels (int): number of mel bands.
    - n_fft (int): FFT length in samples.
    - fs (float): sampling rate in Hz.
    - fmin_hz (float): lowest band edge in Hz.
    - fmax_hz (float): highest band edge in Hz (at most fs / 2).

    Returns
    - filterbank (np.ndarray): filter weights, shape (n_mels, n_fft // 2 + 1).
    """
    bins = np.fft.rfftfreq(n_fft, d=1.0 / fs)
    lo = 2595.0 * np.log10(1.0 + fmin_hz / 700.0)
    hi = 2595.0 * np.log10(1.0 + fmax_hz / 700.0)
    points = 700.0 * (10.0 ** (np.linspace(lo, hi, n_mels + 2) / 2595.0) - 1.0)
    bank = np.zeros((n_mels, bins.size))
    for m in range(n_mels):
        left, centre, right = points[m], points[m + 1], points[m + 2]
        rising = (bins - left) / (centre - left)
        falling = (right - bins) / (right - centre)
        bank[m] = np.maximum(0.0, np.minimum(rising, falling))
    return bank


def check_mel_triangular_filterbank() -> None:
    fb = mel_triangular_filterbank(26, 512, 16000.0, 0.0, 8000.0)
    assert fb.shape == (26, 257)
    assert fb.max() <= 1.0 + 1e-12 and np.all(fb >= 0)
    centres = np.argmax(fb, axis=1)
    assert np.all(np.diff(centres) > 0)
    assert np.all(fb.sum(axis=1) > 0)


def mfcc_from_power_spectrum(
    power: np.ndarray, fs: float, n_fft: int, n_mels: int, n_mfcc: int
) -> np.ndarray:
    """Mel-frequency cepstral coefficients from frame power spectra.

    Method: HTK mel triangular filterbank of n_mels bands from 0 Hz to fs / 2, log of the band
    energies (plus 1e-10), DCT-II with orthonormal scaling (scipy.fft.dct), keep n_mfcc.

    Parameters
    - power (np.ndarray): power spectra of frames, shape (n_frames, n_fft // 2 + 1).
    - fs (float): sampling rate in Hz.
    - n_fft (int): FFT length in samples.
    - n_mels (int): number of mel bands (e.g. 40).
    - n_mfcc (int): number of coefficients kept (e.g. 13).

    Returns
    - mfcc (np.ndarray): cepstral coefficients, shape (n_frames, n_mfcc).
    """
    p = np.atleast_2d(np.asarray(power, dtype=float))
    bins = np.fft.rfftfreq(n_fft, d=1.0 / fs)
    top = 2595.0 * np.log10(1.0 + (fs / 2.0) / 700.0)
    points = 700.0 * (10.0 ** (np.linspace(0.0, top, n_mels + 2) / 2595.0) - 1.0)
    bank = np.zeros((n_mels, bins.size))
    for m in range(n_mels):
        left, centre, right = points[m], points[m + 1], points[m + 2]
        bank[m] = np.maximum(
            0.0, np.minimum((bins - left) / (centre - left), (right - bins) / (right - centre))
        )
    log_mel = np.log(p @ bank.T + 1e-10)
    return fft.dct(log_mel, type=2, norm="ortho", axis=1)[:, :n_mfcc]


def check_mfcc_from_power_spectrum() -> None:
    rng = np.random.default_rng(0)
    power = rng.random((5, 257))
    c = mfcc_from_power_spectrum(power, 16000.0, 512, 40, 13)
    assert c.shape == (5, 13)
    flat = mfcc_from_power_spectrum(np.ones((1, 257)), 16000.0, 512, 40, 13)
    assert np.all(np.isfinite(flat))
    scaled = mfcc_from_power_spectrum(100.0 * power, 16000.0, 512, 40, 13)
    assert np.allclose((scaled - c)[:, 1:], 0.0, atol=1e-6)
    assert np.allclose(scaled[:, 0] - c[:, 0], np.log(100.0) * np.sqrt(40), atol=1e-6)


def autocorrelation_pitch_hz(frame: np.ndarray, fs: float, fmin_hz: float, fmax_hz: float) -> float:
    """Fundamental frequency of a voiced audio frame by autocorrelation.

    Method: remove the mean, autocorrelation for lags round(fs / fmax_hz) to round(fs / fmin_hz),
    pitch = fs / lag of the maximum; 0.0 when the frame is silent.

    Parameters
    - frame (np.ndarray): 1-D audio frame in full-scale units, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - fmin_hz (float): lowest expected pitch in Hz (e.g. 60).
    - fmax_hz (float): highest expected pitch in Hz (e.g. 400).

    Returns
    - f0_hz (float): estimated fundamental frequency in Hz.
    """
    x = np.asarray(frame, dtype=float)
    x = x - x.mean()
    if not np.any(x):
        return 0.0
    lo = max(1, round(fs / fmax_hz))
    hi = min(x.size - 1, round(fs / fmin_hz))
    if hi <= lo:
        return 0.0
    ac = np.correlate(x, x, mode="full")[x.size - 1 :]
    lag = lo + int(np.argmax(ac[lo : hi + 1]))
    return float(fs / lag)


def check_autocorrelation_pitch_hz() -> None:
    fs = 16000.0
    t = np.arange(640) / fs
    x = np.sin(2 * np.pi * 160 * t) + 0.5 * np.sin(2 * np.pi * 320 * t)
    assert abs(autocorrelation_pitch_hz(x, fs, 60.0, 400.0) - 160.0) < 2.0
    assert autocorrelation_pitch_hz(np.zeros(640), fs, 60.0, 400.0) == 0.0


def rms_level_dbfs(audio: np.ndarray) -> float:
    """RMS level of an audio clip in dB relative to full scale.

    Method: 20 * log10(sqrt(mean(x^2))); a full-scale sine reads -3.01 dBFS; -inf for silence.

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units (-1 to 1), shape (n_samples,).

    Returns
    - level_dbfs (float): RMS level in dBFS.
    """
    x = np.asarray(audio, dtype=float)
    rms = float(np.sqrt(np.mean(x**2))) if x.size else 0.0
    return 20.0 * float(np.log10(rms)) if rms > 0 else float("-inf")


def check_rms_level_dbfs() -> None:
    t = np.arange(48000) / 48000.0
    assert abs(rms_level_dbfs(np.sin(2 * np.pi * 1000 * t)) + 3.0103) < 1e-3
    assert abs(rms_level_dbfs(np.full(10, 0.1)) + 20.0) < 1e-9
    assert rms_level_dbfs(np.zeros(4)) == float("-inf")


def sound_pressure_level_db(pressure_pa: np.ndarray) -> float:
    """Sound pressure level of a calibrated microphone signal.

    Method: SPL = 20 * log10(p_rms / 20 micropascal), p_rms the RMS pressure in pascals.

    Parameters
    - pressure_pa (np.ndarray): 1-D sound pressure in pascals, shape (n_samples,).

    Returns
    - spl_db (float): sound pressure level in dB SPL.
    """
    p = np.asarray(pressure_pa, dtype=float)
    rms = float(np.sqrt(np.mean(p**2))) if p.size else 0.0
    return 20.0 * float(np.log10(max(rms, 1e-12) / 20e-6))


def check_sound_pressure_level_db() -> None:
    t = np.arange(48000) / 48000.0
    p = np.sqrt(2.0) * np.sin(2 * np.pi * 1000 * t)
    assert abs(sound_pressure_level_db(p) - 93.98) < 0.01


def a_weighting_db(freqs_hz: np.ndarray) -> np.ndarray:
    """A-weighting gain (IEC 61672) at the given frequencies.

    Method: R_A(f) = 12194^2 f^4 / ((f^2 + 20.6^2) sqrt((f^2 + 107.7^2)(f^2 + 737.9^2))
    (f^2 + 12194^2)); A = 20 log10(R_A) + 2.00 dB (0 dB at 1 kHz).

    Parameters
    - freqs_hz (np.ndarray): frequencies in Hz, shape (n,).

    Returns
    - gain_db (np.ndarray): A-weighting in dB, shape (n,).
    """
    f2 = np.asarray(freqs_hz, dtype=float) ** 2
    num = 12194.0**2 * f2**2
    den = (f2 + 20.6**2) * np.sqrt((f2 + 107.7**2) * (f2 + 737.9**2)) * (f2 + 12194.0**2)
    with np.errstate(divide="ignore"):
        return 20.0 * np.log10(num / den) + 2.0


def check_a_weighting_db() -> None:
    a = a_weighting_db(np.array([1000.0, 100.0, 10000.0]))
    assert a.shape == (3,)
    assert abs(a[0]) < 0.01
    assert abs(a[1] + 19.1) < 0.1 and abs(a[2] + 2.5) < 0.1


def delta_coefficients(features: np.ndarray, width: int) -> np.ndarray:
    """Delta (time-derivative) features of a frame sequence, e.g. delta-MFCC.

    Method: regression formula d_t = sum_{n=1..width} n (c_{t+n} - c_{t-n}) / (2 sum n^2) with
    edge frames repeated (width typically 2).

    Parameters
    - features (np.ndarray): per-frame features, shape (n_frames, n_features).
    - width (int): number of neighbouring frames on each side.

    Returns
    - deltas (np.ndarray): delta features, shape (n_frames, n_features).
    """
    c = np.asarray(features, dtype=float)
    padded = np.pad(c, ((width, width), (0, 0)), mode="edge")
    n_frames = c.shape[0]
    denom = 2.0 * sum(n * n for n in range(1, width + 1))
    out = np.zeros_like(c)
    for n in range(1, width + 1):
        out += n * (
            padded[width + n : width + n + n_frames] - padded[width - n : width - n + n_frames]
        )
    return out / denom


def check_delta_coefficients() -> None:
    c = np.arange(10.0)[:, None] * np.array([[1.0, 2.0]])
    d = delta_coefficients(c, 2)
    assert d.shape == (10, 2)
    assert np.allclose(d[2:-2], [[1.0, 2.0]])


def trim_silence_bounds(audio: np.ndarray, fs: float, threshold_db: float) -> tuple[int, int]:
    """Start and end sample of the non-silent part of an audio clip.

    Method: 20 ms non-overlapping frames; a frame is active when its RMS level in dB relative to
    the loudest frame exceeds threshold_db (e.g. -40); bounds of the first and last active frame.

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - threshold_db (float): activity threshold in dB below the loudest frame (negative).

    Returns
    - start (int): first sample of the active part.
    - end (int): one past the last sample of the active part (0, 0 when all silent).
    """
    x = np.asarray(audio, dtype=float)
    n = max(1, round(0.02 * fs))
    n_frames = x.size // n
    if n_frames == 0:
        return 0, 0
    rms = np.sqrt(np.mean(x[: n_frames * n].reshape(n_frames, n) ** 2, axis=1))
    if rms.max() == 0:
        return 0, 0
    level = 20.0 * np.log10(rms / rms.max() + 1e-12)
    active = np.flatnonzero(level > threshold_db)
    return int(active[0] * n), int((active[-1] + 1) * n)


def check_trim_silence_bounds() -> None:
    fs = 8000.0
    x = np.zeros(8000)
    x[1600:4800] = 0.5 * np.sin(2 * np.pi * 300 * np.arange(3200) / fs)
    assert trim_silence_bounds(x, fs, -40.0) == (1600, 4800)
    assert trim_silence_bounds(np.zeros(800), fs, -40.0) == (0, 0)


def cepstral_mean_normalise(features: np.ndarray) -> np.ndarray:
    """Cepstral mean normalisation of an utterance's MFCC matrix (channel compensation).

    Method: subtract the per-coefficient mean over all frames of the utterance.

    Parameters
    - features (np.ndarray): MFCC frames, shape (n_frames, n_mfcc).

    Returns
    - normalised (np.ndarray): mean-free MFCC frames, shape (n_frames, n_mfcc).
    """
    c = np.asarray(features, dtype=float)
    if c.shape[0] == 0:
        return c.copy()
    return c - c.mean(axis=0, keepdims=True)


def check_cepstral_mean_normalise() -> None:
    c = np.array([[1.0, 10.0], [3.0, 20.0]])
    out = cepstral_mean_normalise(c)
    assert out.shape == (2, 2)
    assert np.allclose(out, [[-1.0, -5.0], [1.0, 5.0]])


def clipped_sample_fraction(audio: np.ndarray, level: float) -> float:
    """Fraction of audio samples at or beyond the clipping level (recording quality check).

    Method: mean of |x| >= level (e.g. level 0.99 of full scale).

    Parameters
    - audio (np.ndarray): 1-D audio in full-scale units, shape (n_samples,).
    - level (float): clipping level in full-scale units.

    Returns
    - fraction (float): fraction of clipped samples in [0, 1].
    """
    x = np.asarray(audio, dtype=float)
    if x.size == 0:
        return 0.0
    return float(np.mean(np.abs(x) >= level))


def check_clipped_sample_fraction() -> None:
    x = np.array([0.0, 1.0, -1.0, 0.5, 0.995, 0.2, -0.3, 0.1])
    assert abs(clipped_sample_fraction(x, 0.99) - 3 / 8) < 1e-12


def spectral_bandwidth_hz(magnitude: np.ndarray, freqs: np.ndarray) -> np.ndarray:
    """Spectral bandwidth (spread around the centroid) of each spectrogram frame.

    Method: sqrt(sum |X(f)| (f - centroid)^2 / sum |X(f)|) with the magnitude-weighted centroid;
    0 for a silent frame.

    Parameters
    - magnitude (np.ndarray): magnitude spectrogram, shape (n_frames, n_bins).
    - freqs (np.ndarray): bin frequencies in Hz, shape (n_bins,).

    Returns
    - bandwidth_hz (np.ndarray): bandwidth per frame in Hz, shape (n_frames,).
    """
    m = np.asarray(magnitude, dtype=float)
    f = np.asarray(freqs, dtype=float)
    total = m.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)
    centroid = (m @ f) / safe
    spread = np.sum(m * (f[None, :] - centroid[:, None]) ** 2, axis=1) / safe
    return np.where(total > 0, np.sqrt(spread), 0.0)


def check_spectral_bandwidth_hz() -> None:
    freqs = np.array([0.0, 100.0, 200.0])
    m = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    b = spectral_bandwidth_hz(m, freqs)
    assert b.shape == (3,)
    assert np.allclose(b, [100.0, 0.0, 0.0])


def log_mel_energies_db(power: np.ndarray, filterbank: np.ndarray) -> np.ndarray:
    """Mel-band energies in decibels from power spectra and a mel filterbank.

    Method: band energy = power @ filterbank.T; 10 * log10(max(energy, 1e-10)).

    Parameters
    - power (np.ndarray): power spectra, shape (n_frames, n_bins).
    - filterbank (np.ndarray): mel filter weights, shape (n_mels, n_bins).

    Returns
    - mel_db (np.ndarray): log mel energies in dB, shape (n_frames, n_mels).
    """
    energy = np.asarray(power, dtype=float) @ np.asarray(filterbank, dtype=float).T
    return 10.0 * np.log10(np.maximum(energy, 1e-10))


def check_log_mel_energies_db() -> None:
    power = np.array([[1.0, 1.0, 1.0, 1.0]])
    fb = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 5.0, 5.0, 0.0]])
    out = log_mel_energies_db(power, fb)
    assert out.shape == (1, 2)
    assert np.allclose(out, [[0.0, 10.0]])
