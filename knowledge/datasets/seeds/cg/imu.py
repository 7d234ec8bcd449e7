"""CG seeds: inertial measurement units (accelerometer, gyroscope, magnetometer)."""

import numpy as np
from scipy import integrate, signal

MODALITY = "imu"


def accel_vector_magnitude(accel: np.ndarray) -> np.ndarray:
    """Orientation-independent magnitude of a 3-axis accelerometer stream.

    Method: Euclidean norm sqrt(ax^2 + ay^2 + az^2) per sample (numpy.linalg.norm over axis 1).

    Parameters
    - accel (np.ndarray): 3-axis acceleration in m/s^2, shape (n_samples, 3).

    Returns
    - magnitude (np.ndarray): acceleration magnitude in m/s^2, shape (n_samples,).
    """
    accel = np.asarray(accel, dtype=float).reshape(-1, 3)
    return np.linalg.norm(accel, axis=1)


def check_accel_vector_magnitude() -> None:
    m = accel_vector_magnitude(np.array([[3.0, 4.0, 0.0], [0.0, 0.0, -9.81]]))
    assert m.shape == (2,)
    assert np.allclose(m, [5.0, 9.81])


def split_gravity_body_accel(
    accel: np.ndarray, fs: float, tau_s: float
) -> tuple[np.ndarray, np.ndarray]:
    """Track gravity in a 3-axis accelerometer stream causally and keep the rest as body motion.

    Method: first-order exponential low-pass per axis, g[n] = alpha g[n-1] + (1 - alpha) a[n],
    alpha = tau_s / (tau_s + 1 / fs), g[0] = a[0] (scipy.signal.lfilter); body = accel - g.

    Parameters
    - accel (np.ndarray): 3-axis acceleration in m/s^2, shape (n_samples, 3).
    - fs (float): sampling rate in Hz.
    - tau_s (float): filter time constant in seconds (about 1 s).

    Returns
    - gravity (np.ndarray): gravity estimate in m/s^2, shape (n_samples, 3).
    - body (np.ndarray): body (dynamic) acceleration in m/s^2, shape (n_samples, 3).
    """
    accel = np.asarray(accel, dtype=float).reshape(-1, 3)
    if accel.shape[0] == 0:
        return accel.copy(), accel.copy()
    alpha = tau_s / (tau_s + 1.0 / fs)
    gravity, _ = signal.lfilter([1.0 - alpha], [1.0, -alpha], accel, axis=0, zi=alpha * accel[:1])
    return gravity, accel - gravity


def check_split_gravity_body_accel() -> None:
    fs = 50.0
    t = np.arange(1000) / fs
    accel = np.zeros((1000, 3))
    accel[:, 2] = 9.81
    accel[:, 0] = 2.0 * np.sin(2 * np.pi * 2.0 * t)
    g, b = split_gravity_body_accel(accel, fs, 1.0)
    assert g.shape == (1000, 3) and b.shape == (1000, 3)
    assert np.allclose(g[:, 2], 9.81)
    assert np.max(np.abs(g[200:, 0])) < 0.25
    assert np.allclose(g + b, accel)
    g_slow, _ = split_gravity_body_accel(accel, 500.0, 1.0)
    assert np.max(np.abs(g_slow[200:, 0])) < 0.05


def complementary_angle_update(
    angle_deg: float, gyro_rate_dps: float, accel_angle_deg: float, dt_s: float, alpha: float
) -> float:
    """One update step of a complementary filter for a single tilt angle.

    Method: angle = alpha * (angle + gyro_rate * dt) + (1 - alpha) * accel_angle; the gyroscope
    term tracks fast motion, the accelerometer term removes gyro drift (alpha about 0.98).

    Parameters
    - angle_deg (float): previous angle estimate in degrees.
    - gyro_rate_dps (float): angular rate about the same axis in degrees per second.
    - accel_angle_deg (float): angle measured from the accelerometer in degrees.
    - dt_s (float): time since the previous update in seconds.
    - alpha (float): gyroscope weight in [0, 1].

    Returns
    - angle (float): updated angle estimate in degrees.
    """
    predicted = angle_deg + gyro_rate_dps * dt_s
    return float(alpha * predicted + (1.0 - alpha) * accel_angle_deg)


def check_complementary_angle_update() -> None:
    a = complementary_angle_update(10.0, 100.0, 0.0, 0.01, 0.98)
    assert abs(a - 0.98 * 11.0) < 1e-9
    angle = 0.0
    for _ in range(2000):
        angle = complementary_angle_update(angle, 0.0, 30.0, 0.01, 0.98)
    assert abs(angle - 30.0) < 1e-6


def madgwick_imu_update(
    q: np.ndarray, gyro_rads: np.ndarray, accel: np.ndarray, dt_s: float, beta: float
) -> np.ndarray:
    """One Madgwick gradient-descent orientation update from gyroscope and accelerometer.

    Method: quaternion rate 0.5 * q x (0, gyro) minus beta times the normalised gradient of the
    gravity-direction error (Madgwick 2010, IMU version), integrated over dt_s and renormalised.

    Parameters
    - q (np.ndarray): current orientation quaternion [w, x, y, z] (sensor to earth), shape (4,).
    - gyro_rads (np.ndarray): angular rate in rad/s, shape (3,).
    - accel (np.ndarray): acceleration in any unit (only its direction is used), shape (3,).
    - dt_s (float): sample period in seconds.
    - beta (float): filter gain (about 0.1).

    Returns
    - q_new (np.ndarray): updated unit quaternion [w, x, y, z], shape (4,).
    """
    quat = np.asarray(q, dtype=float)
    w, x, y, z = quat
    gx, gy, gz = np.asarray(gyro_rads, dtype=float)
    omega = np.array(
        [[0.0, -gx, -gy, -gz], [gx, 0.0, gz, -gy], [gy, -gz, 0.0, gx], [gz, gy, -gx, 0.0]]
    )
    rate = 0.5 * omega @ quat
    a = np.asarray(accel, dtype=float)
    norm_a = float(np.linalg.norm(a))
    if norm_a > 0.0:
        predicted_up = np.array(
            [2.0 * (x * z - w * y), 2.0 * (w * x + y * z), 1.0 - 2.0 * (x * x + y * y)]
        )
        err = predicted_up - a / norm_a
        jac_t = 2.0 * np.array([[-y, x, 0.0], [z, w, -2.0 * x], [-w, z, -2.0 * y], [x, y, 0.0]])
        step = jac_t @ err
        step_norm = float(np.linalg.norm(step))
        if step_norm > 0.0:
            rate = rate - beta * step / step_norm
    updated = quat + rate * dt_s
    return updated / np.linalg.norm(updated)


def check_madgwick_imu_update() -> None:
    q = np.array([1.0, 0.0, 0.0, 0.0])
    for _ in range(200):
        q = madgwick_imu_update(q, np.zeros(3), np.array([0.0, 0.0, 9.81]), 0.01, 0.1)
    assert q.shape == (4,) and abs(np.linalg.norm(q) - 1) < 1e-9
    assert abs(q[0] - 1.0) < 1e-6
    q = np.array([1.0, 0.0, 0.0, 0.0])
    for _ in range(100):
        q = madgwick_imu_update(q, np.array([0.0, 0.0, np.pi / 2]), np.zeros(3), 0.01, 0.1)
    yaw = np.degrees(2 * np.arctan2(q[3], q[0]))
    assert abs(yaw - 90.0) < 1.0


def quaternion_to_euler_deg(q: np.ndarray) -> np.ndarray:
    """Roll, pitch and yaw angles of a unit quaternion (aerospace ZYX convention).

    Method: rotation-matrix entries of the normalised quaternion; roll = atan2(R[2,1], R[2,2]),
    pitch = -asin(clip(R[2,0])), yaw = atan2(R[1,0], R[0,0]); in degrees.

    Parameters
    - q (np.ndarray): unit quaternion [w, x, y, z], shape (4,).

    Returns
    - euler_deg (np.ndarray): [roll, pitch, yaw] in degrees, shape (3,).
    """
    qn = np.asarray(q, dtype=float)
    w, x, y, z = qn / np.linalg.norm(qn)
    r00 = 1.0 - 2.0 * (y * y + z * z)
    r10 = 2.0 * (x * y + w * z)
    r20 = 2.0 * (x * z - w * y)
    r21 = 2.0 * (y * z + w * x)
    r22 = 1.0 - 2.0 * (x * x + y * y)
    angles = [np.arctan2(r21, r22), -np.arcsin(np.clip(r20, -1.0, 1.0)), np.arctan2(r10, r00)]
    return np.degrees(np.array(angles))


def check_quaternion_to_euler_deg() -> None:
    half = np.radians(30.0) / 2
    e = quaternion_to_euler_deg(np.array([np.cos(half), 0.0, 0.0, np.sin(half)]))
    assert e.shape == (3,)
    assert np.allclose(e, [0.0, 0.0, 30.0], atol=1e-9)
    e = quaternion_to_euler_deg(np.array([np.cos(half), np.sin(half), 0.0, 0.0]))
    assert np.allclose(e, [30.0, 0.0, 0.0], atol=1e-9)


def quaternion_product(q1: np.ndarray, q2: np.ndarray) -> np.ndarray:
    """Hamilton product of two quaternions (rotation q2 followed by q1 when composing frames).

    Method: [w1w2 - v1.v2, w1 v2 + w2 v1 + v1 x v2] with scalar-first components.

    Parameters
    - q1 (np.ndarray): quaternion [w, x, y, z], shape (4,).
    - q2 (np.ndarray): quaternion [w, x, y, z], shape (4,).

    Returns
    - product (np.ndarray): quaternion q1 * q2 [w, x, y, z], shape (4,).
    """
    w1, v1 = float(q1[0]), np.asarray(q1[1:], dtype=float)
    w2, v2 = float(q2[0]), np.asarray(q2[1:], dtype=float)
    w = w1 * w2 - float(np.dot(v1, v2))
    v = w1 * v2 + w2 * v1 + np.cross(v1, v2)
    return np.concatenate([[w], v])


def check_quaternion_product() -> None:
    i = np.array([0.0, 1.0, 0.0, 0.0])
    j = np.array([0.0, 0.0, 1.0, 0.0])
    assert np.allclose(quaternion_product(i, j), [0.0, 0.0, 0.0, 1.0])
    assert np.allclose(quaternion_product(j, i), [0.0, 0.0, 0.0, -1.0])
    assert quaternion_product(i, i).shape == (4,)


def rotate_vectors_by_quaternion(vectors: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Rotate sensor-frame vectors into the reference (earth) frame with a unit quaternion.

    Method: quaternion sandwich q v q* in vector form: t = 2 (u x v), v' = v + w t + u x t with
    u the vector part and w the scalar part of q (numpy.cross, all vectors at once).

    Parameters
    - vectors (np.ndarray): 3-D vectors in the sensor frame, shape (n_vectors, 3).
    - q (np.ndarray): unit quaternion [w, x, y, z] from sensor to earth frame, shape (4,).

    Returns
    - rotated (np.ndarray): vectors in the earth frame, shape (n_vectors, 3).
    """
    qn = np.asarray(q, dtype=float)
    qn = qn / np.linalg.norm(qn)
    scalar, axis = qn[0], qn[1:]
    v = np.asarray(vectors, dtype=float).reshape(-1, 3)
    t = 2.0 * np.cross(axis, v)
    return v + scalar * t + np.cross(axis, t)


def check_rotate_vectors_by_quaternion() -> None:
    half = np.radians(90.0) / 2
    q = np.array([np.cos(half), 0.0, 0.0, np.sin(half)])
    r = rotate_vectors_by_quaternion(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]), q)
    assert r.shape == (2, 3)
    assert np.allclose(r, [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]], atol=1e-5)


def integrate_gyro_angle_deg(gyro_dps: np.ndarray, fs: float) -> np.ndarray:
    """Angle traversed about one axis, from its angular-rate samples.

    Method: cumulative trapezoidal integration (scipy.integrate.cumulative_trapezoid) with
    dx = 1 / fs seconds, starting at 0 degrees.

    Parameters
    - gyro_dps (np.ndarray): 1-D angular rate in degrees per second, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - angle_deg (np.ndarray): accumulated angle in degrees, shape (n_samples,).
    """
    gyro_dps = np.asarray(gyro_dps, dtype=float)
    return integrate.cumulative_trapezoid(gyro_dps, dx=1.0 / fs, initial=0.0)


def check_integrate_gyro_angle_deg() -> None:
    fs = 100.0
    a = integrate_gyro_angle_deg(np.full(201, 45.0), fs)
    assert a.shape == (201,)
    assert abs(a[-1] - 90.0) < 1e-3 and a[0] == 0.0


def inclination_from_gravity_deg(accel: np.ndarray) -> np.ndarray:
    """Angle between the sensor z-axis and the gravity vector for a quasi-static sensor.

    Method: arccos(az / |a|) per sample, in degrees (0 = z-axis along gravity, 90 = horizontal).

    Parameters
    - accel (np.ndarray): 3-axis acceleration in m/s^2, shape (n_samples, 3).

    Returns
    - inclination_deg (np.ndarray): inclination in degrees in [0, 180], shape (n_samples,).
    """
    a = np.asarray(accel, dtype=float).reshape(-1, 3)
    norm = np.linalg.norm(a, axis=1)
    cos = np.divide(a[:, 2], norm, out=np.ones_like(norm), where=norm > 0)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def check_inclination_from_gravity_deg() -> None:
    s = np.sin(np.radians(60.0))
    c = np.cos(np.radians(60.0))
    inc = inclination_from_gravity_deg(
        np.array([[0, 0, 9.81], [9.81, 0, 0], [9.81 * s, 0, 9.81 * c]])
    )
    assert inc.shape == (3,)
    assert np.allclose(inc, [0.0, 90.0, 60.0], atol=1e-9)


def tilt_compensated_heading_deg(mag: np.ndarray, roll_deg: float, pitch_deg: float) -> float:
    """Compass heading from a magnetometer sample, compensated for the sensor's tilt.

    Method: de-rotate by roll and pitch (Xh = mx cos p + my sin r sin p + mz cos r sin p,
    Yh = my cos r - mz sin r), heading = atan2(-Yh, Xh) wrapped to [0, 360) degrees.

    Parameters
    - mag (np.ndarray): magnetic field in microtesla (x forward, y right, z down), shape (3,).
    - roll_deg (float): roll angle in degrees.
    - pitch_deg (float): pitch angle in degrees.

    Returns
    - heading_deg (float): heading from magnetic north in degrees, in [0, 360).
    """
    mx, my, mz = np.asarray(mag, dtype=float)
    r, p = np.radians(roll_deg), np.radians(pitch_deg)
    xh = mx * np.cos(p) + my * np.sin(r) * np.sin(p) + mz * np.cos(r) * np.sin(p)
    yh = my * np.cos(r) - mz * np.sin(r)
    return float(np.degrees(np.arctan2(-yh, xh)) % 360.0)


def check_tilt_compensated_heading_deg() -> None:
    assert abs(tilt_compensated_heading_deg(np.array([20.0, 0.0, 40.0]), 0.0, 0.0)) < 1e-9
    h = tilt_compensated_heading_deg(np.array([0.0, -20.0, 40.0]), 0.0, 0.0)
    assert abs(h - 90.0) < 1e-9
    h = tilt_compensated_heading_deg(np.array([20.0, 0.0, 40.0]), 0.0, 0.0)
    assert 0.0 <= h < 360.0


def count_steps_magnitude(accel_mag: np.ndarray, fs: float, min_step_s: float) -> int:
    """Number of walking steps in an accelerometer-magnitude recording.

    Method: subtract the mean, 4th-order Butterworth band-pass 0.5-3 Hz (sosfiltfilt), then
    scipy.signal.find_peaks with a minimum distance of min_step_s seconds and a height of
    0.5 x the filtered signal's standard deviation.

    Parameters
    - accel_mag (np.ndarray): 1-D acceleration magnitude in m/s^2, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - min_step_s (float): shortest time between two steps in seconds (about 0.3).

    Returns
    - n_steps (int): number of steps detected.
    """
    x = np.asarray(accel_mag, dtype=float)
    if x.size < 3 * fs:
        return 0
    sos = signal.butter(4, [0.5, 3.0], btype="bandpass", fs=fs, output="sos")
    y = signal.sosfiltfilt(sos, x - x.mean())
    distance = max(1, round(min_step_s * fs))
    peaks, _ = signal.find_peaks(y, distance=distance, height=0.5 * y.std())
    return int(peaks.size)


def check_count_steps_magnitude() -> None:
    fs = 50.0
    t = np.arange(int(20 * fs)) / fs
    walk = (
        9.81
        + 2.0 * np.sin(2 * np.pi * 1.8 * t)
        + 0.1 * np.random.default_rng(0).normal(size=t.size)
    )
    n = count_steps_magnitude(walk, fs, 0.3)
    assert abs(n - 36) <= 2
    assert count_steps_magnitude(np.full(10, 9.81), fs, 0.3) == 0


def cadence_steps_per_minute(step_indices: np.ndarray, fs: float) -> float:
    """Walking cadence from the sample indices of detected steps.

    Method: median step interval in seconds (numpy.diff of indices divided by fs); cadence =
    60 / median interval; 0.0 with fewer than two steps.

    Parameters
    - step_indices (np.ndarray): sample indices of the steps, increasing, shape (n_steps,).
    - fs (float): sampling rate in Hz.

    Returns
    - cadence_spm (float): cadence in steps per minute.
    """
    idx = np.asarray(step_indices, dtype=float)
    if idx.size < 2:
        return 0.0
    interval_s = float(np.median(np.diff(idx))) / fs
    return 60.0 / interval_s if interval_s > 0 else 0.0


def check_cadence_steps_per_minute() -> None:
    steps = np.arange(0, 1000, 25)
    assert abs(cadence_steps_per_minute(steps, 50.0) - 120.0) < 1e-9
    assert cadence_steps_per_minute(np.array([3]), 50.0) == 0.0


def weinberg_step_length_m(vertical_accel: np.ndarray, k: float) -> float:
    """Step length from the vertical acceleration of one step (Weinberg's model).

    Method: length = k * (a_max - a_min) ** 0.25 over the step's samples; k is a per-user
    constant (about 0.41 for a waist sensor with acceleration in m/s^2).

    Parameters
    - vertical_accel (np.ndarray): 1-D vertical acceleration of one step in m/s^2,
      shape (n_samples,).
    - k (float): Weinberg calibration constant.

    Returns
    - step_length_m (float): estimated step length in metres.
    """
    a = np.asarray(vertical_accel, dtype=float)
    if a.size == 0:
        return 0.0
    return float(k * (a.max() - a.min()) ** 0.25)


def check_weinberg_step_length_m() -> None:
    a = 9.81 + 8.0 * np.sin(np.linspace(0, 2 * np.pi, 50))
    length = weinberg_step_length_m(a, 0.41)
    assert abs(length - 0.41 * 16.0**0.25) < 1e-2
    assert weinberg_step_length_m(np.array([]), 0.41) == 0.0


def free_fall_duration_s(accel_mag_g: np.ndarray, fs: float, threshold_g: float) -> float:
    """Longest free-fall interval in an acceleration-magnitude recording.

    Method: mask of samples with magnitude below threshold_g (about 0.4 g); the longest run of
    consecutive masked samples divided by fs.

    Parameters
    - accel_mag_g (np.ndarray): 1-D acceleration magnitude in g, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - threshold_g (float): free-fall threshold in g.

    Returns
    - duration_s (float): longest free-fall duration in seconds.
    """
    below = np.asarray(accel_mag_g, dtype=float) < threshold_g
    if not below.any():
        return 0.0
    padded = np.concatenate([[0], below.astype(np.int8), [0]])
    edges = np.diff(padded)
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    return float((ends - starts).max()) / fs


def check_free_fall_duration_s() -> None:
    x = np.ones(500)
    x[100:130] = 0.1
    x[300:310] = 0.2
    assert abs(free_fall_duration_s(x, 100.0, 0.4) - 0.3) < 1e-12
    assert free_fall_duration_s(np.ones(10), 100.0, 0.4) == 0.0


def detect_fall_impact(
    accel_mag_g: np.ndarray, fs: float, free_fall_g: float, impact_g: float, window_s: float
) -> bool:
    """Whether a recording contains a fall: a free-fall phase followed by an impact.

    Method: threshold rule: some sample below free_fall_g followed, within window_s seconds,
    by a sample above impact_g (typical values 0.4 g, 2.5 g and 1 s).

    Parameters
    - accel_mag_g (np.ndarray): 1-D acceleration magnitude in g, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - free_fall_g (float): free-fall threshold in g.
    - impact_g (float): impact threshold in g.
    - window_s (float): longest delay from free fall to impact in seconds.

    Returns
    - is_fall (bool): True when a free fall is followed by an impact in time.
    """
    a = np.asarray(accel_mag_g, dtype=float)
    window = max(1, round(window_s * fs))
    impacts = np.flatnonzero(a > impact_g)
    for i in np.flatnonzero(a < free_fall_g):
        later = impacts[(impacts > i) & (impacts <= i + window)]
        if later.size:
            return True
    return False


def check_detect_fall_impact() -> None:
    fs = 100.0
    x = np.ones(600)
    x[200:230] = 0.2
    x[260] = 3.5
    assert detect_fall_impact(x, fs, 0.4, 2.5, 1.0) is True
    y = np.ones(600)
    y[100:120] = 0.2
    y[400] = 3.5
    assert detect_fall_impact(y, fs, 0.4, 2.5, 1.0) is False


def signal_magnitude_area(window: np.ndarray) -> float:
    """Signal magnitude area (SMA) of one accelerometer window, an activity-intensity feature.

    Method: mean over samples of |ax| + |ay| + |az| (use body acceleration, gravity removed).

    Parameters
    - window (np.ndarray): 3-axis acceleration window in m/s^2, shape (n_samples, 3).

    Returns
    - sma (float): signal magnitude area in m/s^2.
    """
    w = np.asarray(window, dtype=float).reshape(-1, 3)
    if w.shape[0] == 0:
        return 0.0
    return float(np.mean(np.sum(np.abs(w), axis=1)))


def check_signal_magnitude_area() -> None:
    w = np.array([[1.0, -2.0, 3.0], [-1.0, 0.0, 1.0]])
    assert abs(signal_magnitude_area(w) - 4.0) < 1e-12


def axis_correlation_features(window: np.ndarray) -> np.ndarray:
    """Pairwise Pearson correlations between accelerometer axes in one window (HAR feature).

    Method: numpy.corrcoef of the x, y and z columns; returns corr(x, y), corr(x, z), corr(y, z);
    an axis with zero variance gives 0.

    Parameters
    - window (np.ndarray): 3-axis acceleration window in m/s^2, shape (n_samples, 3).

    Returns
    - correlations (np.ndarray): [r_xy, r_xz, r_yz], shape (3,).
    """
    w = np.asarray(window, dtype=float).reshape(-1, 3)
    out = np.zeros(3)
    std = w.std(axis=0)
    for k, (i, j) in enumerate(((0, 1), (0, 2), (1, 2))):
        if std[i] > 0 and std[j] > 0:
            out[k] = np.corrcoef(w[:, i], w[:, j])[0, 1]
    return out


def check_axis_correlation_features() -> None:
    t = np.linspace(0, 1, 100)
    w = np.stack([t, -2 * t, np.ones(100)], axis=1)
    c = axis_correlation_features(w)
    assert c.shape == (3,)
    assert np.allclose(c, [-1.0, 0.0, 0.0])


def jerk_magnitude(accel: np.ndarray, fs: float) -> np.ndarray:
    """Magnitude of the jerk (time derivative of acceleration) of a 3-axis stream.

    Method: numpy.gradient along time with spacing 1 / fs per axis, then the Euclidean norm.

    Parameters
    - accel (np.ndarray): 3-axis acceleration in m/s^2, shape (n_samples, 3).
    - fs (float): sampling rate in Hz.

    Returns
    - jerk (np.ndarray): jerk magnitude in m/s^3, shape (n_samples,).
    """
    a = np.asarray(accel, dtype=float).reshape(-1, 3)
    if a.shape[0] < 2:
        return np.zeros(a.shape[0])
    return np.linalg.norm(np.gradient(a, 1.0 / fs, axis=0), axis=1)


def check_jerk_magnitude() -> None:
    fs = 50.0
    t = np.arange(100) / fs
    a = np.stack([3.0 * t, 4.0 * t, np.zeros(100)], axis=1)
    j = jerk_magnitude(a, fs)
    assert j.shape == (100,)
    assert np.allclose(j, 5.0)


def count_repetitions_autocorr(
    gyro_axis: np.ndarray, fs: float, min_period_s: float, max_period_s: float
) -> int:
    """Number of exercise repetitions from one gyroscope axis using its periodicity.

    Method: remove the mean, autocorrelation (numpy.correlate, full mode), repetition period =
    lag of the largest autocorrelation between min_period_s and max_period_s; count =
    floor(duration / period).

    Parameters
    - gyro_axis (np.ndarray): 1-D angular rate of the dominant axis in rad/s, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - min_period_s (float): shortest repetition period in seconds.
    - max_period_s (float): longest repetition period in seconds.

    Returns
    - n_reps (int): number of repetitions.
    """
    x = np.asarray(gyro_axis, dtype=float)
    x = x - x.mean()
    lo = max(1, round(min_period_s * fs))
    hi = min(x.size - 1, round(max_period_s * fs))
    if hi <= lo or not np.any(x):
        return 0
    ac = np.correlate(x, x, mode="full")[x.size - 1 :]
    period = lo + int(np.argmax(ac[lo : hi + 1]))
    return int(x.size // period)


def check_count_repetitions_autocorr() -> None:
    fs = 50.0
    t = np.arange(int(30 * fs)) / fs
    gyro = 1.5 * np.sin(2 * np.pi * t / 2.5)
    assert count_repetitions_autocorr(gyro, fs, 1.0, 6.0) == 12
    assert count_repetitions_autocorr(np.zeros(500), fs, 1.0, 6.0) == 0


def gyro_bias_from_rest(gyro: np.ndarray) -> np.ndarray:
    """Gyroscope bias estimated from a recording where the sensor lies still.

    Method: per-axis median of the stationary samples (robust to a few bumps).

    Parameters
    - gyro (np.ndarray): 3-axis angular rate at rest in rad/s, shape (n_samples, 3).

    Returns
    - bias (np.ndarray): per-axis bias in rad/s, shape (3,).
    """
    g = np.asarray(gyro, dtype=float).reshape(-1, 3)
    if g.shape[0] == 0:
        return np.zeros(3)
    return np.median(g, axis=0)


def check_gyro_bias_from_rest() -> None:
    rng = np.random.default_rng(1)
    g = np.array([0.01, -0.02, 0.005]) + 0.001 * rng.normal(size=(2000, 3))
    g[100] = [5.0, 5.0, 5.0]
    b = gyro_bias_from_rest(g)
    assert b.shape == (3,)
    assert np.allclose(b, [0.01, -0.02, 0.005], atol=2e-4)


def zero_velocity_mask(
    accel: np.ndarray, gyro: np.ndarray, fs: float, accel_var_thresh: float, gyro_thresh: float
) -> np.ndarray:
    """Stance (zero-velocity) detector for foot-mounted inertial navigation (ZUPT).

    Method: a sample is stationary when the variance of the acceleration magnitude over a
    centred 0.1 s window is below accel_var_thresh and the gyroscope norm is below gyro_thresh.

    Parameters
    - accel (np.ndarray): 3-axis acceleration in m/s^2, shape (n_samples, 3).
    - gyro (np.ndarray): 3-axis angular rate in rad/s, shape (n_samples, 3).
    - fs (float): sampling rate in Hz.
    - accel_var_thresh (float): variance threshold in (m/s^2)^2.
    - gyro_thresh (float): angular-rate threshold in rad/s.

    Returns
    - stationary (np.ndarray): True where the foot is still, bool, shape (n_samples,).
    """
    mag = np.linalg.norm(np.asarray(accel, dtype=float).reshape(-1, 3), axis=1)
    w = max(1, round(0.1 * fs))
    kernel = np.ones(w) / w
    mean = np.convolve(mag, kernel, mode="same")
    var = np.convolve(mag**2, kernel, mode="same") - mean**2
    gnorm = np.linalg.norm(np.asarray(gyro, dtype=float).reshape(-1, 3), axis=1)
    return (var < accel_var_thresh) & (gnorm < gyro_thresh)


def check_zero_velocity_mask() -> None:
    fs = 100.0
    n = 400
    accel = np.tile([0.0, 0.0, 9.81], (n, 1))
    gyro = np.zeros((n, 3))
    t = np.arange(200, 300) / fs
    accel[200:300, 0] = 5 * np.sin(2 * np.pi * 3 * t)
    gyro[200:300, 1] = 2.0
    m = zero_velocity_mask(accel, gyro, fs, 0.5, 0.5)
    assert m.shape == (n,) and m.dtype == bool
    assert m[50:150].all() and not m[210:290].any()


def raw_counts_to_ms2(raw: np.ndarray, lsb_per_g: float) -> np.ndarray:
    """Convert raw accelerometer ADC counts to acceleration in m/s^2.

    Method: g = raw / lsb_per_g (sensitivity from the datasheet, e.g. 16384 LSB/g at +-2 g),
    then multiply by standard gravity 9.80665 m/s^2.

    Parameters
    - raw (np.ndarray): raw signed counts, shape (n_samples, 3).
    - lsb_per_g (float): sensitivity in counts per g.

    Returns
    - accel (np.ndarray): acceleration in m/s^2, shape (n_samples, 3).
    """
    return np.asarray(raw, dtype=float) / lsb_per_g * 9.80665


def check_raw_counts_to_ms2() -> None:
    a = raw_counts_to_ms2(np.array([[0, 0, 16384], [8192, 0, 0]], dtype=np.int16), 16384.0)
    assert a.shape == (2, 3)
    assert np.allclose(a, [[0, 0, 9.80665], [4.903325, 0, 0]])


def enmo_milli_g(accel_g: np.ndarray) -> np.ndarray:
    """Euclidean norm minus one (ENMO), the standard wrist-accelerometer activity metric.

    Method: max(|a| - 1 g, 0) per sample, reported in milli-g.

    Parameters
    - accel_g (np.ndarray): 3-axis acceleration in g, shape (n_samples, 3).

    Returns
    - enmo_mg (np.ndarray): ENMO in milli-g, non-negative, shape (n_samples,).
    """
    a = np.asarray(accel_g, dtype=float).reshape(-1, 3)
    return np.maximum(np.linalg.norm(a, axis=1) - 1.0, 0.0) * 1000.0


def check_enmo_milli_g() -> None:
    e = enmo_milli_g(np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 1.25], [0.0, 0.5, 0.0]]))
    assert e.shape == (3,)
    assert np.allclose(e, [0.0, 250.0, 0.0])


def quaternion_angle_between_deg(q1: np.ndarray, q2: np.ndarray) -> float:
    """Smallest rotation angle between two orientations given as unit quaternions.

    Method: angle = 2 * arccos(|q1 . q2|) (the absolute value handles q and -q), in degrees.

    Parameters
    - q1 (np.ndarray): unit quaternion [w, x, y, z], shape (4,).
    - q2 (np.ndarray): unit quaternion [w, x, y, z], shape (4,).

    Returns
    - angle_deg (float): rotation angle in degrees, in [0, 180].
    """
    a = np.asarray(q1, dtype=float) / np.linalg.norm(q1)
    b = np.asarray(q2, dtype=float) / np.linalg.norm(q2)
    dot = min(1.0, abs(float(np.dot(a, b))))
    return float(np.degrees(2.0 * np.arccos(dot)))


def check_quaternion_angle_between_deg() -> None:
    half = np.radians(40.0) / 2
    q = np.array([np.cos(half), np.sin(half), 0.0, 0.0])
    ident = np.array([1.0, 0.0, 0.0, 0.0])
    assert abs(quaternion_angle_between_deg(ident, q) - 40.0) < 0.05
    assert abs(quaternion_angle_between_deg(q, -q)) < 0.1


def velocity_from_accel_drift_corrected(accel_axis: np.ndarray, fs: float) -> np.ndarray:
    """Velocity along one axis for a movement that starts and ends at rest.

    Method: cumulative trapezoidal integration with dx = 1 / fs, then subtract the linear ramp
    from 0 to the final value so that the end velocity is zero (linear drift correction).

    Parameters
    - accel_axis (np.ndarray): 1-D gravity-free acceleration in m/s^2, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - velocity (np.ndarray): velocity in m/s, shape (n_samples,).
    """
    a = np.asarray(accel_axis, dtype=float)
    v = integrate.cumulative_trapezoid(a, dx=1.0 / fs, initial=0.0)
    if v.size > 1:
        v = v - np.linspace(0.0, v[-1], v.size)
    return v


def check_velocity_from_accel_drift_corrected() -> None:
    fs = 100.0
    t = np.arange(201) / fs
    a = np.pi * np.sin(np.pi * t) + 0.05
    v = velocity_from_accel_drift_corrected(a, fs)
    assert v.shape == (201,)
    assert abs(v[-1]) < 1e-4 and abs(v[100] - 2.0) < 0.02
