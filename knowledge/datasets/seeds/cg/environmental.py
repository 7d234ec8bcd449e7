"""CG seeds: environmental sensors (temperature, humidity, pressure, gases, weather)."""

import numpy as np

MODALITY = "environmental"


def dew_point_magnus_c(temp_c: np.ndarray, rh_percent: np.ndarray) -> np.ndarray:
    """Dew point temperature from air temperature and relative humidity.

    Method: Magnus formula with a = 17.62, b = 243.12 degC: gamma = ln(RH / 100) + a T / (b + T),
    dew point = b gamma / (a - gamma).

    Parameters
    - temp_c (np.ndarray): air temperature in degrees Celsius, shape (n,).
    - rh_percent (np.ndarray): relative humidity in percent (0-100], shape (n,).

    Returns
    - dew_point_c (np.ndarray): dew point in degrees Celsius, shape (n,).
    """
    t = np.asarray(temp_c, dtype=float)
    rh = np.clip(np.asarray(rh_percent, dtype=float), 1e-6, 100.0)
    gamma = np.log(rh / 100.0) + 17.62 * t / (243.12 + t)
    return 243.12 * gamma / (17.62 - gamma)


def check_dew_point_magnus_c() -> None:
    d = dew_point_magnus_c(np.array([25.0, 20.0]), np.array([100.0, 50.0]))
    assert d.shape == (2,)
    assert abs(d[0] - 25.0) < 1e-9 and abs(d[1] - 9.26) < 0.05


def absolute_humidity_g_m3(temp_c: np.ndarray, rh_percent: np.ndarray) -> np.ndarray:
    """Absolute humidity (water vapour density) from temperature and relative humidity.

    Method: saturation vapour pressure e_s = 6.112 exp(17.67 T / (T + 243.5)) hPa; vapour
    pressure e = RH / 100 * e_s; density = 216.7 * e / (T + 273.15) in g/m^3.

    Parameters
    - temp_c (np.ndarray): air temperature in degrees Celsius, shape (n,).
    - rh_percent (np.ndarray): relative humidity in percent, shape (n,).

    Returns
    - abs_humidity (np.ndarray): absolute humidity in g/m^3, shape (n,).
    """
    t = np.asarray(temp_c, dtype=float)
    es = 6.112 * np.exp(17.67 * t / (t + 243.5))
    e = np.asarray(rh_percent, dtype=float) / 100.0 * es
    return 216.7 * e / (t + 273.15)


def check_absolute_humidity_g_m3() -> None:
    ah = absolute_humidity_g_m3(np.array([20.0, 30.0]), np.array([50.0, 100.0]))
    assert ah.shape == (2,)
    assert abs(ah[0] - 8.63) < 0.1 and abs(ah[1] - 30.3) < 0.3


def vapour_pressure_deficit_kpa(temp_c: np.ndarray, rh_percent: np.ndarray) -> np.ndarray:
    """Vapour pressure deficit (VPD) for greenhouse and plant monitoring.

    Method: Tetens saturation pressure e_s = 0.6108 exp(17.27 T / (T + 237.3)) kPa;
    VPD = e_s (1 - RH / 100).

    Parameters
    - temp_c (np.ndarray): air temperature in degrees Celsius, shape (n,).
    - rh_percent (np.ndarray): relative humidity in percent, shape (n,).

    Returns
    - vpd_kpa (np.ndarray): vapour pressure deficit in kPa, shape (n,).
    """
    t = np.asarray(temp_c, dtype=float)
    es = 0.6108 * np.exp(17.27 * t / (t + 237.3))
    return es * (1.0 - np.asarray(rh_percent, dtype=float) / 100.0)


def check_vapour_pressure_deficit_kpa() -> None:
    v = vapour_pressure_deficit_kpa(np.array([25.0, 25.0]), np.array([100.0, 60.0]))
    assert abs(v[0]) < 1e-12 and abs(v[1] - 1.268) < 0.01


def heat_index_c(temp_c: np.ndarray, rh_percent: np.ndarray) -> np.ndarray:
    """Apparent ("feels like") temperature from the NWS heat index.

    Method: in degF, Steadman's simple formula; where its average with T is >= 80 degF, the
    Rothfusz regression (9 NWS coefficients) instead; result converted back to degC.

    Parameters
    - temp_c (np.ndarray): air temperature in degrees Celsius, shape (n,).
    - rh_percent (np.ndarray): relative humidity in percent, shape (n,).

    Returns
    - heat_index (np.ndarray): heat index in degrees Celsius, shape (n,).
    """
    t = np.asarray(temp_c, dtype=float) * 9.0 / 5.0 + 32.0
    rh = np.asarray(rh_percent, dtype=float)
    simple = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094)
    full = (
        -42.379
        + 2.04901523 * t
        + 10.14333127 * rh
        - 0.22475541 * t * rh
        - 6.83783e-3 * t**2
        - 5.481717e-2 * rh**2
        + 1.22874e-3 * t**2 * rh
        + 8.5282e-4 * t * rh**2
        - 1.99e-6 * t**2 * rh**2
    )
    hi_f = np.where((simple + t) / 2.0 >= 80.0, full, simple)
    return (hi_f - 32.0) * 5.0 / 9.0


def check_heat_index_c() -> None:
    hi = heat_index_c(np.array([32.2222, 20.0]), np.array([70.0, 50.0]))
    assert hi.shape == (2,)
    assert abs(hi[0] - (106.0 - 32) * 5 / 9) < 0.5
    assert abs(hi[1] - 20.0) < 1.5


def barometric_altitude_m(pressure_hpa: np.ndarray, sea_level_hpa: float) -> np.ndarray:
    """Altitude from barometric pressure (international standard atmosphere).

    Method: h = 44330 * (1 - (p / p0) ** (1 / 5.255)) metres, p0 the sea-level pressure.

    Parameters
    - pressure_hpa (np.ndarray): measured pressure in hPa, shape (n,).
    - sea_level_hpa (float): sea-level reference pressure in hPa (1013.25 standard).

    Returns
    - altitude_m (np.ndarray): altitude in metres, shape (n,).
    """
    p = np.asarray(pressure_hpa, dtype=float)
    return 44330.0 * (1.0 - (p / sea_level_hpa) ** (1.0 / 5.255))


def check_barometric_altitude_m() -> None:
    h = barometric_altitude_m(np.array([1013.25, 898.75]), 1013.25)
    assert h.shape == (2,)
    assert abs(h[0]) < 1e-9 and abs(h[1] - 1000.0) < 5.0


def sea_level_pressure_hpa(
    pressure_hpa: np.ndarray, altitude_m: float, temp_c: np.ndarray
) -> np.ndarray:
    """Reduce station pressure to mean sea level for weather comparisons.

    Method: hypsometric reduction p0 = p (1 - 0.0065 h / (T + 0.0065 h + 273.15)) ** -5.257.

    Parameters
    - pressure_hpa (np.ndarray): station pressure in hPa, shape (n,).
    - altitude_m (float): station altitude in metres.
    - temp_c (np.ndarray): station air temperature in degrees Celsius, shape (n,).

    Returns
    - mslp_hpa (np.ndarray): mean sea-level pressure in hPa, shape (n,).
    """
    p = np.asarray(pressure_hpa, dtype=float)
    t = np.asarray(temp_c, dtype=float)
    h = altitude_m
    return p * (1.0 - 0.0065 * h / (t + 0.0065 * h + 273.15)) ** -5.257


def check_sea_level_pressure_hpa() -> None:
    p0 = sea_level_pressure_hpa(np.array([1000.0, 950.0]), 0.0, np.array([15.0, 15.0]))
    assert np.allclose(p0, [1000.0, 950.0])
    p = sea_level_pressure_hpa(np.array([954.6]), 400.0, np.array([15.0]))
    assert abs(p[0] - 1001.3) < 1.0


def ntc_temperature_c(
    resistance_ohm: np.ndarray, r0_ohm: float, t0_c: float, beta: float
) -> np.ndarray:
    """Temperature of an NTC thermistor from its resistance (beta equation).

    Method: 1 / T = 1 / T0 + ln(R / R0) / beta with temperatures in kelvin (T0 = t0_c + 273.15);
    result converted back to Celsius.

    Parameters
    - resistance_ohm (np.ndarray): thermistor resistance in ohms, shape (n,).
    - r0_ohm (float): nominal resistance at t0_c in ohms (e.g. 10000).
    - t0_c (float): nominal temperature in degrees Celsius (e.g. 25).
    - beta (float): beta constant in kelvin (e.g. 3950).

    Returns
    - temp_c (np.ndarray): temperature in degrees Celsius, shape (n,).
    """
    r = np.asarray(resistance_ohm, dtype=float)
    inv_t = 1.0 / (t0_c + 273.15) + np.log(r / r0_ohm) / beta
    return 1.0 / inv_t - 273.15


def check_ntc_temperature_c() -> None:
    t = ntc_temperature_c(np.array([10000.0, 3588.0]), 10000.0, 25.0, 3950.0)
    assert abs(t[0] - 25.0) < 1e-9
    assert abs(t[1] - 50.0) < 0.5


def divider_sensor_resistance_ohm(
    adc_counts: np.ndarray, adc_max: int, r_fixed_ohm: float
) -> np.ndarray:
    """Resistance of a sensor in the low side of a voltage divider read by an ADC.

    Method: V_out / V_ref = counts / adc_max; R_sensor = R_fixed * counts / (adc_max - counts)
    (sensor between the ADC pin and ground, fixed resistor to V_ref).

    Parameters
    - adc_counts (np.ndarray): ADC readings, shape (n,).
    - adc_max (int): full-scale ADC count (e.g. 4095 for 12 bits).
    - r_fixed_ohm (float): fixed resistor in ohms.

    Returns
    - resistance_ohm (np.ndarray): sensor resistance in ohms (inf at full scale), shape (n,).
    """
    c = np.asarray(adc_counts, dtype=float)
    denom = adc_max - c
    return np.divide(r_fixed_ohm * c, denom, out=np.full_like(c, np.inf), where=denom > 0)


def check_divider_sensor_resistance_ohm() -> None:
    r = divider_sensor_resistance_ohm(np.array([2047.5, 1023.75, 4095.0]), 4095, 10000.0)
    assert np.allclose(r[:2], [10000.0, 10000.0 / 3])
    assert np.isinf(r[2])


def two_point_calibration(
    raw: np.ndarray, raw_low: float, raw_high: float, ref_low: float, ref_high: float
) -> np.ndarray:
    """Two-point linear calibration of a sensor against two reference values.

    Method: gain = (ref_high - ref_low) / (raw_high - raw_low); calibrated = ref_low + gain *
    (raw - raw_low).

    Parameters
    - raw (np.ndarray): raw readings, shape (n,).
    - raw_low (float): raw reading at the low reference point.
    - raw_high (float): raw reading at the high reference point.
    - ref_low (float): true value of the low reference.
    - ref_high (float): true value of the high reference.

    Returns
    - calibrated (np.ndarray): calibrated readings in the reference units, shape (n,).
    """
    gain = (ref_high - ref_low) / (raw_high - raw_low)
    return ref_low + gain * (np.asarray(raw, dtype=float) - raw_low)


def check_two_point_calibration() -> None:
    c = two_point_calibration(np.array([0.5, 99.0, 50.0]), 0.5, 99.0, 0.0, 100.0)
    assert np.allclose(c, [0.0, 100.0, 100.0 / 98.5 * 49.5])


def drift_rate_per_day(
    timestamps_s: np.ndarray, sensor: np.ndarray, reference: np.ndarray
) -> float:
    """Calibration drift of a sensor against a co-located reference instrument.

    Method: error = sensor - reference; least-squares slope of error versus time (numpy.polyfit,
    degree 1) with time converted from seconds to days.

    Parameters
    - timestamps_s (np.ndarray): sample times in seconds, shape (n,).
    - sensor (np.ndarray): sensor readings, shape (n,).
    - reference (np.ndarray): reference readings in the same units, shape (n,).

    Returns
    - drift_per_day (float): drift in sensor units per day.
    """
    days = np.asarray(timestamps_s, dtype=float) / 86400.0
    err = np.asarray(sensor, dtype=float) - np.asarray(reference, dtype=float)
    return float(np.polyfit(days, err, 1)[0])


def check_drift_rate_per_day() -> None:
    t = np.arange(0, 30 * 86400, 3600.0)
    ref = 400 + 20 * np.sin(2 * np.pi * t / 86400)
    s = ref + 0.5 * t / 86400 + 3.0
    assert abs(drift_rate_per_day(t, s, ref) - 0.5) < 1e-9


def ewma_control_alarms(
    x: np.ndarray, lam: float, width: float, mu0: float, sigma0: float
) -> tuple[np.ndarray, np.ndarray]:
    """EWMA control chart for detecting small persistent shifts in a sensor's mean.

    Method: z_t = lam x_t + (1 - lam) z_{t-1}, z_0 = mu0; time-varying limits mu0 +- width sigma0
    sqrt(lam / (2 - lam) (1 - (1 - lam)^(2t))); alarm where z leaves the limits.

    Parameters
    - x (np.ndarray): 1-D sensor readings, shape (n_samples,).
    - lam (float): smoothing weight in (0, 1] (e.g. 0.2).
    - width (float): limit width in sigmas (e.g. 3).
    - mu0 (float): in-control mean.
    - sigma0 (float): in-control standard deviation.

    Returns
    - ewma (np.ndarray): EWMA statistic, shape (n_samples,).
    - alarms (np.ndarray): True where out of control, bool, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    z = np.empty_like(x)
    prev = mu0
    for i, v in enumerate(x):
        prev = lam * v + (1.0 - lam) * prev
        z[i] = prev
    t = np.arange(1, x.size + 1)
    half = width * sigma0 * np.sqrt(lam / (2.0 - lam) * (1.0 - (1.0 - lam) ** (2 * t)))
    return z, np.abs(z - mu0) > half


def check_ewma_control_alarms() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(20.0, 1.0, 400)
    x[200:] += 2.0
    z, a = ewma_control_alarms(x, 0.2, 3.0, 20.0, 1.0)
    assert z.shape == (400,) and a.dtype == bool
    assert a[:200].sum() <= 2 and a[230:].mean() > 0.5


def cusum_two_sided_alarms(x: np.ndarray, target: float, k: float, h: float) -> np.ndarray:
    """Tabular two-sided CUSUM change detector with restart after each alarm.

    Method: S+ = max(0, S+ + x - target - k), S- = max(0, S- + target - k - x); an alarm when
    either exceeds h, after which both sums reset to 0 (k and h in sensor units).

    Parameters
    - x (np.ndarray): 1-D sensor readings, shape (n_samples,).
    - target (float): in-control mean.
    - k (float): allowance (half the shift to detect).
    - h (float): decision threshold.

    Returns
    - alarm_indices (np.ndarray): sample indices of the alarms, shape (n_alarms,).
    """
    x = np.asarray(x, dtype=float)
    hi = lo = 0.0
    alarms = []
    for i, v in enumerate(x):
        hi = max(0.0, hi + v - target - k)
        lo = max(0.0, lo + target - k - v)
        if hi > h or lo > h:
            alarms.append(i)
            hi = lo = 0.0
    return np.asarray(alarms, dtype=int)


def check_cusum_two_sided_alarms() -> None:
    x = np.full(100, 10.0)
    x[50:] = 12.0
    a = cusum_two_sided_alarms(x, 10.0, 0.5, 4.0)
    assert a[0] == 52
    assert cusum_two_sided_alarms(np.full(50, 10.0), 10.0, 0.5, 4.0).size == 0


def trailing_zscore(x: np.ndarray, window: int) -> np.ndarray:
    """Causal rolling z-score of each reading against the preceding window of readings.

    Method: for sample i, mean and standard deviation of x[i - window : i] (past samples only);
    z = (x_i - mean) / std; NaN for the first window samples or a zero std.

    Parameters
    - x (np.ndarray): 1-D sensor readings, shape (n_samples,).
    - window (int): number of past samples in the reference window.

    Returns
    - z (np.ndarray): rolling z-score, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    z = np.full(x.size, np.nan)
    for i in range(window, x.size):
        past = x[i - window : i]
        std = past.std()
        if std > 0:
            z[i] = (x[i] - past.mean()) / std
    return z


def check_trailing_zscore() -> None:
    x = np.tile([1.0, -1.0], 20)
    x[30] = 11.0
    z = trailing_zscore(x, 10)
    assert z.shape == (40,)
    assert np.all(np.isnan(z[:10]))
    assert abs(z[30] - 11.0) < 1e-9


def pm25_aqi_us(pm25_ugm3: np.ndarray) -> np.ndarray:
    """US EPA Air Quality Index from 24-hour PM2.5 concentrations (2024 breakpoints).

    Method: truncate to 0.1 ug/m^3; linear between breakpoints 0-9.0, 9.1-35.4, 35.5-55.4,
    55.5-125.4, 125.5-225.4, 225.5-325.4 to AQI 0-50, 51-100, 101-150, 151-200, 201-300,
    301-500; rounded, capped at 500.

    Parameters
    - pm25_ugm3 (np.ndarray): PM2.5 concentrations in ug/m^3, shape (n,).

    Returns
    - aqi (np.ndarray): AQI values, int, shape (n,).
    """
    c = np.floor(np.asarray(pm25_ugm3, dtype=float) * 10.0 + 1e-9) / 10.0
    table = [
        (0.0, 9.0, 0, 50),
        (9.1, 35.4, 51, 100),
        (35.5, 55.4, 101, 150),
        (55.5, 125.4, 151, 200),
        (125.5, 225.4, 201, 300),
        (225.5, 325.4, 301, 500),
    ]
    out = np.full(c.size, 500, dtype=int)
    for i, v in enumerate(c):
        for c_lo, c_hi, i_lo, i_hi in table:
            if v <= c_hi:
                out[i] = round((i_hi - i_lo) / (c_hi - c_lo) * (max(v, c_lo) - c_lo) + i_lo)
                break
    return out


def check_pm25_aqi_us() -> None:
    a = pm25_aqi_us(np.array([0.0, 9.0, 35.4, 35.5, 100.0, 500.0]))
    assert a.dtype.kind == "i"
    assert a.tolist() == [0, 50, 100, 101, 182, 500]


def ppm_to_mg_per_m3(
    ppm: np.ndarray, molar_mass_g: float, temp_c: float, pressure_hpa: float
) -> np.ndarray:
    """Convert a gas concentration from ppm (by volume) to mg/m^3.

    Method: ideal gas molar volume V_m = 8.314462 * (T + 273.15) / (p * 100) m^3/mol;
    mg/m^3 = ppm * molar_mass / (V_m * 1000).

    Parameters
    - ppm (np.ndarray): concentrations in parts per million by volume, shape (n,).
    - molar_mass_g (float): molar mass of the gas in g/mol (CO2 44.01).
    - temp_c (float): air temperature in degrees Celsius.
    - pressure_hpa (float): air pressure in hPa.

    Returns
    - mg_m3 (np.ndarray): concentrations in mg/m^3, shape (n,).
    """
    vm = 8.314462 * (temp_c + 273.15) / (pressure_hpa * 100.0)
    return np.asarray(ppm, dtype=float) * molar_mass_g / (vm * 1000.0)


def check_ppm_to_mg_per_m3() -> None:
    m = ppm_to_mg_per_m3(np.array([1000.0]), 44.01, 25.0, 1013.25)
    assert abs(m[0] - 1798.8) < 1.0


def heating_degree_days(daily_mean_c: np.ndarray, base_c: float) -> float:
    """Heating degree days of a period from daily mean temperatures.

    Method: sum over days of max(base_c - T_mean, 0) (base 15.5 or 18 degC typically).

    Parameters
    - daily_mean_c (np.ndarray): daily mean temperatures in degrees Celsius, shape (n_days,).
    - base_c (float): base temperature in degrees Celsius.

    Returns
    - hdd (float): heating degree days in degC-days.
    """
    t = np.asarray(daily_mean_c, dtype=float)
    return float(np.sum(np.maximum(base_c - t, 0.0)))


def check_heating_degree_days() -> None:
    assert heating_degree_days(np.array([10.0, 20.0, 17.0]), 18.0) == 9.0


def vector_mean_wind(speed_mps: np.ndarray, direction_deg: np.ndarray) -> tuple[float, float]:
    """Vector-averaged wind speed and direction from anemometer and wind-vane samples.

    Method: u = -s sin(theta), v = -s cos(theta) (meteorological convention: direction the wind
    blows from); mean u and v; speed = hypot, direction = atan2(-u, -v) in [0, 360) degrees.

    Parameters
    - speed_mps (np.ndarray): wind speeds in m/s, shape (n,).
    - direction_deg (np.ndarray): wind directions in degrees clockwise from north, shape (n,).

    Returns
    - mean_speed_mps (float): vector-mean wind speed in m/s.
    - mean_direction_deg (float): vector-mean direction in degrees, in [0, 360).
    """
    s = np.asarray(speed_mps, dtype=float)
    th = np.radians(np.asarray(direction_deg, dtype=float))
    u = np.mean(-s * np.sin(th))
    v = np.mean(-s * np.cos(th))
    return float(np.hypot(u, v)), float(np.degrees(np.arctan2(-u, -v)) % 360.0)


def check_vector_mean_wind() -> None:
    sp, d = vector_mean_wind(np.array([5.0, 5.0]), np.array([350.0, 10.0]))
    assert abs(d) < 1e-6 or abs(d - 360.0) < 1e-6
    assert abs(sp - 5 * np.cos(np.radians(10))) < 1e-9
    sp, d = vector_mean_wind(np.array([2.0, 2.0]), np.array([90.0, 270.0]))
    assert sp < 1e-9


def rain_rate_mm_per_h(
    tip_times_s: np.ndarray, mm_per_tip: float, end_s: float, window_s: float
) -> float:
    """Rain rate from a tipping-bucket rain gauge over the most recent window.

    Method: tips with end_s - window_s < t <= end_s times mm_per_tip, divided by the window
    length in hours.

    Parameters
    - tip_times_s (np.ndarray): bucket tip times in seconds, shape (n_tips,).
    - mm_per_tip (float): rainfall per tip in mm (e.g. 0.2).
    - end_s (float): end of the window in seconds.
    - window_s (float): window length in seconds.

    Returns
    - rate_mm_h (float): rain rate in mm per hour.
    """
    t = np.asarray(tip_times_s, dtype=float)
    n = int(np.sum((t > end_s - window_s) & (t <= end_s)))
    return n * mm_per_tip / (window_s / 3600.0)


def check_rain_rate_mm_per_h() -> None:
    tips = np.arange(60, 660, 60.0)
    assert abs(rain_rate_mm_per_h(tips, 0.2, 600.0, 600.0) - 12.0) < 1e-9
    assert rain_rate_mm_per_h(tips, 0.2, 10000.0, 600.0) == 0.0


def rate_of_change_flags(x: np.ndarray, fs: float, max_rate_per_s: float) -> np.ndarray:
    """Flag physically implausible jumps between consecutive sensor readings.

    Method: |x[i] - x[i-1]| * fs > max_rate_per_s marks sample i; the first sample is never
    flagged.

    Parameters
    - x (np.ndarray): 1-D sensor readings, shape (n_samples,).
    - fs (float): sampling rate in Hz.
    - max_rate_per_s (float): largest plausible change per second, in sensor units.

    Returns
    - flags (np.ndarray): True at implausible samples, bool, shape (n_samples,).
    """
    x = np.asarray(x, dtype=float)
    rate = np.abs(np.diff(x)) * fs
    return np.concatenate([[False], rate > max_rate_per_s])


def check_rate_of_change_flags() -> None:
    x = np.array([20.0, 20.1, 25.0, 25.1, 25.1])
    f = rate_of_change_flags(x, 0.1, 0.1)
    assert f.tolist() == [False, False, True, False, False]
    assert rate_of_change_flags(x, 10.0, 0.1).tolist() == [False, True, True, True, False]
