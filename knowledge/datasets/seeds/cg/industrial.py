"""CG seeds: machine condition monitoring (vibration, bearings, motors, power quality)."""

import numpy as np
from scipy import signal, stats

MODALITY = "industrial"


def velocity_rms_mm_s(accel_ms2: np.ndarray, fs: float) -> float:
    """Overall vibration velocity (ISO 10816 measure) from an accelerometer signal.

    Method: FFT of the mean-free acceleration, divide by j 2 pi f to integrate to velocity, keep
    only 10-1000 Hz, inverse FFT, RMS of the velocity in mm/s.

    Parameters
    - accel_ms2 (np.ndarray): 1-D vibration acceleration in m/s^2, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - velocity_rms (float): velocity RMS in mm/s over 10-1000 Hz.
    """
    a = np.asarray(accel_ms2, dtype=float)
    a = a - a.mean()
    spec = np.fft.rfft(a)
    freqs = np.fft.rfftfreq(a.size, d=1.0 / fs)
    band = (freqs >= 10.0) & (freqs <= 1000.0)
    vel = np.zeros_like(spec)
    vel[band] = spec[band] / (2j * np.pi * freqs[band])
    v = np.fft.irfft(vel, n=a.size)
    return float(np.sqrt(np.mean(v**2)) * 1000.0)


def check_velocity_rms_mm_s() -> None:
    fs = 5000.0
    t = np.arange(int(fs)) / fs
    f = 50.0
    v_peak = 0.005
    a = v_peak * 2 * np.pi * f * np.cos(2 * np.pi * f * t)
    assert abs(velocity_rms_mm_s(a, fs) - 5.0 / np.sqrt(2)) < 0.02


def iso10816_zone(velocity_rms: float, machine_class: int) -> str:
    """Vibration severity zone of ISO 10816-1 for a machine class.

    Method: zone boundaries A/B, B/C, C/D in mm/s RMS: class 1 (small) 0.71, 1.8, 4.5;
    class 2 (medium) 1.12, 2.8, 7.1; class 3 (large rigid) 1.8, 4.5, 11.2; class 4 (large soft)
    2.8, 7.1, 18.0.

    Parameters
    - velocity_rms (float): vibration velocity RMS in mm/s.
    - machine_class (int): machine class 1-4.

    Returns
    - zone (str): "A", "B", "C" or "D".
    """
    limits = {
        1: (0.71, 1.8, 4.5),
        2: (1.12, 2.8, 7.1),
        3: (1.8, 4.5, 11.2),
        4: (2.8, 7.1, 18.0),
    }[machine_class]
    for zone, limit in zip("ABC", limits, strict=True):
        if velocity_rms < limit:
            return zone
    return "D"


def check_iso10816_zone() -> None:
    assert iso10816_zone(0.5, 1) == "A"
    assert iso10816_zone(2.0, 1) == "C"
    assert iso10816_zone(2.0, 3) == "B"
    assert iso10816_zone(20.0, 4) == "D"


def vibration_kurtosis(vibration: np.ndarray) -> float:
    """Kurtosis of a vibration signal, an impulsiveness indicator of bearing damage.

    Method: Pearson kurtosis (scipy.stats.kurtosis with fisher False): 3 for Gaussian noise,
    1.5 for a sine, much larger for impacts.

    Parameters
    - vibration (np.ndarray): 1-D vibration in g, shape (n_samples,).

    Returns
    - kurtosis (float): Pearson kurtosis (dimensionless).
    """
    x = np.asarray(vibration, dtype=float)
    return float(stats.kurtosis(x, fisher=False))


def check_vibration_kurtosis() -> None:
    t = np.arange(10000) / 10000.0
    assert abs(vibration_kurtosis(np.sin(2 * np.pi * 50 * t)) - 1.5) < 1e-3
    rng = np.random.default_rng(0)
    assert abs(vibration_kurtosis(rng.normal(size=200000)) - 3.0) < 0.05


def crest_factor(vibration: np.ndarray) -> float:
    """Crest factor of a vibration signal: peak over RMS.

    Method: max |x| / sqrt(mean x^2) after removing the mean; 0.0 for a constant signal.

    Parameters
    - vibration (np.ndarray): 1-D vibration in g, shape (n_samples,).

    Returns
    - crest (float): crest factor (dimensionless; sqrt(2) for a sine).
    """
    x = np.asarray(vibration, dtype=float)
    x = x - x.mean()
    rms = float(np.sqrt(np.mean(x**2))) if x.size else 0.0
    return float(np.max(np.abs(x)) / rms) if rms > 0 else 0.0


def check_crest_factor() -> None:
    t = np.arange(1000) / 1000.0
    assert abs(crest_factor(2 + np.sin(2 * np.pi * 10 * t)) - np.sqrt(2)) < 1e-3
    assert crest_factor(np.ones(10)) == 0.0


def vibration_shape_factors(vibration: np.ndarray) -> np.ndarray:
    """Shape, impulse and clearance factors of a vibration signal (condition indicators).

    Method: shape = RMS / mean|x|; impulse = peak / mean|x|; clearance = peak / (mean sqrt|x|)^2,
    peak = max|x|.

    Parameters
    - vibration (np.ndarray): 1-D vibration in g, shape (n_samples,).

    Returns
    - factors (np.ndarray): [shape, impulse, clearance], shape (3,).
    """
    x = np.abs(np.asarray(vibration, dtype=float))
    mean_abs = x.mean()
    if mean_abs == 0:
        return np.zeros(3)
    peak = x.max()
    rms = np.sqrt(np.mean(x**2))
    return np.array([rms / mean_abs, peak / mean_abs, peak / np.mean(np.sqrt(x)) ** 2])


def check_vibration_shape_factors() -> None:
    t = np.arange(100000) / 100000.0
    f = vibration_shape_factors(np.sin(2 * np.pi * 10 * t))
    assert f.shape == (3,)
    assert abs(f[0] - np.pi / (2 * np.sqrt(2))) < 1e-3 and abs(f[1] - np.pi / 2) < 1e-3


def envelope_spectrum(
    vibration: np.ndarray, fs: float, low_hz: float, high_hz: float
) -> tuple[np.ndarray, np.ndarray]:
    """Envelope spectrum of a vibration signal for bearing fault diagnosis.

    Method: 4th-order Butterworth band-pass low_hz-high_hz around a structural resonance
    (sosfiltfilt), envelope |hilbert|, remove its mean, single-sided amplitude spectrum
    2 |rfft| / n.

    Parameters
    - vibration (np.ndarray): 1-D vibration acceleration in g, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - low_hz (float): band-pass lower edge in Hz.
    - high_hz (float): band-pass upper edge in Hz.

    Returns
    - freqs (np.ndarray): envelope frequencies in Hz, shape (n_samples // 2 + 1,).
    - amplitude (np.ndarray): envelope amplitude in g, shape (n_samples // 2 + 1,).
    """
    x = np.asarray(vibration, dtype=float)
    sos = signal.butter(4, [low_hz, high_hz], btype="bandpass", fs=fs, output="sos")
    env = np.abs(signal.hilbert(signal.sosfiltfilt(sos, x)))
    env = env - env.mean()
    amp = 2.0 * np.abs(np.fft.rfft(env)) / x.size
    return np.fft.rfftfreq(x.size, d=1.0 / fs), amp


def check_envelope_spectrum() -> None:
    fs = 20000.0
    t = np.arange(int(fs)) / fs
    carrier = np.sin(2 * np.pi * 3000 * t)
    x = (1 + 0.8 * np.sin(2 * np.pi * 87 * t)) * carrier
    f, a = envelope_spectrum(x, fs, 2000.0, 4000.0)
    assert f.shape == a.shape == (10001,)
    band = (f > 5) & (f < 500)
    assert abs(f[band][np.argmax(a[band])] - 87.0) < 1.0


def bearing_fault_frequencies(
    shaft_hz: float,
    n_balls: int,
    ball_diameter_mm: float,
    pitch_diameter_mm: float,
    contact_deg: float,
) -> np.ndarray:
    """Characteristic defect frequencies of a rolling-element bearing.

    Method: r = (d / D) cos(contact); BPFO = n/2 f (1 - r); BPFI = n/2 f (1 + r);
    BSF = D / (2 d) f (1 - r^2); FTF = f / 2 (1 - r).

    Parameters
    - shaft_hz (float): shaft rotation frequency in Hz.
    - n_balls (int): number of rolling elements.
    - ball_diameter_mm (float): rolling-element diameter in mm.
    - pitch_diameter_mm (float): pitch diameter in mm.
    - contact_deg (float): contact angle in degrees.

    Returns
    - frequencies_hz (np.ndarray): [BPFO, BPFI, BSF, FTF] in Hz, shape (4,).
    """
    r = ball_diameter_mm / pitch_diameter_mm * np.cos(np.radians(contact_deg))
    bpfo = n_balls / 2.0 * shaft_hz * (1.0 - r)
    bpfi = n_balls / 2.0 * shaft_hz * (1.0 + r)
    bsf = pitch_diameter_mm / (2.0 * ball_diameter_mm) * shaft_hz * (1.0 - r**2)
    ftf = shaft_hz / 2.0 * (1.0 - r)
    return np.array([bpfo, bpfi, bsf, ftf])


def check_bearing_fault_frequencies() -> None:
    f = bearing_fault_frequencies(29.95, 9, 7.94, 39.04, 0.0)
    assert f.shape == (4,)
    assert np.allclose(f, [107.36, 162.19, 70.59, 11.93], atol=0.05)


def harmonic_amplitudes(
    freqs: np.ndarray, spectrum: np.ndarray, fundamental_hz: float, n_harmonics: int, tol_hz: float
) -> np.ndarray:
    """Spectral amplitude at a fault frequency and its harmonics.

    Method: for k = 1..n_harmonics, the maximum of spectrum within +-tol_hz of k *
    fundamental_hz (0 when no bin falls in the window).

    Parameters
    - freqs (np.ndarray): spectrum frequencies in Hz, shape (n_bins,).
    - spectrum (np.ndarray): amplitude spectrum, shape (n_bins,).
    - fundamental_hz (float): fault or shaft frequency in Hz.
    - n_harmonics (int): number of harmonics.
    - tol_hz (float): search half-width in Hz.

    Returns
    - amplitudes (np.ndarray): amplitude per harmonic, shape (n_harmonics,).
    """
    f = np.asarray(freqs, dtype=float)
    s = np.asarray(spectrum, dtype=float)
    out = np.zeros(n_harmonics)
    for k in range(1, n_harmonics + 1):
        near = np.abs(f - k * fundamental_hz) <= tol_hz
        if near.any():
            out[k - 1] = s[near].max()
    return out


def check_harmonic_amplitudes() -> None:
    f = np.arange(0, 500, 0.5)
    s = np.zeros_like(f)
    s[f == 100.5] = 3.0
    s[f == 201.0] = 2.0
    a = harmonic_amplitudes(f, s, 100.5, 3, 1.0)
    assert a.shape == (3,)
    assert np.allclose(a, [3.0, 2.0, 0.0])


def shaft_speed_rpm(tacho: np.ndarray, fs: float, pulses_per_rev: int) -> float:
    """Shaft speed from a once-per-revolution (or n-per-revolution) tachometer signal.

    Method: rising edges where the signal crosses the midpoint between its min and max; mean
    edge interval in seconds; rpm = 60 / (interval * pulses_per_rev).

    Parameters
    - tacho (np.ndarray): 1-D tachometer voltage in V, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - pulses_per_rev (int): pulses per revolution.

    Returns
    - speed_rpm (float): shaft speed in revolutions per minute (0.0 with fewer than 2 edges).
    """
    x = np.asarray(tacho, dtype=float)
    mid = 0.5 * (x.min() + x.max())
    high = x > mid
    edges = np.flatnonzero(~high[:-1] & high[1:]) + 1
    if edges.size < 2:
        return 0.0
    interval_s = float(np.mean(np.diff(edges))) / fs
    return 60.0 / (interval_s * pulses_per_rev)


def check_shaft_speed_rpm() -> None:
    fs = 10000.0
    t = np.arange(int(fs)) / fs
    tacho = 5.0 * (np.mod(t * 25.0, 1.0) < 0.1)
    assert abs(shaft_speed_rpm(tacho, fs, 1) - 1500.0) < 1.0
    assert abs(shaft_speed_rpm(tacho, fs, 2) - 750.0) < 1.0


def motor_slip(supply_hz: float, n_poles: int, speed_rpm: float) -> float:
    """Slip of an induction motor from its measured speed.

    Method: synchronous speed n_s = 120 f / poles rpm; slip = (n_s - n) / n_s.

    Parameters
    - supply_hz (float): supply frequency in Hz.
    - n_poles (int): number of poles.
    - speed_rpm (float): rotor speed in rpm.

    Returns
    - slip (float): slip as a fraction (0 at synchronous speed).
    """
    sync = 120.0 * supply_hz / n_poles
    return (sync - speed_rpm) / sync


def check_motor_slip() -> None:
    assert abs(motor_slip(50.0, 4, 1440.0) - 0.04) < 1e-12
    assert abs(motor_slip(60.0, 2, 3600.0)) < 1e-12


def broken_bar_sidebands_hz(supply_hz: float, slip: float) -> np.ndarray:
    """Current-spectrum sidebands that indicate broken rotor bars (motor current signature).

    Method: f_sb = f (1 -+ 2 s): lower and upper sidebands around the supply frequency.

    Parameters
    - supply_hz (float): supply frequency in Hz.
    - slip (float): motor slip as a fraction.

    Returns
    - sidebands_hz (np.ndarray): [lower, upper] in Hz, shape (2,).
    """
    return np.array([supply_hz * (1.0 - 2.0 * slip), supply_hz * (1.0 + 2.0 * slip)])


def check_broken_bar_sidebands_hz() -> None:
    assert np.allclose(broken_bar_sidebands_hz(50.0, 0.04), [46.0, 54.0])


def gear_mesh_frequency_hz(shaft_rpm: float, n_teeth: int) -> float:
    """Gear mesh frequency of a gear from its shaft speed.

    Method: GMF = n_teeth * shaft_rpm / 60.

    Parameters
    - shaft_rpm (float): shaft speed in rpm.
    - n_teeth (int): number of teeth on the gear on that shaft.

    Returns
    - gmf_hz (float): gear mesh frequency in Hz.
    """
    return n_teeth * shaft_rpm / 60.0


def check_gear_mesh_frequency_hz() -> None:
    assert gear_mesh_frequency_hz(1500.0, 32) == 800.0


def total_harmonic_distortion_pct(
    current: np.ndarray, fs: float, fundamental_hz: float, n_harmonics: int
) -> float:
    """Total harmonic distortion of a current or voltage waveform.

    Method: Hann-windowed rfft amplitude; peak amplitude within +-2 bins of each harmonic k *
    f1 (k = 2..n_harmonics) and of f1; THD = sqrt(sum A_k^2) / A_1 * 100.

    Parameters
    - current (np.ndarray): 1-D waveform in A, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - fundamental_hz (float): supply frequency in Hz.
    - n_harmonics (int): highest harmonic order included.

    Returns
    - thd_pct (float): total harmonic distortion in percent.
    """
    x = np.asarray(current, dtype=float)
    amp = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size)))
    df = fs / x.size
    peaks = np.zeros(n_harmonics)
    for order in range(1, n_harmonics + 1):
        k = round(order * fundamental_hz / df)
        if k < amp.size:
            peaks[order - 1] = amp[max(0, k - 2) : k + 3].max()
    return float(np.sqrt(np.sum(peaks[1:] ** 2)) / peaks[0] * 100.0)


def check_total_harmonic_distortion_pct() -> None:
    fs = 10000.0
    t = np.arange(int(fs)) / fs
    x = (
        np.sin(2 * np.pi * 50 * t)
        + 0.1 * np.sin(2 * np.pi * 150 * t)
        + 0.05 * np.sin(2 * np.pi * 250 * t)
    )
    assert abs(total_harmonic_distortion_pct(x, fs, 50.0, 10) - 100 * np.sqrt(0.0125)) < 0.1


def phase_current_unbalance_pct(ia_rms: float, ib_rms: float, ic_rms: float) -> float:
    """Current unbalance of a three-phase motor (NEMA definition).

    Method: maximum deviation of a phase RMS current from the average of the three, divided by
    the average, times 100.

    Parameters
    - ia_rms (float): phase A RMS current in A.
    - ib_rms (float): phase B RMS current in A.
    - ic_rms (float): phase C RMS current in A.

    Returns
    - unbalance_pct (float): unbalance in percent.
    """
    phases = np.array([ia_rms, ib_rms, ic_rms], dtype=float)
    avg = phases.mean()
    return float(np.max(np.abs(phases - avg)) / avg * 100.0) if avg > 0 else 0.0


def check_phase_current_unbalance_pct() -> None:
    assert abs(phase_current_unbalance_pct(10.0, 10.0, 10.0)) < 1e-12
    assert abs(phase_current_unbalance_pct(10.0, 11.0, 12.0) - 100 / 11) < 1e-9


def power_factor_from_waveforms(voltage: np.ndarray, current: np.ndarray) -> float:
    """True power factor from sampled voltage and current over whole cycles.

    Method: real power P = mean(v i); apparent power S = V_rms I_rms; PF = P / S.

    Parameters
    - voltage (np.ndarray): 1-D voltage in V, shape (n_samples,).
    - current (np.ndarray): 1-D current in A, shape (n_samples,).

    Returns
    - power_factor (float): power factor in [-1, 1].
    """
    v = np.asarray(voltage, dtype=float)
    i = np.asarray(current, dtype=float)
    s = np.sqrt(np.mean(v**2)) * np.sqrt(np.mean(i**2))
    return float(np.mean(v * i) / s) if s > 0 else 0.0


def check_power_factor_from_waveforms() -> None:
    t = np.arange(10000) / 10000.0
    v = 325 * np.sin(2 * np.pi * 50 * t)
    i = 10 * np.sin(2 * np.pi * 50 * t - np.pi / 3)
    assert abs(power_factor_from_waveforms(v, i) - 0.5) < 1e-6


def rul_linear_hours(times_h: np.ndarray, health: np.ndarray, failure_threshold: float) -> float:
    """Remaining useful life by extrapolating a rising health indicator to its failure level.

    Method: least-squares line through (time, health) (numpy.polyfit degree 1); the time at which
    the line reaches failure_threshold minus the last time; inf when the trend is not rising.

    Parameters
    - times_h (np.ndarray): measurement times in hours, shape (n,).
    - health (np.ndarray): health indicator (e.g. vibration RMS), shape (n,).
    - failure_threshold (float): indicator value at failure.

    Returns
    - rul_h (float): remaining useful life in hours (0 when already past the threshold).
    """
    t = np.asarray(times_h, dtype=float)
    slope, intercept = np.polyfit(t, np.asarray(health, dtype=float), 1)
    if slope <= 0:
        return float("inf")
    t_fail = (failure_threshold - intercept) / slope
    return float(max(0.0, t_fail - t[-1]))


def check_rul_linear_hours() -> None:
    t = np.arange(0, 100, 10.0)
    assert abs(rul_linear_hours(t, 1.0 + 0.02 * t, 4.0) - 60.0) < 1e-9
    assert rul_linear_hours(t, 2.0 - 0.01 * t, 4.0) == float("inf")


def real_cepstrum(vibration: np.ndarray) -> np.ndarray:
    """Real cepstrum of a vibration signal (reveals gearbox sideband families as peaks).

    Method: inverse FFT of log(|FFT(x)| + 1e-12), real part (quefrency index = lag in samples).

    Parameters
    - vibration (np.ndarray): 1-D vibration in g, shape (n_samples,).

    Returns
    - cepstrum (np.ndarray): real cepstrum, shape (n_samples,).
    """
    x = np.asarray(vibration, dtype=float)
    return np.real(np.fft.ifft(np.log(np.abs(np.fft.fft(x)) + 1e-12)))


def check_real_cepstrum() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=4096)
    y = x.copy()
    y[200:] += 0.8 * x[:-200]
    c = real_cepstrum(y)
    assert c.shape == (4096,)
    assert 150 + int(np.argmax(c[150:1000])) == 200


def time_synchronous_average(
    vibration: np.ndarray, rev_starts: np.ndarray, samples_per_rev: int
) -> np.ndarray:
    """Time-synchronous average of a vibration signal over shaft revolutions.

    Method: each revolution (between consecutive rev_starts) is resampled to samples_per_rev
    points by linear interpolation (numpy.interp), then the revolutions are averaged.

    Parameters
    - vibration (np.ndarray): 1-D vibration in g, shape (n_samples,).
    - rev_starts (np.ndarray): sample index where each revolution starts, shape (n_revs + 1,).
    - samples_per_rev (int): points per averaged revolution.

    Returns
    - tsa (np.ndarray): averaged revolution, shape (samples_per_rev,).
    """
    x = np.asarray(vibration, dtype=float)
    starts = np.asarray(rev_starts, dtype=int)
    revs = []
    for k in range(starts.size - 1):
        pos = np.linspace(starts[k], starts[k + 1], samples_per_rev, endpoint=False)
        revs.append(np.interp(pos, np.arange(x.size), x))
    if not revs:
        return np.zeros(samples_per_rev)
    return np.mean(revs, axis=0)


def check_time_synchronous_average() -> None:
    rng = np.random.default_rng(0)
    starts = np.cumsum(np.r_[0, rng.integers(95, 105, 60)])
    x = np.zeros(starts[-1] + 1)
    for a, b in np.stack([starts[:-1], starts[1:]], axis=1):
        x[a:b] = np.sin(2 * np.pi * 3 * np.arange(b - a) / (b - a))
    x += 0.5 * rng.normal(size=x.size)
    tsa = time_synchronous_average(x, starts, 128)
    assert tsa.shape == (128,)
    ref = np.sin(2 * np.pi * 3 * np.arange(128) / 128)
    assert np.corrcoef(tsa, ref)[0, 1] > 0.95


def peak_to_peak_displacement_um(accel_ms2: np.ndarray, fs: float, low_hz: float) -> float:
    """Peak-to-peak vibration displacement from an accelerometer signal.

    Method: double integration in the frequency domain (divide the rfft by -(2 pi f)^2), bins
    below low_hz zeroed to suppress drift; displacement max - min in micrometres.

    Parameters
    - accel_ms2 (np.ndarray): 1-D acceleration in m/s^2, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - low_hz (float): lowest frequency kept in Hz.

    Returns
    - displacement_pp_um (float): peak-to-peak displacement in micrometres.
    """
    a = np.asarray(accel_ms2, dtype=float)
    spec = np.fft.rfft(a - a.mean())
    f = np.fft.rfftfreq(a.size, d=1.0 / fs)
    disp = np.zeros_like(spec)
    keep = f >= low_hz
    disp[keep] = -spec[keep] / (2 * np.pi * f[keep]) ** 2
    d = np.fft.irfft(disp, n=a.size)
    return float((d.max() - d.min()) * 1e6)


def check_peak_to_peak_displacement_um() -> None:
    fs = 2000.0
    t = np.arange(int(fs)) / fs
    w = 2 * np.pi * 25.0
    disp = 50e-6 * np.sin(w * t)
    a = -(w**2) * disp
    assert abs(peak_to_peak_displacement_um(a, fs, 5.0) - 100.0) < 0.5
