"""Seed families generated from curated tables: filters per sensor band and API descriptions.

Each table row is a curated fact (a sensor, its band of interest and why; or a numpy/scipy
function). The code and check come from one template per family; the result is seed-module source
text, parsed by the same loader as the hand-written seed files.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from importlib import import_module

from gpiot.datasets.cgseeds import CgSeed, load_seed_source


@dataclass(frozen=True)
class FilterRow:
    name: str
    modality: str
    param: str
    noun: str  # what the signal is, e.g. "wrist accelerometer axis"
    unit: str
    btype: str  # lowpass, highpass, bandpass, bandstop
    cutoff: tuple[float, ...]
    order: int
    purpose: str
    fs: float  # sampling rate used by the check
    pass_hz: float
    stop_hz: float


FILTERS: tuple[FilterRow, ...] = (
    FilterRow(
        "highpass_ecg_baseline",
        "ecg",
        "ecg",
        "single-lead ECG",
        "mV",
        "highpass",
        (0.5,),
        2,
        "Remove respiration-induced baseline wander from an ECG",
        250,
        10,
        0.1,
    ),
    FilterRow(
        "lowpass_ecg_emg_noise",
        "ecg",
        "ecg",
        "single-lead ECG",
        "mV",
        "lowpass",
        (40.0,),
        4,
        "Suppress muscle noise above the diagnostic ECG band",
        500,
        10,
        120,
    ),
    FilterRow(
        "bandpass_ecg_monitoring",
        "ecg",
        "ecg",
        "single-lead ECG",
        "mV",
        "bandpass",
        (0.67, 40.0),
        3,
        "Keep the monitoring-grade ECG band (AHA recommendation)",
        360,
        8,
        100,
    ),
    FilterRow(
        "bandpass_ppg_pulse",
        "ppg",
        "ppg",
        "wrist PPG",
        "a.u.",
        "bandpass",
        (0.5, 5.0),
        3,
        "Isolate the cardiac pulse band of a PPG",
        64,
        1.5,
        12,
    ),
    FilterRow(
        "lowpass_ppg_smoothing",
        "ppg",
        "ppg",
        "finger PPG",
        "a.u.",
        "lowpass",
        (8.0,),
        4,
        "Smooth a PPG before morphology analysis",
        100,
        1.5,
        30,
    ),
    FilterRow(
        "bandpass_eeg_alpha",
        "eeg",
        "eeg",
        "EEG channel",
        "uV",
        "bandpass",
        (8.0, 13.0),
        4,
        "Extract the alpha rhythm of an EEG channel",
        256,
        10,
        30,
    ),
    FilterRow(
        "bandpass_eeg_beta",
        "eeg",
        "eeg",
        "EEG channel",
        "uV",
        "bandpass",
        (13.0, 30.0),
        4,
        "Extract the beta rhythm of an EEG channel",
        256,
        20,
        5,
    ),
    FilterRow(
        "bandpass_eeg_theta",
        "eeg",
        "eeg",
        "EEG channel",
        "uV",
        "bandpass",
        (4.0, 8.0),
        4,
        "Extract the theta rhythm of an EEG channel",
        128,
        6,
        20,
    ),
    FilterRow(
        "highpass_eeg_drift",
        "eeg",
        "eeg",
        "EEG channel",
        "uV",
        "highpass",
        (1.0,),
        2,
        "Remove electrode drift from an EEG channel",
        256,
        10,
        0.1,
    ),
    FilterRow(
        "bandpass_emg_surface",
        "emg",
        "emg",
        "surface EMG",
        "mV",
        "bandpass",
        (20.0, 450.0),
        4,
        "Keep the surface EMG band, removing motion artefacts and high-frequency noise",
        2000,
        100,
        5,
    ),
    FilterRow(
        "lowpass_emg_envelope",
        "emg",
        "rectified_emg",
        "rectified surface EMG",
        "mV",
        "lowpass",
        (6.0,),
        2,
        "Extract the linear envelope of a rectified EMG",
        1000,
        1,
        60,
    ),
    FilterRow(
        "lowpass_accel_gravity",
        "imu",
        "accel",
        "accelerometer axis",
        "m/s^2",
        "lowpass",
        (0.3,),
        3,
        "Estimate the gravity component of an accelerometer axis",
        50,
        0.05,
        3,
    ),
    FilterRow(
        "highpass_accel_body",
        "imu",
        "accel",
        "accelerometer axis",
        "m/s^2",
        "highpass",
        (0.3,),
        3,
        "Remove gravity to keep body acceleration on an accelerometer axis",
        50,
        2,
        0.03,
    ),
    FilterRow(
        "lowpass_accel_activity",
        "imu",
        "accel",
        "wrist accelerometer axis",
        "m/s^2",
        "lowpass",
        (20.0,),
        4,
        "Remove sensor noise above human movement frequencies",
        100,
        3,
        45,
    ),
    FilterRow(
        "bandpass_accel_gait",
        "imu",
        "accel",
        "waist accelerometer vertical axis",
        "m/s^2",
        "bandpass",
        (0.5, 3.0),
        4,
        "Isolate the step frequency band for gait analysis",
        50,
        2,
        10,
    ),
    FilterRow(
        "lowpass_gyro_noise",
        "imu",
        "gyro",
        "gyroscope axis",
        "rad/s",
        "lowpass",
        (15.0,),
        2,
        "Reduce gyroscope noise before integration",
        100,
        2,
        45,
    ),
    FilterRow(
        "bandpass_accel_tremor",
        "imu",
        "accel",
        "wrist accelerometer axis",
        "m/s^2",
        "bandpass",
        (3.0, 12.0),
        4,
        "Isolate the pathological tremor band (Parkinsonian and essential tremor)",
        100,
        5,
        0.5,
    ),
    FilterRow(
        "highpass_audio_rumble",
        "audio",
        "audio",
        "microphone signal",
        "full scale",
        "highpass",
        (80.0,),
        4,
        "Remove wind and handling rumble from a microphone signal",
        16000,
        1000,
        20,
    ),
    FilterRow(
        "bandpass_audio_speech",
        "audio",
        "audio",
        "microphone signal",
        "full scale",
        "bandpass",
        (300.0, 3400.0),
        4,
        "Keep the telephone speech band of a microphone signal",
        16000,
        1000,
        6000,
    ),
    FilterRow(
        "bandpass_audio_birdsong",
        "audio",
        "audio",
        "field recorder signal",
        "full scale",
        "bandpass",
        (1500.0, 8000.0),
        4,
        "Keep the band of most bird vocalisations",
        32000,
        4000,
        300,
    ),
    FilterRow(
        "bandpass_csi_breathing",
        "wifi_csi",
        "csi_amplitude",
        "WiFi CSI subcarrier amplitude",
        "a.u.",
        "bandpass",
        (0.1, 0.5),
        2,
        "Isolate breathing motion in a WiFi CSI amplitude stream",
        20,
        0.25,
        3,
    ),
    FilterRow(
        "bandpass_csi_heartbeat",
        "wifi_csi",
        "csi_phase",
        "sanitised WiFi CSI phase",
        "rad",
        "bandpass",
        (0.8, 2.0),
        3,
        "Isolate heartbeat micro-motion in a sanitised CSI phase stream",
        50,
        1.2,
        0.2,
    ),
    FilterRow(
        "lowpass_csi_motion",
        "wifi_csi",
        "csi_amplitude",
        "WiFi CSI subcarrier amplitude",
        "a.u.",
        "lowpass",
        (10.0,),
        4,
        "Remove high-frequency noise from CSI before activity recognition",
        100,
        2,
        40,
    ),
    FilterRow(
        "bandpass_radar_breathing",
        "radar",
        "radar_phase",
        "unwrapped FMCW radar phase at the target range bin",
        "rad",
        "bandpass",
        (0.1, 0.6),
        4,
        "Isolate chest breathing motion in FMCW radar phase",
        20,
        0.3,
        2,
    ),
    FilterRow(
        "bandpass_radar_heartbeat",
        "radar",
        "radar_phase",
        "unwrapped FMCW radar phase at the target range bin",
        "rad",
        "bandpass",
        (0.8, 2.5),
        4,
        "Isolate heartbeat micro-motion in FMCW radar phase",
        20,
        1.3,
        0.3,
    ),
    FilterRow(
        "bandpass_resp_belt",
        "respiration",
        "resp",
        "respiration belt signal",
        "a.u.",
        "bandpass",
        (0.1, 1.0),
        2,
        "Keep the breathing band of a respiration belt",
        25,
        0.3,
        4,
    ),
    FilterRow(
        "bandpass_vibration_bearing",
        "industrial",
        "vibration",
        "bearing accelerometer",
        "g",
        "bandpass",
        (500.0, 5000.0),
        4,
        "Keep the bearing resonance band for envelope analysis",
        20000,
        2000,
        50,
    ),
    FilterRow(
        "highpass_vibration_dc",
        "industrial",
        "vibration",
        "machine vibration accelerometer",
        "g",
        "highpass",
        (10.0,),
        2,
        "Remove DC offset and slow drift from a vibration sensor",
        5000,
        100,
        0.5,
    ),
    FilterRow(
        "lowpass_barometer_floor",
        "environmental",
        "pressure",
        "barometric pressure",
        "hPa",
        "lowpass",
        (0.2,),
        2,
        "Smooth barometer readings before floor-change detection",
        25,
        0.02,
        3,
    ),
    FilterRow(
        "bandstop_current_mains",
        "industrial",
        "current",
        "motor current clamp",
        "A",
        "bandstop",
        (45.0, 55.0),
        2,
        "Remove the 50 Hz supply component from a motor current to expose fault sidebands",
        2000,
        200,
        50,
    ),
)

_WORDS = {
    "lowpass": "low-pass",
    "highpass": "high-pass",
    "bandpass": "band-pass",
    "bandstop": "band-stop",
}


def _band(row: FilterRow) -> str:
    cuts = [f"{c:g}" for c in row.cutoff]
    if row.btype in ("bandpass", "bandstop"):
        return f"{cuts[0]}-{cuts[1]} Hz"
    return f"cut-off {cuts[0]} Hz"


def _filter_source(row: FilterRow) -> str:
    cut = f"[{row.cutoff[0]!r}, {row.cutoff[1]!r}]" if len(row.cutoff) == 2 else repr(row.cutoff[0])
    p, words = row.param, _WORDS[row.btype]
    return f'''
def {row.name}({p}: np.ndarray, fs: float) -> np.ndarray:
    """{row.purpose}.

    Method: zero-phase Butterworth {words} filter of order {row.order}, {_band(row)}
    (scipy.signal.butter as second-order sections, applied with sosfiltfilt).

    Parameters
    - {p} (np.ndarray): 1-D {row.noun} in {row.unit}, shape (n_samples,).
    - fs (float): sampling rate in Hz.

    Returns
    - filtered (np.ndarray): filtered {row.noun} in {row.unit}, shape (n_samples,).
    """
    {p} = np.asarray({p}, dtype=float)
    sos = signal.butter({row.order}, {cut}, btype="{row.btype}", fs=fs, output="sos")
    if {p}.size <= 3 * (2 * sos.shape[0] + 1):
        return {p}.copy()
    return signal.sosfiltfilt(sos, {p})


def check_{row.name}() -> None:
    fs = {row.fs!r}
    t = np.arange(int(max(40.0, 12.0 / {min(row.pass_hz, row.stop_hz)!r}) * fs)) / fs
    keep = np.sin(2 * np.pi * {row.pass_hz!r} * t)
    y = {row.name}(keep + np.sin(2 * np.pi * {row.stop_hz!r} * t), fs)
    mid = slice(t.size // 4, 3 * t.size // 4)
    assert y.shape == t.shape
    assert np.sqrt(np.mean((y[mid] - keep[mid]) ** 2)) < 0.25
    assert {row.name}(np.zeros(3), fs).shape == (3,)
'''


def filter_seeds() -> list[CgSeed]:
    seeds: list[CgSeed] = []
    for row in FILTERS:
        head = f'MODALITY = "{row.modality}"\nimport numpy as np\nfrom scipy import signal\n'
        seeds += load_seed_source(head + _filter_source(row), "families.py::FILTERS", "filters")
    return seeds


@dataclass(frozen=True)
class ApiRow:
    """A numpy/scipy function applied to one 1-D sensor array (extra arguments are literals)."""

    qualname: str  # e.g. "scipy.signal.savgol_filter"
    call: str  # the call with ``x`` as the array, e.g. "signal.savgol_filter(x, 11, 3)"
    use: str  # one line: what it is for on sensor data
    output: str  # "array" or "float"


API_ROWS: tuple[ApiRow, ...] = (
    ApiRow("numpy.median", "np.median(x)", "a robust level of a noisy sensor window", "float"),
    ApiRow("numpy.ptp", "np.ptp(x)", "the peak-to-peak amplitude of a window", "float"),
    ApiRow(
        "numpy.percentile", "np.percentile(x, 95.0)", "the 95th percentile of a window", "float"
    ),
    ApiRow("numpy.diff", "np.diff(x)", "sample-to-sample changes of a sensor stream", "array"),
    ApiRow("numpy.gradient", "np.gradient(x)", "the derivative of a sampled signal", "array"),
    ApiRow("numpy.cumsum", "np.cumsum(x)", "integrating increments of a sensor stream", "array"),
    ApiRow("numpy.unwrap", "np.unwrap(x)", "unwrapping radar or CSI phase", "array"),
    ApiRow(
        "numpy.fft.rfft", "np.abs(np.fft.rfft(x))", "the magnitude spectrum of a window", "array"
    ),
    ApiRow("numpy.hanning", "x * np.hanning(x.size)", "tapering a window before an FFT", "array"),
    ApiRow(
        "numpy.correlate",
        "np.correlate(x, x, mode='full')",
        "the autocorrelation of a window",
        "array",
    ),
    ApiRow(
        "numpy.histogram",
        "np.histogram(x, bins=10)[0]",
        "the value distribution of a window",
        "array",
    ),
    ApiRow(
        "numpy.polyfit",
        "np.polyfit(np.arange(x.size), x, 1)",
        "the linear drift of a sensor",
        "array",
    ),
    ApiRow(
        "numpy.convolve",
        "np.convolve(x, np.ones(5) / 5, mode='same')",
        "a 5-sample moving average",
        "array",
    ),
    ApiRow("numpy.argmax", "float(np.argmax(x))", "the index of the largest sample", "float"),
    ApiRow("numpy.std", "np.std(x, ddof=1)", "the sample standard deviation of a window", "float"),
    ApiRow("numpy.var", "np.var(x)", "the variance (power) of a zero-mean window", "float"),
    ApiRow("numpy.sort", "np.sort(x)", "order statistics of a window", "array"),
    ApiRow(
        "numpy.clip", "np.clip(x, -1.0, 1.0)", "limiting samples to the sensor's range", "array"
    ),
    ApiRow("numpy.round", "np.round(x, 2)", "quantising readings to two decimals", "array"),
    ApiRow(
        "numpy.nanmean", "np.nanmean(x)", "the mean of a stream with dropped samples (NaN)", "float"
    ),
    ApiRow("scipy.signal.detrend", "signal.detrend(x)", "removing linear drift", "array"),
    ApiRow("scipy.signal.hilbert", "np.abs(signal.hilbert(x))", "the amplitude envelope", "array"),
    ApiRow(
        "scipy.signal.medfilt",
        "signal.medfilt(x, 5)",
        "removing spikes with a 5-sample median",
        "array",
    ),
    ApiRow(
        "scipy.signal.savgol_filter",
        "signal.savgol_filter(x, 11, 3)",
        "smoothing with a cubic Savitzky-Golay filter",
        "array",
    ),
    ApiRow(
        "scipy.signal.find_peaks", "signal.find_peaks(x)[0]", "indices of local maxima", "array"
    ),
    ApiRow(
        "scipy.signal.periodogram",
        "signal.periodogram(x, fs=100.0)[1]",
        "the periodogram of a 100 Hz window",
        "array",
    ),
    ApiRow(
        "scipy.signal.welch",
        "signal.welch(x, fs=100.0, nperseg=min(x.size, 64))[1]",
        "a Welch PSD of a 100 Hz window",
        "array",
    ),
    ApiRow(
        "scipy.signal.decimate",
        "signal.decimate(x, 2)",
        "halving the sampling rate with anti-aliasing",
        "array",
    ),
    ApiRow(
        "scipy.signal.resample",
        "signal.resample(x, x.size // 2)",
        "Fourier resampling to half the samples",
        "array",
    ),
    ApiRow("scipy.signal.wiener", "signal.wiener(x, 5)", "adaptive noise smoothing", "array"),
    ApiRow(
        "scipy.signal.argrelextrema",
        "signal.argrelextrema(x, np.greater)[0]",
        "indices of strict local maxima",
        "array",
    ),
    ApiRow(
        "scipy.signal.correlate",
        "signal.correlate(x, x, mode='same')",
        "the correlation of a window with itself",
        "array",
    ),
    ApiRow("scipy.stats.skew", "float(stats.skew(x))", "the asymmetry of a sensor window", "float"),
    ApiRow(
        "scipy.stats.kurtosis",
        "float(stats.kurtosis(x))",
        "the impulsiveness of a vibration window",
        "float",
    ),
    ApiRow("scipy.stats.iqr", "float(stats.iqr(x))", "a robust spread of a window", "float"),
    ApiRow("scipy.stats.zscore", "stats.zscore(x)", "standardising a window", "array"),
    ApiRow(
        "scipy.stats.median_abs_deviation",
        "float(stats.median_abs_deviation(x))",
        "a robust noise level",
        "float",
    ),
    ApiRow(
        "scipy.stats.entropy",
        "float(stats.entropy(np.histogram(x, bins=16)[0] + 1))",
        "the Shannon entropy of the value histogram",
        "float",
    ),
    ApiRow(
        "scipy.stats.linregress",
        "float(stats.linregress(np.arange(x.size), x).slope)",
        "the trend slope of a sensor per sample",
        "float",
    ),
    ApiRow(
        "scipy.integrate.cumulative_trapezoid",
        "integrate.cumulative_trapezoid(x, dx=0.01, initial=0.0)",
        "integrating a 100 Hz acceleration to velocity",
        "array",
    ),
    ApiRow(
        "scipy.integrate.trapezoid",
        "float(integrate.trapezoid(x, dx=0.01))",
        "the area under a 100 Hz signal",
        "float",
    ),
    ApiRow(
        "scipy.ndimage.uniform_filter1d",
        "ndimage.uniform_filter1d(x, 7)",
        "a 7-sample moving average",
        "array",
    ),
    ApiRow(
        "scipy.ndimage.maximum_filter1d",
        "ndimage.maximum_filter1d(x, 7)",
        "a running maximum over 7 samples",
        "array",
    ),
    ApiRow(
        "scipy.fft.dct",
        "fft.dct(x, norm='ortho')",
        "DCT coefficients for compression on a node",
        "array",
    ),
    ApiRow(
        "scipy.interpolate.interp1d",
        "interpolate.interp1d(np.arange(x.size), x)(np.arange(x.size - 1) + 0.5)",
        "values between samples by linear interpolation",
        "array",
    ),
)

_IMPORTS = {
    "signal": "from scipy import signal",
    "stats": "from scipy import stats",
    "integrate": "from scipy import integrate",
    "ndimage": "from scipy import ndimage",
    "fft": "from scipy import fft",
    "interpolate": "from scipy import interpolate",
}


def api_summary(qualname: str) -> str:
    """The first paragraph of the installed function's docstring, on one line."""
    module_name, _, attr = qualname.rpartition(".")
    obj = getattr(import_module(module_name), attr)
    doc = inspect.getdoc(obj) or ""
    paragraph = doc.strip().split("\n\n")[0]
    return " ".join(paragraph.split()).rstrip(".") + "."


def api_note(qualname: str) -> str:
    """The API reference line as the runtime's retriever renders it (``Snippet.render``)."""
    return f"[api/{qualname}] {qualname}: {api_summary(qualname)}"


def _api_name(row: ApiRow) -> str:
    """``apply_<function>``, with the module's last part when two modules share the name."""
    short = row.qualname.rsplit(".", 1)[1]
    shared = sum(1 for r in API_ROWS if r.qualname.rsplit(".", 1)[1] == short) > 1
    module = row.qualname.rsplit(".", 2)[-2]
    return (f"apply_{module}_{short}" if shared else f"apply_{short}").lower()


def _api_source(row: ApiRow) -> str:
    name = _api_name(row)
    summary = re.sub(r"`", "", api_summary(row.qualname))
    ret = "np.ndarray" if row.output == "array" else "float"
    out = (
        "result (np.ndarray): the computed array"
        if row.output == "array"
        else "result (float): the computed value"
    )
    conv = "np.asarray({c}, dtype=float)" if row.output == "array" else "float({c})"
    return f'''
def {name}(x: np.ndarray) -> {ret}:
    """Compute {row.use} with {row.qualname}.

    Method: {row.qualname}: {summary}

    Parameters
    - x (np.ndarray): 1-D sensor samples, shape (n_samples,).

    Returns
    - {out}.
    """
    x = np.asarray(x, dtype=float)
    return {conv.format(c=row.call)}


def check_{name}() -> None:
    x = np.sin(np.linspace(0.0, 12.0, 200)) + np.linspace(0.0, 1.0, 200)
    got = {name}(x)
    want = {conv.format(c=row.call)}
    assert np.allclose(got, want, equal_nan=True)
    assert np.shape(got) == np.shape(want)
'''


def api_seeds() -> list[CgSeed]:
    """D2 (module description): a documented use of each API function, described from its
    installed docstring; the record's API reference note carries the same description."""
    seeds: list[CgSeed] = []
    for row in API_ROWS:
        imports = ["import numpy as np"] + [
            line for alias, line in _IMPORTS.items() if re.search(rf"\b{alias}\.", row.call)
        ]
        head = 'MODALITY = "generic"\nSUBSET = "D2"\n' + "\n".join(imports) + "\n"
        seeds += load_seed_source(head + _api_source(row), "families.py::API_ROWS", "api")
    return seeds
