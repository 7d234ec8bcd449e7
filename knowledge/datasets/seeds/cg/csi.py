"""CG seeds: WiFi channel state information (CSI) sensing."""

import numpy as np
from scipy import signal

MODALITY = "wifi_csi"


def hampel_subcarriers(
    amplitude: np.ndarray, half_window: int, n_sigmas: float
) -> tuple[np.ndarray, np.ndarray]:
    """Replace impulsive outliers in CSI amplitude over time, subcarrier by subcarrier.

    Method: Hampel identifier along the packet axis: a sample is an outlier when it is more than
    n_sigmas * 1.4826 * MAD from the median of the 2 * half_window + 1 packets around it;
    outliers are replaced by that median.

    Parameters
    - amplitude (np.ndarray): CSI amplitude, shape (n_packets, n_subcarriers).
    - half_window (int): packets on each side of the centre (e.g. 5).
    - n_sigmas (float): threshold in robust standard deviations (e.g. 3).

    Returns
    - cleaned (np.ndarray): amplitude with outliers replaced, shape (n_packets, n_subcarriers).
    - outliers (np.ndarray): True where a value was replaced, bool,
      shape (n_packets, n_subcarriers).
    """
    a = np.asarray(amplitude, dtype=float)
    a2 = a.reshape(a.shape[0], -1)
    cleaned = a2.copy()
    mask = np.zeros(a2.shape, dtype=bool)
    n = a2.shape[0]
    for i in range(n):
        lo, hi = max(0, i - half_window), min(n, i + half_window + 1)
        block = a2[lo:hi]
        med = np.median(block, axis=0)
        mad = 1.4826 * np.median(np.abs(block - med), axis=0)
        bad = np.abs(a2[i] - med) > n_sigmas * mad
        cleaned[i, bad] = med[bad]
        mask[i] = bad
    return cleaned.reshape(a.shape), mask.reshape(a.shape)


def check_hampel_subcarriers() -> None:
    rng = np.random.default_rng(0)
    a = 10 + 0.1 * rng.normal(size=(200, 4))
    a[50, 2] = 30.0
    c, m = hampel_subcarriers(a, 5, 3.0)
    assert c.shape == (200, 4) and m.dtype == bool
    assert m[50, 2] and abs(c[50, 2] - 10) < 0.5
    assert m.sum() < 40


def unwrap_phase_subcarriers(phase: np.ndarray) -> np.ndarray:
    """Unwrap CSI phase across the subcarrier axis of every packet.

    Method: numpy.unwrap along axis 1 (jumps larger than pi are corrected by multiples of 2 pi).

    Parameters
    - phase (np.ndarray): wrapped CSI phase in radians in (-pi, pi],
      shape (n_packets, n_subcarriers).

    Returns
    - unwrapped (np.ndarray): unwrapped phase in radians, shape (n_packets, n_subcarriers).
    """
    return np.unwrap(np.asarray(phase, dtype=float), axis=1)


def check_unwrap_phase_subcarriers() -> None:
    true = np.outer(np.ones(3), np.linspace(0, 12, 30))
    wrapped = np.angle(np.exp(1j * true))
    u = unwrap_phase_subcarriers(wrapped)
    assert u.shape == (3, 30)
    assert np.allclose(u, true)


def remove_linear_phase_fit(phase: np.ndarray, subcarrier_index: np.ndarray) -> np.ndarray:
    """Remove timing-offset slope and constant offset from one packet's unwrapped CSI phase.

    Method: least-squares line phase ~ a * k + b over the subcarrier indices k (numpy.polyfit,
    degree 1); the residual phase - (a * k + b) is the sanitised phase.

    Parameters
    - phase (np.ndarray): unwrapped phase of one packet in radians, shape (n_subcarriers,).
    - subcarrier_index (np.ndarray): subcarrier indices (e.g. -28..28), shape (n_subcarriers,).

    Returns
    - sanitised (np.ndarray): phase without linear trend in radians, shape (n_subcarriers,).
    """
    p = np.asarray(phase, dtype=float)
    k = np.asarray(subcarrier_index, dtype=float)
    slope, offset = np.polyfit(k, p, 1)
    return p - (slope * k + offset)


def check_remove_linear_phase_fit() -> None:
    k = np.arange(-28, 29, dtype=float)
    bump = 0.3 * np.cos(2 * np.pi * k / 57)
    bump = bump - np.polyval(np.polyfit(k, bump, 1), k)
    s = remove_linear_phase_fit(0.2 * k + 1.5 + bump, k)
    assert s.shape == (57,)
    assert np.allclose(s, bump, atol=1e-9)


def conjugate_antenna_phase(csi_a: np.ndarray, csi_b: np.ndarray) -> np.ndarray:
    """Phase difference between two receive antennas, which cancels the shared CFO and SFO.

    Method: angle(H_a * conj(H_b)) per packet and subcarrier (conjugate multiplication).

    Parameters
    - csi_a (np.ndarray): complex CSI of antenna A, shape (n_packets, n_subcarriers).
    - csi_b (np.ndarray): complex CSI of antenna B, shape (n_packets, n_subcarriers).

    Returns
    - phase_diff (np.ndarray): phase difference in radians in (-pi, pi],
      shape (n_packets, n_subcarriers).
    """
    return np.angle(np.asarray(csi_a) * np.conj(np.asarray(csi_b)))


def check_conjugate_antenna_phase() -> None:
    rng = np.random.default_rng(0)
    offset = rng.uniform(-np.pi, np.pi, size=(10, 1))
    a = 2.0 * np.exp(1j * (offset + 0.5))
    b = 1.0 * np.exp(1j * offset) * np.ones((10, 30))
    d = conjugate_antenna_phase(a * np.ones((10, 30)), b)
    assert d.shape == (10, 30)
    assert np.allclose(d, 0.5)


def csi_amplitude_db(csi: np.ndarray) -> np.ndarray:
    """CSI amplitude in decibels from complex channel estimates.

    Method: 20 * log10(|H| + 1e-12).

    Parameters
    - csi (np.ndarray): complex CSI, shape (n_packets, n_subcarriers).

    Returns
    - amplitude_db (np.ndarray): amplitude in dB, shape (n_packets, n_subcarriers).
    """
    return 20.0 * np.log10(np.abs(np.asarray(csi)) + 1e-12)


def check_csi_amplitude_db() -> None:
    out = csi_amplitude_db(np.array([[10 + 0j, 0 + 1j]]))
    assert out.shape == (1, 2)
    assert np.allclose(out, [[20.0, 0.0]], atol=1e-9)


def pca_denoise_csi(amplitude: np.ndarray, n_components: int) -> np.ndarray:
    """Project CSI amplitude streams onto their main principal components (denoising).

    Method: centre each subcarrier over time, singular value decomposition (numpy.linalg.svd)
    of the packets x subcarriers matrix, projections on the first n_components right singular
    vectors (U * S).

    Parameters
    - amplitude (np.ndarray): CSI amplitude, shape (n_packets, n_subcarriers).
    - n_components (int): number of components kept.

    Returns
    - components (np.ndarray): principal component time series, shape (n_packets, n_components).
    """
    a = np.asarray(amplitude, dtype=float)
    centred = a - a.mean(axis=0, keepdims=True)
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    k = min(n_components, s.size)
    return u[:, :k] * s[:k]


def check_pca_denoise_csi() -> None:
    rng = np.random.default_rng(0)
    t = np.arange(500) / 100.0
    motion = np.sin(2 * np.pi * 0.3 * t)
    gains = rng.uniform(0.5, 2.0, 30)
    a = 5 + np.outer(motion, gains) + 0.05 * rng.normal(size=(500, 30))
    c = pca_denoise_csi(a, 3)
    assert c.shape == (500, 3)
    assert abs(np.corrcoef(c[:, 0], motion)[0, 1]) > 0.99


def select_subcarriers_by_variance(amplitude: np.ndarray, k: int) -> np.ndarray:
    """Pick the subcarriers most sensitive to motion: those with the largest amplitude variance.

    Method: variance over packets per subcarrier, indices of the k largest (numpy.argsort),
    returned in increasing index order.

    Parameters
    - amplitude (np.ndarray): CSI amplitude, shape (n_packets, n_subcarriers).
    - k (int): number of subcarriers to keep.

    Returns
    - indices (np.ndarray): selected subcarrier indices, sorted, shape (k,).
    """
    var = np.var(np.asarray(amplitude, dtype=float), axis=0)
    k = min(k, var.size)
    return np.sort(np.argsort(var)[::-1][:k])


def check_select_subcarriers_by_variance() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=(300, 10)) * np.array([1, 1, 5, 1, 1, 1, 4, 1, 1, 3.0])
    idx = select_subcarriers_by_variance(a, 3)
    assert idx.tolist() == [2, 6, 9]


def breathing_rate_csi_bpm(amplitude: np.ndarray, fs: float) -> float:
    """Breathing rate of a still person from one CSI amplitude stream.

    Method: remove the mean, 2nd-order Butterworth band-pass 0.1-0.5 Hz (sosfiltfilt), real FFT
    with zero padding to 8 x the length, peak frequency within 0.1-0.5 Hz times 60.

    Parameters
    - amplitude (np.ndarray): 1-D CSI amplitude of one subcarrier over time, shape (n_packets,).
    - fs (float): packet rate in Hz.

    Returns
    - rate_bpm (float): breathing rate in breaths per minute.
    """
    x = np.asarray(amplitude, dtype=float)
    sos = signal.butter(2, [0.1, 0.5], btype="bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, x - x.mean())
    n = 8 * y.size
    spectrum = np.abs(np.fft.rfft(y, n=n))
    freqs = np.fft.rfftfreq(n, d=1.0 / fs)
    band = (freqs >= 0.1) & (freqs <= 0.5)
    return float(freqs[band][np.argmax(spectrum[band])] * 60.0)


def check_breathing_rate_csi_bpm() -> None:
    fs = 20.0
    t = np.arange(int(60 * fs)) / fs
    rng = np.random.default_rng(0)
    x = 12 + 0.4 * np.sin(2 * np.pi * 0.25 * t) + 0.1 * rng.normal(size=t.size)
    assert abs(breathing_rate_csi_bpm(x, fs) - 15.0) < 0.6


def subcarrier_frequencies_hz(
    center_hz: float, spacing_hz: float, indices: np.ndarray
) -> np.ndarray:
    """Absolute frequency of each OFDM subcarrier.

    Method: f_k = center_hz + k * spacing_hz (spacing 312.5 kHz for 802.11n/ac 20 MHz).

    Parameters
    - center_hz (float): channel centre frequency in Hz.
    - spacing_hz (float): subcarrier spacing in Hz.
    - indices (np.ndarray): subcarrier indices (negative below the centre), shape (n_subcarriers,).

    Returns
    - freqs_hz (np.ndarray): subcarrier frequencies in Hz, shape (n_subcarriers,).
    """
    return center_hz + np.asarray(indices, dtype=float) * spacing_hz


def check_subcarrier_frequencies_hz() -> None:
    f = subcarrier_frequencies_hz(5.18e9, 312.5e3, np.array([-28, 0, 28]))
    assert np.allclose(f, [5.18e9 - 8.75e6, 5.18e9, 5.18e9 + 8.75e6])


def resample_csi_uniform(timestamps_s: np.ndarray, amplitude: np.ndarray, fs: float) -> np.ndarray:
    """Put irregularly received CSI packets onto a uniform time grid.

    Method: grid from the first timestamp in steps of 1 / fs seconds up to the last; linear
    interpolation (numpy.interp) per subcarrier.

    Parameters
    - timestamps_s (np.ndarray): packet arrival times in seconds, increasing, shape (n_packets,).
    - amplitude (np.ndarray): CSI amplitude, shape (n_packets, n_subcarriers).
    - fs (float): target packet rate in Hz.

    Returns
    - resampled (np.ndarray): amplitude on the grid, shape (n_grid, n_subcarriers).
    """
    t = np.asarray(timestamps_s, dtype=float)
    a = np.asarray(amplitude, dtype=float).reshape(t.size, -1)
    grid = t[0] + np.arange(int(np.floor((t[-1] - t[0]) * fs + 1e-9)) + 1) / fs
    return np.stack([np.interp(grid, t, a[:, j]) for j in range(a.shape[1])], axis=1)


def check_resample_csi_uniform() -> None:
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 10, 300))
    t[0], t[-1] = 0.0, 10.0
    a = np.stack([2 * t, 3 * t + 1], axis=1)
    r = resample_csi_uniform(t, a, 50.0)
    assert r.shape == (501, 2)
    assert np.allclose(r[:, 0], 2 * np.arange(501) / 50.0)


def normalise_packet_gain(amplitude: np.ndarray) -> np.ndarray:
    """Remove per-packet automatic-gain-control scaling from CSI amplitude.

    Method: divide each packet's amplitudes by that packet's mean amplitude over subcarriers.

    Parameters
    - amplitude (np.ndarray): CSI amplitude, shape (n_packets, n_subcarriers).

    Returns
    - normalised (np.ndarray): gain-normalised amplitude (mean 1 per packet),
      shape (n_packets, n_subcarriers).
    """
    a = np.asarray(amplitude, dtype=float)
    mean = a.mean(axis=1, keepdims=True)
    return np.divide(a, mean, out=np.zeros_like(a), where=mean != 0)


def check_normalise_packet_gain() -> None:
    profile = np.array([1.0, 2.0, 3.0])
    a = np.outer([1.0, 4.0], profile)
    n = normalise_packet_gain(a)
    assert n.shape == (2, 3)
    assert np.allclose(n[0], n[1]) and np.allclose(n.mean(axis=1), 1.0)


def remove_static_paths(csi: np.ndarray) -> np.ndarray:
    """Remove the static (non-moving) multipath component of complex CSI.

    Method: subtract the per-subcarrier complex mean over all packets; what remains is the
    dynamic component caused by motion.

    Parameters
    - csi (np.ndarray): complex CSI, shape (n_packets, n_subcarriers).

    Returns
    - dynamic (np.ndarray): complex dynamic CSI, shape (n_packets, n_subcarriers).
    """
    h = np.asarray(csi)
    return h - h.mean(axis=0, keepdims=True)


def check_remove_static_paths() -> None:
    t = np.arange(100) / 100.0
    h = (3 + 1j) + 0.1 * np.exp(2j * np.pi * 5 * t)
    d = remove_static_paths(np.stack([h, h], axis=1))
    assert d.shape == (100, 2)
    assert np.allclose(np.abs(d), 0.1, atol=1e-9)


def phase_to_path_change_m(phase_change_rad: np.ndarray, carrier_hz: float) -> np.ndarray:
    """Reflection path-length change from a CSI phase change.

    Method: wavelength = 299792458 / carrier_hz; delta_d = wavelength * delta_phi / (2 pi).

    Parameters
    - phase_change_rad (np.ndarray): unwrapped phase change in radians, shape (n,).
    - carrier_hz (float): carrier frequency in Hz.

    Returns
    - path_change_m (np.ndarray): path-length change in metres, shape (n,).
    """
    wavelength = 299792458.0 / carrier_hz
    return wavelength * np.asarray(phase_change_rad, dtype=float) / (2.0 * np.pi)


def check_phase_to_path_change_m() -> None:
    d = phase_to_path_change_m(np.array([2 * np.pi, np.pi]), 5.0e9)
    assert np.allclose(d, [0.0599585, 0.02997925], atol=1e-6)


def first_fresnel_radius_m(d1_m: float, d2_m: float, carrier_hz: float) -> float:
    """Radius of the first Fresnel zone at a point between transmitter and receiver.

    Method: r = sqrt(wavelength * d1 * d2 / (d1 + d2)), wavelength = 299792458 / carrier_hz.

    Parameters
    - d1_m (float): distance from the transmitter in metres.
    - d2_m (float): distance to the receiver in metres.
    - carrier_hz (float): carrier frequency in Hz.

    Returns
    - radius_m (float): first Fresnel zone radius in metres.
    """
    wavelength = 299792458.0 / carrier_hz
    return float(np.sqrt(wavelength * d1_m * d2_m / (d1_m + d2_m)))


def check_first_fresnel_radius_m() -> None:
    r = first_fresnel_radius_m(2.0, 2.0, 2.4e9)
    assert abs(r - np.sqrt(0.124913524 * 1.0)) < 1e-6


def packet_loss_rate(sequence_numbers: np.ndarray, modulo: int) -> float:
    """Fraction of CSI packets lost, from the received sequence numbers.

    Method: wrap-aware gaps (diff mod modulo, e.g. 4096 for 802.11), expected = sum of gaps + 1,
    loss = 1 - received / expected.

    Parameters
    - sequence_numbers (np.ndarray): received sequence numbers in arrival order, shape (n_packets,).
    - modulo (int): sequence-number wrap-around value.

    Returns
    - loss (float): lost fraction in [0, 1).
    """
    s = np.asarray(sequence_numbers, dtype=np.int64)
    if s.size < 2:
        return 0.0
    gaps = np.mod(np.diff(s), modulo)
    expected = int(gaps.sum()) + 1
    return 1.0 - s.size / expected


def check_packet_loss_rate() -> None:
    seq = np.array([4093, 4094, 4095, 0, 3, 4])
    assert abs(packet_loss_rate(seq, 4096) - 2 / 8) < 1e-12
    assert packet_loss_rate(np.arange(10), 4096) == 0.0


def csi_doppler_spectrogram(
    component: np.ndarray, fs: float, window_s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Doppler (motion-frequency) spectrogram of a CSI principal component.

    Method: scipy.signal.stft with Hann windows of round(window_s * fs) packets and 75 %
    overlap; power |Z|^2.

    Parameters
    - component (np.ndarray): 1-D CSI principal component over time, shape (n_packets,).
    - fs (float): packet rate in Hz.
    - window_s (float): window length in seconds.

    Returns
    - freqs (np.ndarray): Doppler frequencies in Hz, shape (n_freqs,).
    - times (np.ndarray): window centre times in seconds, shape (n_times,).
    - power (np.ndarray): spectrogram power, shape (n_freqs, n_times).
    """
    x = np.asarray(component, dtype=float)
    nper = max(4, round(window_s * fs))
    freqs, times, z = signal.stft(x, fs=fs, window="hann", nperseg=nper, noverlap=3 * nper // 4)
    return freqs, times, np.abs(z) ** 2


def check_csi_doppler_spectrogram() -> None:
    fs = 500.0
    t = np.arange(5000) / fs
    f, tt, p = csi_doppler_spectrogram(np.sin(2 * np.pi * 20 * t), fs, 0.256)
    assert p.shape == (f.size, tt.size) and f.size == 65
    assert abs(f[np.argmax(p[:, p.shape[1] // 2])] - 20.0) < 2.0
    assert abs(tt[-1] - 10.0) < 0.3


def csi_amplitude_ratio(csi_a: np.ndarray, csi_b: np.ndarray) -> np.ndarray:
    """CSI ratio between two antennas, a noise-cancelled signal for respiration sensing.

    Method: H_a / H_b per packet and subcarrier (complex division); amplitude noise and phase
    offsets common to both antennas cancel.

    Parameters
    - csi_a (np.ndarray): complex CSI of antenna A, shape (n_packets, n_subcarriers).
    - csi_b (np.ndarray): complex CSI of antenna B, non-zero, shape (n_packets, n_subcarriers).

    Returns
    - ratio (np.ndarray): complex CSI ratio, shape (n_packets, n_subcarriers).
    """
    return np.asarray(csi_a) / np.asarray(csi_b)


def check_csi_amplitude_ratio() -> None:
    rng = np.random.default_rng(0)
    common = rng.uniform(0.5, 2, (20, 1)) * np.exp(1j * rng.uniform(-3, 3, (20, 1)))
    a = common * (2 + 1j)
    b = common * (1 + 0j)
    r = csi_amplitude_ratio(a * np.ones((20, 3)), b * np.ones((20, 3)))
    assert r.shape == (20, 3)
    assert np.allclose(r, 2 + 1j)


def motion_presence_eigen_ratio(amplitude: np.ndarray) -> float:
    """Motion presence score: share of CSI variance in the largest principal component.

    Method: eigenvalues of the subcarrier correlation matrix (numpy.corrcoef,
    numpy.linalg.eigvalsh);
    score = largest eigenvalue / sum; near 1 when motion modulates all subcarriers together.

    Parameters
    - amplitude (np.ndarray): CSI amplitude window, shape (n_packets, n_subcarriers).

    Returns
    - score (float): first-eigenvalue ratio in [1 / n_subcarriers, 1].
    """
    a = np.asarray(amplitude, dtype=float)
    std = a.std(axis=0)
    a = a[:, std > 0]
    if a.shape[1] < 2:
        return 1.0
    eig = np.linalg.eigvalsh(np.corrcoef(a, rowvar=False))
    return float(eig[-1] / eig.sum())


def check_motion_presence_eigen_ratio() -> None:
    rng = np.random.default_rng(0)
    noise = rng.normal(size=(400, 20))
    t = np.arange(400) / 50.0
    moving = noise * 0.1 + np.outer(np.sin(2 * np.pi * t), rng.uniform(1, 2, 20))
    assert motion_presence_eigen_ratio(moving) > 0.9
    assert motion_presence_eigen_ratio(noise) < 0.2
