"""Deterministic synthesis of plausible call arguments from a spec's inputs, for a smoke run.

This module needs only numpy and the standard library: the sandbox's child process loads it by
file path, where neither gpiot nor tree-sitter may be importable.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


class NotSynthesisable(Exception):
    """An input needs external data (a file, a URL, a model, …) that cannot be made up."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ParamLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def description(self) -> str: ...


class SpecLike(Protocol):
    @property
    def function(self) -> str: ...
    @property
    def inputs(self) -> Sequence[ParamLike]: ...


@dataclass(frozen=True)
class SimpleParam:
    """A stand-in for ``gpiot.pipeline.spec.Param`` where gpiot cannot be imported."""

    name: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class SimpleSpec:
    function: str
    inputs: tuple[SimpleParam, ...]


_WORD: Final = re.compile(r"[a-z]+|\d+")
_HZ: Final = re.compile(r"(\d+(?:\.\d+)?)\s*(k?)hz\b", re.IGNORECASE)
_EXAMPLE: Final = re.compile(
    r"(?:e\.g\.|default(?:s)?(?:\s+(?:is|of|to))?|such as|typically|for example|usually)"
    r"\s*[:=]?\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)",
    re.IGNORECASE,
)
_SHAPE: Final = re.compile(r"\(\s*([A-Za-z_0-9]+\s*,(?:\s*[A-Za-z_0-9]+\s*,?)*)\s*\)")
_DIM: Final = re.compile(
    r"\d+|[A-Za-z]|n_\w+|num_\w+|\w*(sample|len|size|channel|ax|dim|feature|window|frame)\w*",
    re.IGNORECASE,
)
_QUOTED: Final = re.compile(r"""['"`]([A-Za-z_][\w\- ]{0,30})['"`]""")
_EXTERNAL_WORDS: Final = frozenset(
    {
        "path",
        "paths",
        "file",
        "files",
        "filename",
        "filenames",
        "filepath",
        "fname",
        "dir",
        "dirs",
        "directory",
        "directories",
        "folder",
        "folders",
        "url",
        "urls",
        "uri",
    }
)
_PATH_TYPE: Final = re.compile(r"path|\bio\b|textio|binaryio|\bfile", re.IGNORECASE)
_OPAQUE_TYPES: Final = re.compile(
    r"callable|model|dataframe|series|tensor|module|connection|socket|image|figure|axes|"
    r"estimator|classifier|pipeline|session|client",
    re.IGNORECASE,
)
_RATE_IN_TEXT: Final = re.compile(
    r"(?:\bat|sampling (?:rate|frequency)(?: of| is|:)?|fs\s*=|@)\s*"
    r"(\d+(?:\.\d+)?)\s*(k?)hz\b",
    re.IGNORECASE,
)
_RATE_NAMES: Final = frozenset(
    {
        "fs",
        "sr",
        "sampling_rate",
        "sample_rate",
        "samplerate",
        "sampling_freq",
        "sampling_frequency",
        "sample_freq",
        "sample_frequency",
        "srate",
        "fs_hz",
        "rate",
        "sampling_hz",
        "freq_sampling",
    }
)
_RATE_PHRASES: Final = ("sampling rate", "sample rate", "sampling frequency", "samples per second")
_ECG: Final = frozenset({"ecg", "ekg", "lead", "qrs"})
_PPG: Final = frozenset({"ppg", "bvp", "pulse", "pleth", "photoplethysmogram"})
_EEG: Final = frozenset({"eeg", "eog"})
_EMG: Final = frozenset({"emg"})
_AUDIO: Final = frozenset({"audio", "wav", "waveform", "speech", "sound", "mic", "microphone"})
_IMU: Final = frozenset(
    {
        "imu",
        "acc",
        "accel",
        "accelerometer",
        "acceleration",
        "gyro",
        "gyroscope",
        "mag",
        "magnetometer",
    }
)
_SIGNALS: Final = frozenset(
    {
        "signal",
        "sig",
        "x",
        "data",
        "samples",
        "series",
        "timeseries",
        "raw",
        "trace",
        "values",
        "measurements",
        "readings",
        "sensor",
        "y_raw",
        "input",
        "channel",
        "respiration",
        "resp",
        "temperature",
        "voltage",
        "current",
        "pressure",
        "rssi",
        "csi",
    }
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _base_type(type_text: str) -> str:
    """Lower-case type text without ``Optional[...]``, ``| None`` and module prefixes.

    Of a union (``int | float``, ``float or int``) the first member is kept.
    """
    text = type_text.strip().lower()
    text = re.sub(r"^(typing\.)?optional\[(.*)\]$", r"\2", text)
    parts = [p.strip() for p in re.split(r"\||\s+or\s+", text)]
    parts = [p for p in parts if p and p != "none"]
    text = (parts[0] if parts else text).replace(" ", "")
    return re.sub(r"^(numpy|np|typing|builtins|npt)\.", "", text)


@dataclass
class _Context:
    rate: float
    n: int
    rng: np.random.Generator
    kinds: set[str]


def _needs_external_data(param: ParamLike) -> str | None:
    base = _base_type(param.type)
    if _PATH_TYPE.search(param.type):
        return f"`{param.name}` is a `{param.type}`, which needs an existing file or directory"
    if _OPAQUE_TYPES.search(base):
        return f"`{param.name}` is a `{param.type}`, which cannot be made up for a smoke run"
    if base in ("str", "string", "bytes", "") or "str" in base:
        name_words = set(param.name.lower().split("_"))
        if name_words & _EXTERNAL_WORDS or re.search(r"(path|file|dir|url)$", param.name.lower()):
            return f"`{param.name}` names a file, directory or URL"
        if set(_words(param.description)) & _EXTERNAL_WORDS:
            return f"`{param.name}` is described as a file, directory or URL"
    return None


def _hz_in(text: str, pattern: re.Pattern[str] = _HZ) -> float | None:
    match = pattern.search(text)
    if not match:
        return None
    value = float(match.group(1)) * (1000.0 if match.group(2) else 1.0)
    return value if value > 0 else None


def _is_rate(param: ParamLike) -> bool:
    name = param.name.lower()
    description = param.description.lower()
    if name in _RATE_NAMES or "sampling" in name or "sample_rate" in name:
        return True
    lead = description.removeprefix("the ").lstrip()
    return lead.startswith(_RATE_PHRASES) and _base_type(param.type) in ("float", "int", "")


def _signal_kind(param: ParamLike) -> str | None:
    """ "ecg", "ppg", "eeg", "emg", "audio", "imu" or "signal" for a signal-like input."""
    words = set(_words(param.name)) | set(_words(param.description))
    name_words = set(_words(param.name))
    for kind, vocabulary in (
        ("ecg", _ECG),
        ("ppg", _PPG),
        ("eeg", _EEG),
        ("emg", _EMG),
        ("audio", _AUDIO),
        ("imu", _IMU),
    ):
        if name_words & vocabulary:
            return kind
    for kind, vocabulary in (
        ("ecg", _ECG),
        ("ppg", _PPG),
        ("eeg", _EEG),
        ("emg", _EMG),
        ("audio", _AUDIO),
        ("imu", _IMU),
    ):
        if words & vocabulary:
            return kind
    if name_words & _SIGNALS or "signal" in words:
        return "signal"
    return None


_DEFAULT_RATES: Final = {
    "audio": 16000.0,
    "ecg": 250.0,
    "eeg": 256.0,
    "emg": 1000.0,
    "ppg": 100.0,
    "imu": 100.0,
}
_DURATIONS: Final = {"audio": 1.0, "emg": 5.0}


def _context(spec: SpecLike, seed: int) -> _Context:
    kinds = {k for k in (_signal_kind(p) for p in spec.inputs) if k}
    rate: float | None = None
    for param in spec.inputs:
        if _is_rate(param):
            rate = _hz_in(param.description) or _example(param.description)
            break
    if rate is None:
        for param in spec.inputs:
            if _signal_kind(param):
                rate = _hz_in(param.description, _RATE_IN_TEXT)
                if rate:
                    break
    if rate is None:
        rate = next((_DEFAULT_RATES[k] for k in _DEFAULT_RATES if k in kinds), 100.0)
    duration = next((_DURATIONS[k] for k in _DURATIONS if k in kinds), 10.0)
    n = max(64, min(int(rate * duration), 200_000))
    return _Context(rate=rate, n=n, rng=np.random.default_rng(seed), kinds=kinds)


def _example(text: str) -> float | None:
    match = _EXAMPLE.search(text)
    return float(match.group(1)) if match else None


# --------------------------------------------------------------------------- signals


def _ecg(ctx: _Context, n: int) -> FloatArray:
    t = np.arange(n) / ctx.rate
    beats = np.cumsum(ctx.rng.normal(1 / 1.2, 0.03, size=int(t[-1] * 1.2) + 3))
    out = np.zeros(n)
    for beat in beats:
        for offset, width, height in ((-0.2, 0.025, 0.12), (0.0, 0.01, 1.1), (0.3, 0.04, 0.3)):
            out += height * np.exp(-(((t - beat - offset) / width) ** 2))
        out -= 0.15 * np.exp(-(((t - beat - 0.03) / 0.01) ** 2))
    wander = 0.05 * np.sin(2 * math.pi * 0.3 * t)
    return out + wander + ctx.rng.normal(0, 0.02, n)


def _ppg(ctx: _Context, n: int) -> FloatArray:
    t = np.arange(n) / ctx.rate
    phase = 2 * math.pi * 1.2 * t
    pulse = np.sin(phase) + 0.4 * np.sin(2 * phase - 0.8) + 0.1 * np.sin(3 * phase)
    return pulse + 0.1 * np.sin(2 * math.pi * 0.25 * t) + ctx.rng.normal(0, 0.03, n)


def _oscillation(
    ctx: _Context, n: int, freqs: Iterable[tuple[float, float]], noise: float
) -> FloatArray:
    t = np.arange(n) / ctx.rate
    out = ctx.rng.normal(0, noise, n)
    for freq, amplitude in freqs:
        out += amplitude * np.sin(2 * math.pi * freq * t + ctx.rng.uniform(0, 2 * math.pi))
    return out


def _imu(ctx: _Context, n: int, axes: int, gyro: bool) -> FloatArray:
    t = np.arange(n) / ctx.rate
    columns = []
    for axis in range(axes):
        amplitude = 0.5 if gyro else 2.0
        wave = amplitude * np.sin(2 * math.pi * 1.8 * t + axis) + ctx.rng.normal(0, 0.1, n)
        if not gyro and axis % 3 == 2:
            wave += 9.81
        columns.append(wave)
    return np.stack(columns, axis=1)


def _signal(ctx: _Context, kind: str, n: int) -> FloatArray:
    if kind == "ecg":
        return _ecg(ctx, n)
    if kind == "ppg":
        return _ppg(ctx, n)
    if kind == "eeg":
        return _oscillation(ctx, n, ((10.0, 20.0), (4.0, 10.0), (20.0, 5.0)), 5.0)
    if kind == "emg":
        bursts: FloatArray = 1 + np.sin(2 * math.pi * 0.5 * np.arange(n) / ctx.rate)
        emg: FloatArray = ctx.rng.normal(0, 0.1, n) * bursts
        return emg
    if kind == "audio":
        nyquist = ctx.rate / 2
        tones = ((min(440.0, nyquist * 0.5), 0.3), (min(880.0, nyquist * 0.7), 0.1))
        return _oscillation(ctx, n, tones, 0.02)
    return _oscillation(ctx, n, ((1.0, 1.0), (min(5.0, ctx.rate * 0.2), 0.3)), 0.05)


# --------------------------------------------------------------------------- shapes


def _declared_shape(param: ParamLike, ctx: _Context) -> tuple[int, ...] | None:
    text = param.description + " " + param.type
    match = _SHAPE.search(text)
    if not match:
        return None
    dims = [d.strip() for d in match.group(1).split(",") if d.strip()]
    if not dims or len(dims) > 4:
        return None
    if "shape" not in text.lower() and not all(_DIM.fullmatch(d) for d in dims):
        return None
    return tuple(_dimension(dim, index, ctx) for index, dim in enumerate(dims))


def _dimension(dim: str, index: int, ctx: _Context) -> int:
    if dim.isdigit():
        return max(1, min(int(dim), 4096))
    words = set(_words(dim))
    if words & {"channel", "channels", "ch", "axis", "axes", "leads", "sensors"}:
        return 3
    if words & {"feature", "features", "dim", "dims", "d"}:
        return 8
    if words & {"class", "classes", "k", "clusters"}:
        return 3
    if words & {"freq", "freqs", "bins", "mels", "mfcc", "coefficients"}:
        return 40
    if words & {"h", "w", "height", "width", "rows", "cols", "pixels"}:
        return 32
    if words & {"size", "len", "length"} and words & {"window", "win", "frame", "segment", "epoch"}:
        return 50
    if words & {"windows", "frames", "segments", "epochs", "beats", "trials", "batch", "m"}:
        return 20
    if words & {"samples", "sample", "time", "t", "timesteps", "points", "length", "len"}:
        return ctx.n
    return ctx.n if index == 0 else 4


def _has_axes(param: ParamLike) -> int | None:
    text = f"{param.name} {param.description}".lower()
    match = re.search(r"(\d)\s*-?\s*(?:axis|axes|channel)", text)
    if match and int(match.group(1)) >= 2:
        return int(match.group(1))
    if re.search(r"tri-?axial|x,\s*y,\s*z", text):
        return 3
    return None


# --------------------------------------------------------------------------- arrays


def _array(param: ParamLike, ctx: _Context) -> npt.NDArray[Any]:
    name_words = set(_words(param.name))
    words = name_words | set(_words(param.description))
    kind = _signal_kind(param)
    shape = _declared_shape(param, ctx)
    axes = _has_axes(param)
    if shape is None and (kind == "imu" or axes):
        shape = (ctx.n, axes or 3)
    n = shape[0] if shape else ctx.n

    if name_words & {"t", "time", "times", "timestamps", "timestamp", "ts"}:
        return np.arange(n) / ctx.rate
    if name_words & {"peaks", "peak", "indices", "idx", "locs", "onsets", "beats"} or (
        "peaks" in param.name.lower()
    ):
        step = max(1, int(ctx.rate / 1.2))
        return np.arange(step // 2, ctx.n, step, dtype=np.int64)
    if name_words & {"rr", "ibi", "nn", "intervals", "interval", "rri"}:
        rr = ctx.rng.normal(0.83, 0.04, 60)
        return rr * 1000.0 if words & {"ms", "milliseconds"} else rr
    label_words = {"labels", "label", "targets", "target", "classes", "class", "activity"}
    if name_words & label_words or (param.name.lower() == "y" and words & label_words):
        return ctx.rng.integers(0, 3, size=n)
    if name_words & {"mask", "valid"}:
        return ctx.rng.random(n) > 0.1
    if name_words & {"image", "img", "frame", "picture"}:
        return ctx.rng.random(shape or (32, 32))
    if name_words & {"spectrum", "psd", "spectrogram", "power", "magnitude"}:
        return np.abs(ctx.rng.normal(1.0, 0.3, size=shape or (n,)))
    if name_words & {"b", "a", "coefficients", "coeffs", "taps", "kernel", "weights"} and not kind:
        return np.array([0.2, 0.2, 0.2, 0.2, 0.2])

    if shape is not None and len(shape) == 2 and ctx.n in shape and min(shape) <= 64:
        columns = min(shape)
        if kind == "imu" or axes:
            block = _imu(ctx, ctx.n, columns, gyro="gyro" in words or "gyroscope" in words)
        else:
            block = np.stack([_signal(ctx, kind or "signal", ctx.n) for _ in range(columns)], 1)
        return block if shape[0] == ctx.n else block.T
    if shape is not None and len(shape) != 1:
        return ctx.rng.normal(0.0, 1.0, size=shape)
    return _signal(ctx, kind or "signal", n)


# --------------------------------------------------------------------------- scalars

_INT_RULES: Final[tuple[tuple[frozenset[str], int], ...]] = (
    (frozenset({"order", "filter_order"}), 4),
    (frozenset({"nfft", "n_fft", "fft"}), 256),
    (frozenset({"hop", "hop_length", "step", "stride", "noverlap", "overlap", "shift"}), 25),
    (frozenset({"window", "win", "nperseg", "frame", "segment", "kernel", "width"}), 50),
    (frozenset({"k", "neighbors", "neighbours"}), 5),
    (frozenset({"clusters", "classes", "n_clusters", "n_classes", "states"}), 3),
    (frozenset({"components", "n_components", "pca"}), 2),
    (frozenset({"mels", "n_mels"}), 40),
    (frozenset({"mfcc", "n_mfcc"}), 13),
    (frozenset({"lag", "lags", "delay", "max_lag"}), 10),
    (frozenset({"degree", "deg", "polyorder", "poly"}), 3),
    (frozenset({"epochs", "iterations", "iter", "max_iter"}), 5),
    (frozenset({"batch", "batch_size"}), 16),
    (frozenset({"seed", "random_state"}), 0),
    (frozenset({"axis", "dim", "channel", "column", "col"}), 0),
    (frozenset({"bits", "resolution"}), 8),
    (frozenset({"levels", "level", "bins", "n_bins"}), 10),
)
_FLOAT_RULES: Final[tuple[tuple[frozenset[str], float], ...]] = (
    (frozenset({"threshold", "thresh", "thr", "height", "prominence", "min_height"}), 0.5),
    (frozenset({"lowcut", "low", "fmin", "f_low", "flow", "highpass", "hp", "lo"}), 0.5),
    (frozenset({"highcut", "high", "fmax", "f_high", "fhigh", "lowpass", "lp", "hi"}), 40.0),
    (frozenset({"notch", "mains", "powerline", "f0", "line"}), 50.0),
    (frozenset({"cutoff", "fc", "corner", "freq", "frequency", "hz"}), 5.0),
    (frozenset({"q", "quality"}), 30.0),
    (frozenset({"overlap", "fraction", "ratio", "p", "prob", "probability", "confidence"}), 0.5),
    (frozenset({"percentile", "quantile_pct"}), 95.0),
    (frozenset({"quantile"}), 0.95),
    (frozenset({"alpha", "beta", "gamma", "lr", "learning_rate", "smoothing", "momentum"}), 0.1),
    (frozenset({"tol", "tolerance", "eps", "epsilon"}), 1e-3),
    (frozenset({"snr", "snr_db", "db"}), 10.0),
    (frozenset({"noise", "noise_std", "noise_level"}), 0.1),
    (frozenset({"sigma", "std", "scale", "gain", "weight"}), 1.0),
    (
        frozenset({"window", "win", "duration", "seconds", "sec", "s", "length", "segment"}),
        2.0,
    ),
    (frozenset({"distance", "refractory", "min_distance", "period", "delay"}), 0.25),
)


def _rule(rules: Sequence[tuple[frozenset[str], Any]], param: ParamLike) -> Any:
    name = param.name.lower()
    words = set(name.split("_")) | {name}
    for vocabulary, value in rules:
        if words & vocabulary:
            return value
    return None


def _int(param: ParamLike, ctx: _Context) -> int:
    example = _example(param.description)
    if example is not None:
        return int(example)
    if _is_rate(param):
        return int(ctx.rate)
    name_words = set(param.name.lower().split("_"))
    if name_words & {"distance", "refractory", "min_distance"}:
        return max(1, int(0.3 * ctx.rate))
    in_seconds = "second" in param.description.lower()
    if in_seconds and name_words & {"window", "win", "duration", "segment", "frame", "length"}:
        return 2
    value = _rule(_INT_RULES, param)
    if value is not None:
        return int(value)
    if name_words & {"n", "num", "count", "number", "size", "len", "length"}:
        return 5
    return 10


def _float(param: ParamLike, ctx: _Context) -> float:
    example = _example(param.description)
    if example is not None:
        return example
    if _is_rate(param):
        return float(ctx.rate)
    hz = _hz_in(param.description)
    value = _rule(_FLOAT_RULES, param)
    if value is None and hz is not None:
        value = hz
    if value is None:
        value = 5.0 if "hz" in param.description.lower() else 1.0
    value = float(value)
    name = param.name.lower()
    frequency_like = "hz" in param.description.lower() or any(
        w in name for w in ("cut", "freq", "low", "high", "notch", "f0", "fc")
    )
    if frequency_like and value >= ctx.rate / 2:
        value = round(ctx.rate * 0.4, 3)
    return value


def _string_value(param: ParamLike) -> str:
    quoted = _QUOTED.findall(param.description)
    if quoted:
        return str(quoted[0])
    words = set(param.name.lower().split("_"))
    if words & {"unit", "units"}:
        return "mV"
    if words & {"method", "mode", "kind", "type", "algorithm", "btype"}:
        return "default"
    if words & {"label", "name", "activity", "class"}:
        return "walking"
    return "test"


# --------------------------------------------------------------------------- dispatch


def _split_args(inner: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in inner:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += char in "[("
        depth -= char in "])"
        current += char
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts]


def _value(param: ParamLike, type_text: str, ctx: _Context) -> Any:
    base = _base_type(type_text)
    words = set(param.name.lower().split("_"))
    if base in ("bool", "boolean"):
        side_effects = {"plot", "show", "verbose", "debug", "save", "draw", "display", "print"}
        return not (words & side_effects or param.name.lower().startswith("return_"))
    if base in ("int", "integer", "int64", "int32", "uint8"):
        return _int(param, ctx)
    if base in ("float", "float64", "float32", "number", "real", "int|float", "float|int"):
        return _float(param, ctx)
    if base == "complex":
        return complex(_float(param, ctx), 0.0)
    if base in ("str", "string"):
        return _string_value(param)
    if base == "bytes":
        return bytes(range(16))
    if base.startswith(("dict", "mapping")):
        return {}
    if base.startswith(("list[", "tuple[", "sequence[", "iterable[")) or base in (
        "list",
        "tuple",
        "sequence",
    ):
        return _sequence(param, base, ctx)
    if "ndarray" in base or "array" in base or "matrix" in base:
        return _array(param, ctx)
    if _signal_kind(param):
        return _array(param, ctx)
    raise NotSynthesisable(f"cannot make up a value of type `{param.type}` for `{param.name}`")


def _sequence(param: ParamLike, base: str, ctx: _Context) -> Any:
    as_tuple = base.startswith("tuple")
    inner = base[base.index("[") + 1 : -1] if "[" in base else ""
    elements = [e for e in _split_args(inner) if e != "..."]
    values: list[Any]
    if as_tuple and len(elements) > 1:  # tuple[float, float]: a (low, high) band, …
        values = [_value(param, e, ctx) for e in elements]
        if len(values) == 2 and all(isinstance(v, float) for v in values):
            values = [0.5, min(40.0, round(ctx.rate * 0.4, 3))]
        return tuple(values)
    element = elements[0] if elements else "float"
    if "ndarray" in element or "array" in element:
        values = [_array(param, ctx) for _ in range(3)]
    elif element.startswith(("list", "tuple")):  # rows of numbers
        values = [[round(float(v), 4) for v in row] for row in ctx.rng.normal(size=(20, 3))]
    elif element in ("float", "int") and (array := _array(param, ctx)).ndim == 1:
        values = array.astype(float if element == "float" else int).tolist()
    elif element == "int":
        values = [1, 2, 3, 4, 5]
    elif element == "str":
        values = ["walking", "sitting", "standing"]
    else:
        values = [0.1, 0.5, 1.0, 1.5, 2.0]
    return tuple(values) if as_tuple else values


def synthesise_args(spec: SpecLike, *, seed: int | None = None) -> dict[str, Any]:
    """Plausible arguments for ``spec.function`` keyed by input name, in the spec's order.

    The same spec always gives the same values (the seed defaults to a hash of the function name).
    Raises :class:`NotSynthesisable` when an input needs external data.
    """
    for param in spec.inputs:
        reason = _needs_external_data(param)
        if reason:
            raise NotSynthesisable(reason)
    ctx = _context(spec, zlib.crc32(spec.function.encode()) if seed is None else seed)
    return {param.name: _value(param, param.type, ctx) for param in spec.inputs}


def spec_from_dict(data: dict[str, Any]) -> SimpleSpec:
    """A :class:`SimpleSpec` from ``Spec.to_dict()``-shaped data."""
    inputs = tuple(
        SimpleParam(str(p["name"]), str(p["type"]), str(p.get("description", "")))
        for p in data.get("inputs", [])
    )
    return SimpleSpec(str(data["function"]), inputs)
