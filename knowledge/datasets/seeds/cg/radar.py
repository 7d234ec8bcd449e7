"""CG seeds: FMCW / mmWave radar (resolution formulas, FFT processing, CFAR, vital signs)."""

import numpy as np
from scipy import signal

MODALITY = "radar"


def fmcw_range_resolution_m(bandwidth_hz: float) -> float:
    """Range resolution of an FMCW radar from its sweep bandwidth.

    Method: delta_R = c / (2 B) with c = 299792458 m/s.

    Parameters
    - bandwidth_hz (float): chirp sweep bandwidth in Hz.

    Returns
    - resolution_m (float): range resolution in metres.
    """
    return 299792458.0 / (2.0 * bandwidth_hz)


def check_fmcw_range_resolution_m() -> None:
    assert abs(fmcw_range_resolution_m(4.0e9) - 0.0374740572) < 1e-9


def fmcw_max_range_m(adc_rate_hz: float, slope_hz_per_s: float) -> float:
    """Largest range an FMCW radar can measure, set by the ADC sampling rate (IF bandwidth).

    Method: complex-baseband IF bandwidth = adc_rate_hz, so R_max = adc_rate_hz * c / (2 * slope).

    Parameters
    - adc_rate_hz (float): ADC sampling rate in samples per second.
    - slope_hz_per_s (float): chirp frequency slope in Hz per second.

    Returns
    - max_range_m (float): maximum range in metres.
    """
    return adc_rate_hz * 299792458.0 / (2.0 * slope_hz_per_s)


def check_fmcw_max_range_m() -> None:
    slope = 30e6 / 1e-6
    assert abs(fmcw_max_range_m(10e6, slope) - 49.965) < 1e-2


def velocity_resolution_mps(carrier_hz: float, n_chirps: int, chirp_period_s: float) -> float:
    """Radial-velocity resolution of a radar frame of chirps.

    Method: delta_v = wavelength / (2 * n_chirps * chirp_period_s), wavelength = c / carrier_hz.

    Parameters
    - carrier_hz (float): carrier (start) frequency in Hz.
    - n_chirps (int): chirps per frame.
    - chirp_period_s (float): chirp repetition period in seconds.

    Returns
    - resolution_mps (float): velocity resolution in m/s.
    """
    wavelength = 299792458.0 / carrier_hz
    return wavelength / (2.0 * n_chirps * chirp_period_s)


def check_velocity_resolution_mps() -> None:
    v = velocity_resolution_mps(77e9, 128, 100e-6)
    assert abs(v - 0.15209) < 1e-4


def max_unambiguous_velocity_mps(carrier_hz: float, chirp_period_s: float) -> float:
    """Largest radial speed measurable without Doppler aliasing.

    Method: v_max = wavelength / (4 * chirp_period_s), wavelength = c / carrier_hz.

    Parameters
    - carrier_hz (float): carrier frequency in Hz.
    - chirp_period_s (float): chirp repetition period in seconds.

    Returns
    - v_max_mps (float): maximum unambiguous velocity in m/s (either direction).
    """
    return 299792458.0 / carrier_hz / (4.0 * chirp_period_s)


def check_max_unambiguous_velocity_mps() -> None:
    assert abs(max_unambiguous_velocity_mps(77e9, 100e-6) - 9.7335) < 1e-3


def beat_frequency_to_range_m(beat_hz: np.ndarray, slope_hz_per_s: float) -> np.ndarray:
    """Target range from the beat (IF) frequency of an FMCW radar.

    Method: R = c * f_beat / (2 * slope).

    Parameters
    - beat_hz (np.ndarray): beat frequencies in Hz, shape (n,).
    - slope_hz_per_s (float): chirp slope in Hz per second.

    Returns
    - range_m (np.ndarray): ranges in metres, shape (n,).
    """
    return 299792458.0 * np.asarray(beat_hz, dtype=float) / (2.0 * slope_hz_per_s)


def check_beat_frequency_to_range_m() -> None:
    r = beat_frequency_to_range_m(np.array([0.0, 2e6]), 60e12)
    assert np.allclose(r, [0.0, 4.99653], atol=1e-4)


def range_fft_frame(frame: np.ndarray) -> np.ndarray:
    """Range FFT of every chirp in a frame of FMCW ADC samples.

    Method: subtract each chirp's mean, Hann window along fast time, FFT along the sample axis
    (numpy.fft.fft); keep the first n_samples // 2 bins (positive ranges for real IF data).

    Parameters
    - frame (np.ndarray): ADC samples, shape (n_chirps, n_samples).

    Returns
    - range_bins (np.ndarray): complex range spectra, shape (n_chirps, n_samples // 2).
    """
    x = np.asarray(frame)
    x = x - x.mean(axis=1, keepdims=True)
    n = x.shape[1]
    spectrum = np.fft.fft(x * np.hanning(n)[None, :], axis=1)
    return spectrum[:, : n // 2]


def check_range_fft_frame() -> None:
    n = 256
    k = np.arange(n)
    frame = np.tile(np.cos(2 * np.pi * 40 * k / n), (16, 1))
    r = range_fft_frame(frame)
    assert r.shape == (16, 128)
    assert np.all(np.argmax(np.abs(r), axis=1) == 40)


def range_doppler_map_db(frame: np.ndarray) -> np.ndarray:
    """Range-Doppler map of one frame of FMCW chirps, in decibels.

    Method: Hann-windowed FFT over fast time (range, first n_samples // 2 bins), then
    Hann-windowed FFT over slow time (chirps) with numpy.fft.fftshift so zero velocity is in
    the middle row; 20 log10(|.| + 1e-12).

    Parameters
    - frame (np.ndarray): ADC samples, shape (n_chirps, n_samples).

    Returns
    - rd_map_db (np.ndarray): magnitude in dB, shape (n_chirps, n_samples // 2) (Doppler x range).
    """
    x = np.asarray(frame)
    n_chirps, n = x.shape
    rng = np.fft.fft(x * np.hanning(n)[None, :], axis=1)[:, : n // 2]
    dop = np.fft.fftshift(np.fft.fft(rng * np.hanning(n_chirps)[:, None], axis=0), axes=0)
    return 20.0 * np.log10(np.abs(dop) + 1e-12)


def check_range_doppler_map_db() -> None:
    n_chirps, n = 32, 128
    k = np.arange(n)[None, :]
    m = np.arange(n_chirps)[:, None]
    frame = np.exp(2j * np.pi * (20 * k / n + 4 * m / n_chirps))
    rd = range_doppler_map_db(frame)
    assert rd.shape == (32, 64)
    row, col = np.unravel_index(np.argmax(rd), rd.shape)
    assert col == 20 and row == n_chirps // 2 + 4


def doppler_bins_to_velocity_mps(
    bins: np.ndarray, n_chirps: int, carrier_hz: float, chirp_period_s: float
) -> np.ndarray:
    """Radial velocity of Doppler bins of an fftshift-ed range-Doppler map.

    Method: Doppler frequency f_d = (bin - n_chirps / 2) / (n_chirps * chirp_period_s);
    v = f_d * wavelength / 2, wavelength = c / carrier_hz.

    Parameters
    - bins (np.ndarray): Doppler bin indices (row indices after fftshift), shape (n,).
    - n_chirps (int): chirps per frame (Doppler FFT length).
    - carrier_hz (float): carrier frequency in Hz.
    - chirp_period_s (float): chirp repetition period in seconds.

    Returns
    - velocity_mps (np.ndarray): radial velocities in m/s, shape (n,).
    """
    wavelength = 299792458.0 / carrier_hz
    fd = (np.asarray(bins, dtype=float) - n_chirps // 2) / (n_chirps * chirp_period_s)
    return fd * wavelength / 2.0


def check_doppler_bins_to_velocity_mps() -> None:
    v = doppler_bins_to_velocity_mps(np.array([64, 65, 0]), 128, 77e9, 100e-6)
    assert v[0] == 0.0
    assert abs(v[1] - 0.15209) < 1e-4 and abs(v[2] + 9.7335) < 1e-3


def ca_cfar_threshold_1d(power: np.ndarray, n_train: int, n_guard: int, pfa: float) -> np.ndarray:
    """Adaptive detection threshold along a radar power profile (cell-averaging CFAR).

    Method: for each cell, mean power of n_train training cells on each side beyond n_guard
    guard cells (cells outside the profile are skipped); threshold = alpha * mean,
    alpha = N (pfa^(-1/N) - 1), N = training cells used.

    Parameters
    - power (np.ndarray): 1-D linear power per range bin, shape (n_bins,).
    - n_train (int): training cells on each side.
    - n_guard (int): guard cells on each side.
    - pfa (float): desired probability of false alarm.

    Returns
    - threshold (np.ndarray): linear power threshold per bin, shape (n_bins,).
    """
    p = np.asarray(power, dtype=float)
    n = p.size
    out = np.full(n, np.inf)
    for i in range(n):
        left = p[max(0, i - n_guard - n_train) : max(0, i - n_guard)]
        right = p[min(n, i + n_guard + 1) : min(n, i + n_guard + 1 + n_train)]
        cells = np.concatenate([left, right])
        if cells.size:
            alpha = cells.size * (pfa ** (-1.0 / cells.size) - 1.0)
            out[i] = alpha * cells.mean()
    return out


def check_ca_cfar_threshold_1d() -> None:
    p = np.ones(100)
    p[50] = 100.0
    th = ca_cfar_threshold_1d(p, 8, 2, 1e-3)
    assert th.shape == (100,)
    alpha = 16 * (1e-3 ** (-1 / 16) - 1)
    assert abs(th[20] - alpha) < 1e-9
    assert np.flatnonzero(p > th).tolist() == [50]


def ca_cfar_2d_mask(rd_power: np.ndarray, n_train: int, n_guard: int, scale: float) -> np.ndarray:
    """Detections on a range-Doppler power map with two-dimensional cell-averaging CFAR.

    Method: for each cell, the mean of the square training ring: a (2(t+g)+1)^2 window minus the
    inner (2g+1)^2 guard block (scipy.signal.convolve2d, same mode, edges use the cells that
    exist); detection when power > scale * that mean.

    Parameters
    - rd_power (np.ndarray): linear power map, shape (n_doppler, n_range).
    - n_train (int): training cells on each side, both dimensions.
    - n_guard (int): guard cells on each side, both dimensions.
    - scale (float): threshold factor over the noise mean (linear).

    Returns
    - detections (np.ndarray): True at detected cells, bool, shape (n_doppler, n_range).
    """
    p = np.asarray(rd_power, dtype=float)
    outer = 2 * (n_train + n_guard) + 1
    inner = 2 * n_guard + 1
    kernel = np.ones((outer, outer))
    start = n_train
    kernel[start : start + inner, start : start + inner] = 0.0
    total = signal.convolve2d(p, kernel, mode="same")
    count = signal.convolve2d(np.ones_like(p), kernel, mode="same")
    noise = total / np.maximum(count, 1.0)
    return p > scale * noise


def check_ca_cfar_2d_mask() -> None:
    rng = np.random.default_rng(0)
    p = rng.exponential(1.0, (64, 64))
    p[30, 40] = 200.0
    d = ca_cfar_2d_mask(p, 4, 1, 15.0)
    assert d.shape == (64, 64) and d.dtype == bool
    assert d[30, 40] and d.sum() < 8


def os_cfar_1d(
    power: np.ndarray, n_train: int, n_guard: int, rank: int, scale: float
) -> np.ndarray:
    """Detections along a power profile with ordered-statistic CFAR (robust to nearby targets).

    Method: for each cell, sort the 2 * n_train training cells beyond n_guard guard cells on both
    sides (circular indexing) and take the rank-th smallest (0-based) as the noise estimate;
    detection when power > scale * estimate.

    Parameters
    - power (np.ndarray): 1-D linear power per range bin, shape (n_bins,).
    - n_train (int): training cells on each side.
    - n_guard (int): guard cells on each side.
    - rank (int): order statistic index among the 2 * n_train cells (about 3/4 of them).
    - scale (float): threshold factor (linear).

    Returns
    - detections (np.ndarray): True at detected bins, bool, shape (n_bins,).
    """
    p = np.asarray(power, dtype=float)
    n = p.size
    offsets = np.concatenate(
        [np.arange(-n_guard - n_train, -n_guard), np.arange(n_guard + 1, n_guard + n_train + 1)]
    )
    out = np.zeros(n, dtype=bool)
    for i in range(n):
        cells = np.sort(p[(i + offsets) % n])
        out[i] = p[i] > scale * cells[min(rank, cells.size - 1)]
    return out


def check_os_cfar_1d() -> None:
    p = np.ones(128)
    p[60] = 50.0
    p[66] = 40.0
    d = os_cfar_1d(p, 8, 2, 12, 10.0)
    assert d.shape == (128,) and d.dtype == bool
    assert np.flatnonzero(d).tolist() == [60, 66]


def remove_static_clutter(range_bins: np.ndarray) -> np.ndarray:
    """Remove stationary clutter from complex range profiles of consecutive chirps.

    Method: subtract the mean over chirps (slow time) of every range bin; static reflectors
    (walls, furniture) have a constant complex value and vanish.

    Parameters
    - range_bins (np.ndarray): complex range FFT, shape (n_chirps, n_range_bins).

    Returns
    - moving (np.ndarray): clutter-free range profiles, shape (n_chirps, n_range_bins).
    """
    r = np.asarray(range_bins)
    return r - r.mean(axis=0, keepdims=True)


def check_remove_static_clutter() -> None:
    m = np.arange(64)[:, None]
    static = np.full((64, 10), 5 + 2j)
    moving = np.zeros((64, 10), dtype=complex)
    moving[:, 3] = np.exp(2j * np.pi * 8 * m[:, 0] / 64)
    out = remove_static_clutter(static + moving)
    assert out.shape == (64, 10)
    assert np.allclose(out[:, 0], 0) and np.allclose(np.abs(out[:, 3]), 1.0)


def two_pulse_canceller(range_bins: np.ndarray) -> np.ndarray:
    """Moving-target indication with a two-pulse canceller along slow time.

    Method: y[m] = x[m] - x[m-1] between consecutive chirps per range bin (numpy.diff on axis 0).

    Parameters
    - range_bins (np.ndarray): complex range FFT, shape (n_chirps, n_range_bins).

    Returns
    - mti (np.ndarray): canceller output, shape (n_chirps - 1, n_range_bins).
    """
    return np.diff(np.asarray(range_bins), axis=0)


def check_two_pulse_canceller() -> None:
    x = np.ones((8, 3), dtype=complex)
    x[:, 1] = np.exp(1j * np.pi * np.arange(8))
    y = two_pulse_canceller(x)
    assert y.shape == (7, 3)
    assert np.allclose(y[:, 0], 0) and np.allclose(np.abs(y[:, 1]), 2.0)


def phase_to_displacement_mm(range_bin_series: np.ndarray, carrier_hz: float) -> np.ndarray:
    """Chest (or surface) displacement from the slow-time phase of one radar range bin.

    Method: phase = numpy.unwrap(angle(x)); displacement = wavelength * (phase - phase[0]) /
    (4 pi) (two-way path), wavelength = c / carrier_hz, reported in millimetres.

    Parameters
    - range_bin_series (np.ndarray): complex range-bin value per chirp/frame, shape (n_frames,).
    - carrier_hz (float): carrier frequency in Hz.

    Returns
    - displacement_mm (np.ndarray): displacement in mm relative to the first frame,
      shape (n_frames,).
    """
    phase = np.unwrap(np.angle(np.asarray(range_bin_series)))
    wavelength_mm = 299792458.0 / carrier_hz * 1000.0
    return wavelength_mm * (phase - phase[0]) / (4.0 * np.pi)


def check_phase_to_displacement_mm() -> None:
    fc = 60e9
    lam_mm = 299792458.0 / fc * 1000
    d_true = 3.0 * np.sin(2 * np.pi * np.arange(200) / 200)
    x = 5 * np.exp(1j * (0.7 + 4 * np.pi * d_true / lam_mm))
    d = phase_to_displacement_mm(x, fc)
    assert d.shape == (200,)
    assert np.allclose(d, d_true, atol=1e-9)


def radar_heart_rate_bpm(displacement: np.ndarray, fs: float) -> float:
    """Heart rate from a radar chest-displacement signal.

    Method: 4th-order Butterworth band-pass 0.8-2.0 Hz (sosfiltfilt) removes respiration; Hann
    window, real FFT zero-padded to 8 x length, peak in 0.8-2.0 Hz times 60.

    Parameters
    - displacement (np.ndarray): 1-D chest displacement in mm, shape (n_frames,).
    - fs (float): frame (slow-time) rate in Hz.

    Returns
    - heart_rate_bpm (float): heart rate in beats per minute.
    """
    x = np.asarray(displacement, dtype=float)
    sos = signal.butter(4, [0.8, 2.0], btype="bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, x - x.mean()) * np.hanning(x.size)
    n = 8 * x.size
    spec = np.abs(np.fft.rfft(y, n=n))
    freqs = np.fft.rfftfreq(n, d=1.0 / fs)
    band = (freqs >= 0.8) & (freqs <= 2.0)
    return float(freqs[band][np.argmax(spec[band])] * 60.0)


def check_radar_heart_rate_bpm() -> None:
    fs = 20.0
    t = np.arange(int(40 * fs)) / fs
    d = 4.0 * np.sin(2 * np.pi * 0.3 * t) + 0.2 * np.sin(2 * np.pi * 1.2 * t)
    assert abs(radar_heart_rate_bpm(d, fs) - 72.0) < 1.5


def select_vital_sign_bin(range_bins: np.ndarray, min_bin: int) -> int:
    """Range bin that holds a breathing person: the one with the largest slow-time phase variance.

    Method: unwrapped phase over frames per bin (numpy.unwrap along axis 0), variance per bin,
    arg-max among bins >= min_bin (skips the antenna leakage near 0 m).

    Parameters
    - range_bins (np.ndarray): complex range profiles over frames, shape (n_frames, n_range_bins).
    - min_bin (int): first range bin considered.

    Returns
    - bin_index (int): selected range bin.
    """
    r = np.asarray(range_bins)
    phase = np.unwrap(np.angle(r), axis=0)
    var = phase.var(axis=0)
    return int(min_bin + np.argmax(var[min_bin:]))


def check_select_vital_sign_bin() -> None:
    t = np.arange(400) / 20.0
    r = np.ones((400, 32), dtype=complex)
    r[:, 1] = 50 * np.exp(1j * 2.0 * np.sin(2 * np.pi * 2 * t))
    r[:, 12] = 3 * np.exp(1j * 1.0 * np.sin(2 * np.pi * 0.25 * t))
    assert select_vital_sign_bin(r, 4) == 12
    assert select_vital_sign_bin(r, 0) == 1


def angle_of_arrival_deg(
    phase_diff_rad: np.ndarray, spacing_m: float, carrier_hz: float
) -> np.ndarray:
    """Angle of arrival from the phase difference between two receive antennas.

    Method: theta = arcsin(wavelength * delta_phi / (2 pi d)), wavelength = c / carrier_hz;
    the sine is clipped to [-1, 1]; degrees from broadside.

    Parameters
    - phase_diff_rad (np.ndarray): phase difference RX2 - RX1 in radians, shape (n,).
    - spacing_m (float): antenna spacing in metres (half a wavelength typically).
    - carrier_hz (float): carrier frequency in Hz.

    Returns
    - angle_deg (np.ndarray): angles of arrival in degrees, shape (n,).
    """
    wavelength = 299792458.0 / carrier_hz
    s = wavelength * np.asarray(phase_diff_rad, dtype=float) / (2.0 * np.pi * spacing_m)
    return np.degrees(np.arcsin(np.clip(s, -1.0, 1.0)))


def check_angle_of_arrival_deg() -> None:
    fc = 77e9
    lam = 299792458.0 / fc
    a = angle_of_arrival_deg(np.array([0.0, np.pi / 2, np.pi]), lam / 2, fc)
    assert np.allclose(a, [0.0, 30.0, 90.0])


def radar_received_power_w(
    tx_power_w: float, gain_dbi: float, carrier_hz: float, rcs_m2: float, range_m: float
) -> float:
    """Received echo power from the monostatic radar equation.

    Method: P_r = P_t G^2 wavelength^2 sigma / ((4 pi)^3 R^4), G = 10^(gain_dbi / 10),
    wavelength = c / carrier_hz; no system losses.

    Parameters
    - tx_power_w (float): transmit power in watts.
    - gain_dbi (float): antenna gain in dBi (same antenna for transmit and receive).
    - carrier_hz (float): carrier frequency in Hz.
    - rcs_m2 (float): radar cross-section in square metres.
    - range_m (float): target range in metres.

    Returns
    - received_w (float): received power in watts.
    """
    g = 10.0 ** (gain_dbi / 10.0)
    wavelength = 299792458.0 / carrier_hz
    return tx_power_w * g**2 * wavelength**2 * rcs_m2 / ((4.0 * np.pi) ** 3 * range_m**4)


def check_radar_received_power_w() -> None:
    p1 = radar_received_power_w(0.01, 10.0, 24e9, 1.0, 10.0)
    p2 = radar_received_power_w(0.01, 10.0, 24e9, 1.0, 20.0)
    assert abs(p1 / p2 - 16.0) < 1e-9
    lam = 299792458.0 / 24e9
    assert abs(p1 - 0.01 * 100 * lam**2 / ((4 * np.pi) ** 3 * 1e4)) < 1e-20


def range_bin_to_m(
    bins: np.ndarray, adc_rate_hz: float, slope_hz_per_s: float, n_fft: int
) -> np.ndarray:
    """Range in metres of FMCW range-FFT bins.

    Method: bin frequency f = bin * adc_rate_hz / n_fft; R = c f / (2 slope).

    Parameters
    - bins (np.ndarray): range-FFT bin indices, shape (n,).
    - adc_rate_hz (float): ADC sampling rate in samples per second.
    - slope_hz_per_s (float): chirp slope in Hz per second.
    - n_fft (int): range FFT length.

    Returns
    - range_m (np.ndarray): ranges in metres, shape (n,).
    """
    f = np.asarray(bins, dtype=float) * adc_rate_hz / n_fft
    return 299792458.0 * f / (2.0 * slope_hz_per_s)


def check_range_bin_to_m() -> None:
    r = range_bin_to_m(np.array([0, 1, 10]), 10e6, 30e12, 256)
    assert np.allclose(r, [0.0, 0.19518, 1.9518], atol=1e-4)


def doppler_shift_to_velocity_mps(doppler_hz: np.ndarray, carrier_hz: float) -> np.ndarray:
    """Radial velocity from a measured Doppler shift (CW or pulse-Doppler radar).

    Method: v = f_d * c / (2 * carrier_hz) (positive = approaching).

    Parameters
    - doppler_hz (np.ndarray): Doppler shifts in Hz, shape (n,).
    - carrier_hz (float): carrier frequency in Hz.

    Returns
    - velocity_mps (np.ndarray): radial velocities in m/s, shape (n,).
    """
    return np.asarray(doppler_hz, dtype=float) * 299792458.0 / (2.0 * carrier_hz)


def check_doppler_shift_to_velocity_mps() -> None:
    v = doppler_shift_to_velocity_mps(np.array([160.0, -80.0]), 24e9)
    assert np.allclose(v, [0.99931, -0.49965], atol=1e-4)


def micro_doppler_spectrogram_db(
    range_bin_series: np.ndarray, fs: float, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Micro-Doppler signature (time-frequency map) of one radar range bin.

    Method: two-sided STFT of the complex slow-time series (scipy.signal.stft, Hann window of
    window frames, 75 % overlap, return_onesided False), fftshift on frequency, 20 log10 |Z|.

    Parameters
    - range_bin_series (np.ndarray): complex range-bin values over chirps, shape (n_chirps,).
    - fs (float): chirp rate in Hz.
    - window (int): STFT window length in chirps.

    Returns
    - freqs (np.ndarray): Doppler frequencies in Hz, increasing, shape (window,).
    - spec_db (np.ndarray): spectrogram in dB, shape (window, n_times).
    """
    x = np.asarray(range_bin_series, dtype=complex)
    f, _, z = signal.stft(
        x, fs=fs, window="hann", nperseg=window, noverlap=3 * window // 4, return_onesided=False
    )
    f = np.fft.fftshift(f)
    z = np.fft.fftshift(z, axes=0)
    return f, 20.0 * np.log10(np.abs(z) + 1e-12)


def check_micro_doppler_spectrogram_db() -> None:
    fs = 1000.0
    t = np.arange(2000) / fs
    f, s = micro_doppler_spectrogram_db(np.exp(-2j * np.pi * 125 * t), fs, 64)
    assert f.shape == (64,) and s.shape[0] == 64
    assert np.all(np.diff(f) > 0)
    assert abs(f[np.argmax(s[:, s.shape[1] // 2])] + 125.0) < 16.0
