"""IoT-oriented augmentation along the paper's three axes, by rules and templates.

- sensor modality: TD seeds of a source modality are rewritten for another sensor with curated
  phrase substitutions (method parameters included); generic CG seeds are re-targeted to a sensor
  (names, docstring and spec together);
- data representation: TD seeds get another input format (statement's input clause and the
  loading sub-task together); CG seeds take a Python list instead of an array;
- resource constraints: a device budget is added to the statement and turned into a concrete step
  of the heaviest sub-task (TD), or into float32 computation stated in the spec (CG).

Each rule returns None where it does not apply, and states what must hold afterwards
(``consistency_problems``); the builder also runs the well-formedness checks and, for CG, the
seed's check in the sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from gpiot.datasets.cgseeds import CgSeed, all_identifiers, with_renames
from gpiot.datasets.tdseeds import TdSeed
from gpiot.pipeline.decomposition import SubTask

# -- TD: data representation ---------------------------------------------------------------------


@dataclass(frozen=True)
class Representation:
    key: str
    marker: str  # must appear in the statement and in the loading sub-task
    input: str  # {signal} and {unit} are filled from the seed
    name: str
    steps: tuple[str, ...]


REPRESENTATIONS: tuple[Representation, ...] = (
    Representation(
        "csv",
        "CSV",
        "a CSV file with a time column in seconds and a {signal} column in {unit}",
        "Load the {signal} from CSV",
        (
            "Read the CSV with numpy.genfromtxt (delimiter ',', names=True)",
            "Take the {signal} column as a 1-D float array in {unit}",
            "Sampling rate fs = 1 / median(np.diff(time)) in Hz",
        ),
    ),
    Representation(
        "adc_int16",
        "int16",
        "a binary file of little-endian int16 ADC counts of the {signal} and the gain in {unit} "
        "per count",
        "Load the raw int16 {signal}",
        (
            "Read the samples with numpy.fromfile(path, dtype='<i2')",
            "Convert counts to {unit}: counts.astype(float) * gain",
        ),
    ),
    Representation(
        "packets",
        "packets",
        "a list of BLE packets, each a dict with a timestamp in ms and a list of {signal} "
        "samples in {unit}",
        "Load the {signal} packets",
        (
            "Sort the packets by timestamp and concatenate their samples",
            "Mark samples of dropped packets (timestamp gaps) as NaN",
            "Fill NaN gaps by linear interpolation with numpy.interp",
        ),
    ),
    Representation(
        "windows",
        "windows",
        "a 2-D array of consecutive non-overlapping {signal} windows in {unit}, shape "
        "(n_windows, window_samples)",
        "Load the {signal} windows",
        ("Flatten the windows in order into one 1-D array with reshape(-1)",),
    ),
)


def _keeps(step: str) -> bool:
    """Steps of the original loading sub-task that carry facts (rates, durations) to keep."""
    return bool(re.search(r"\bHz\b|\bperiod\b|\bminutes?\b|\bPad or trim\b", step))


def td_representation(seed: TdSeed, rep: Representation) -> TdSeed | None:
    """The same application with its input in another representation."""
    if "1-D array" not in seed.input or (rep.key == "windows" and "audio" in seed.modality):
        return None
    fill = {"signal": seed.signal, "unit": seed.unit}
    steps = tuple(s.format(**fill) for s in rep.steps)
    steps += tuple(s for s in seed.subtasks[0].steps if _keeps(s))
    load = SubTask(rep.name.format(**fill), steps[:4])
    return replace(
        seed,
        id=f"{seed.id}+rep:{rep.key}",
        input=rep.input.format(**fill),
        subtasks=(load, *seed.subtasks[1:]),
    )


# -- TD: resource constraints --------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    key: str
    marker: str  # must appear in the statement and in one sub-task's steps
    sentence: str
    step: str


BUDGETS: tuple[Budget, ...] = (
    Budget(
        "cortex_m4",
        "256 KB",
        "It must run on a Cortex-M4 microcontroller with 256 KB of RAM.",
        "Fit 256 KB RAM: float32 arrays, fixed-size windows, no full-length copies",
    ),
    Budget(
        "esp32",
        "520 KB",
        "It must run on an ESP32 with 520 KB of SRAM and finish each window within 100 ms.",
        "Fit the ESP32's 520 KB SRAM: process one window at a time in float32",
    ),
    Budget(
        "rpi_zero",
        "Raspberry Pi Zero",
        "It must keep up in real time on a Raspberry Pi Zero (one 1 GHz core, 512 MB RAM).",
        "Real time on a Raspberry Pi Zero: vectorised numpy, causal filtering with sosfilt state",
    ),
    Budget(
        "coin_cell",
        "coin-cell",
        "The node runs from a coin-cell battery, so computation must be minimal.",
        "For the coin-cell budget: decimate to the lowest adequate rate and use integer math",
    ),
)
_HEAVY = re.compile(
    r"filter|FFT|PSD|Welch|spectr|STFT|classif|PCA|Madgwick|integrat|MFCC|mel|DCT|CFAR",
    re.IGNORECASE,
)


def td_budget(seed: TdSeed, budget: Budget) -> TdSeed | None:
    """The application under a device budget: one more sentence, one more concrete step."""
    candidates = [
        i
        for i, t in enumerate(seed.subtasks)
        if i > 0 and len(t.steps) < 4 and _HEAVY.search(" ".join([t.name, *t.steps]))
    ]
    if not candidates:
        return None
    i = candidates[0]
    task = seed.subtasks[i]
    tasks = list(seed.subtasks)
    tasks[i] = SubTask(task.name, (*task.steps, budget.step))
    return replace(
        seed,
        id=f"{seed.id}+res:{budget.key}",
        body=f"{seed.body} {budget.sentence}",
        subtasks=tuple(tasks),
    )


# -- TD: sensor modality -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModalitySwap:
    key: str
    source_app: str  # seed ids starting with this (the method must transfer)
    modality: str
    signal: str
    unit: str
    replacements: tuple[tuple[str, str], ...]  # applied in order to statement and every step
    forbidden: tuple[str, ...]  # words of the source modality that must not remain


SWAPS: tuple[ModalitySwap, ...] = (
    ModalitySwap(
        "ecg_to_ppg",
        "ecg_hr.",
        "ppg",
        "PPG",
        "a.u.",
        (
            ("single-lead ECG sampled at 360 Hz", "wrist PPG sampled at 64 Hz"),
            ("single-lead ECG sampled at 250 Hz", "wrist PPG sampled at 25 Hz"),
            ("single-lead ECG sampled at 500 Hz", "finger PPG sampled at 100 Hz"),
            ("360 Hz", "64 Hz"),
            ("250 Hz", "25 Hz"),
            ("500 Hz", "100 Hz"),
            ("Filter the ECG for QRS", "Filter the PPG pulse band"),
            ("band-pass 5-15 Hz, order 2", "band-pass 0.5-4 Hz, order 2"),
            ("Detect R-peaks", "Detect systolic peaks"),
            (
                "Pan-Tompkins: derivative, squaring, 150 ms moving-window integration",
                "scipy.signal.find_peaks on the filtered PPG",
            ),
            ("0.25 s (0.25 * fs samples) above 30 % of the maximum", "0.33 s (0.33 * fs samples)"),
            ("R-R intervals", "Inter-beat intervals"),
            ("R-R interval", "inter-beat interval"),
            ("r_peaks", "peaks"),
            ("ECG array in mV", "PPG array in arbitrary units"),
            ("ECG in millivolts", "PPG in arbitrary units"),
            ("ECG", "PPG"),
        ),
        ("ECG", "R-peak", "Pan-Tompkins", "QRS", "mV", "R-R"),
    ),
    ModalitySwap(
        "ppg_to_ecg",
        "ppg_hr.",
        "ecg",
        "ECG",
        "mV",
        (
            ("25 Hz wrist PPG", "250 Hz chest-strap ECG"),
            ("64 Hz wrist PPG", "256 Hz chest-strap ECG"),
            ("100 Hz finger PPG", "500 Hz chest-strap ECG"),
            ("25 Hz", "250 Hz"),
            ("64 Hz", "256 Hz"),
            ("100 Hz", "500 Hz"),
            ("Band-pass filter the PPG", "Band-pass filter the ECG"),
            ("band-pass 0.5-4 Hz", "band-pass 5-15 Hz"),
            ("Detect systolic peaks", "Detect R-peaks"),
            ("minimum distance of 0.3 s", "minimum distance of 0.25 s"),
            ("PPG array", "ECG array in mV"),
            ("PPG in arbitrary units", "ECG in millivolts"),
            ("PPG", "ECG"),
        ),
        ("PPG", "systolic", "arbitrary units"),
    ),
    ModalitySwap(
        "accel_to_gyro",
        "imu_steps.",
        "imu",
        "gyroscope",
        "rad/s",
        (
            ("tri-axial accelerometer", "tri-axial gyroscope"),
            ("Load the accelerometer data", "Load the gyroscope data"),
            ("acceleration in m/s^2", "angular velocity in rad/s"),
            ("array in m/s^2", "array in rad/s"),
            ("Compute acceleration magnitude", "Compute angular velocity magnitude"),
            ("Subtract the mean to remove gravity", "Subtract the mean to remove gyroscope bias"),
            ("0.5 m/s^2", "0.3 rad/s"),
        ),
        ("accelerometer", "acceleration", "gravity", "m/s^2"),
    ),
)


def _swap_text(text: str, swap: ModalitySwap) -> str:
    for old, new in swap.replacements:
        text = text.replace(old, new)
    return text


def td_modality(seed: TdSeed, swap: ModalitySwap) -> TdSeed | None:
    if not seed.id.startswith(swap.source_app):
        return None
    tasks = tuple(
        SubTask(_swap_text(t.name, swap), tuple(_swap_text(s, swap) for s in t.steps))
        for t in seed.subtasks
    )
    return replace(
        seed,
        id=f"{seed.id}+mod:{swap.key}",
        modality=swap.modality,
        signal=swap.signal,
        unit=swap.unit,
        body=_swap_text(seed.body, swap),
        input=_swap_text(seed.input, swap),
        subtasks=tasks,
    )


def td_consistency_problems(seed: TdSeed, rule: str) -> list[str]:
    """What the rule promised: its marker in both the statement and the decomposition."""
    kind, _, key = rule.partition(":")
    steps = " ".join(" ".join([t.name, *t.steps]) for t in seed.subtasks)
    if kind == "representation":
        rep = next(r for r in REPRESENTATIONS if r.key == key)
        first = " ".join([seed.subtasks[0].name, *seed.subtasks[0].steps])
        missing = [w for w in (rep.marker,) if w not in seed.statement]
        lost = [] if rep.key in ("windows", "packets") or rep.marker in first else [rep.marker]
        return [f"{rule}: {w!r} missing from the statement or loading step" for w in missing + lost]
    if kind == "resource":
        budget = next(b for b in BUDGETS if b.key == key)
        if budget.marker not in seed.statement or budget.marker not in steps:
            return [f"{rule}: {budget.marker!r} not in both the statement and a step"]
        return []
    if kind == "modality":
        swap = next(s for s in SWAPS if s.key == key)
        text = f"{seed.statement} {steps}"
        left = [w for w in swap.forbidden if re.search(rf"\b{re.escape(w)}", text)]
        problems = [f"{rule}: {w!r} of the source sensor remains" for w in left]
        if swap.signal not in seed.statement or swap.signal.lower() not in steps.lower():
            problems.append(f"{rule}: {swap.signal!r} not in both the statement and the steps")
        return problems
    return [f"unknown rule {rule!r}"]


def td_augmentations(seed: TdSeed) -> list[tuple[str, TdSeed]]:
    """Every applicable rule's result, as (rule, augmented seed)."""
    out: list[tuple[str, TdSeed]] = []
    for swap in SWAPS:
        result = td_modality(seed, swap)
        if result is not None:
            out.append((f"modality:{swap.key}", result))
    for rep in REPRESENTATIONS:
        rep_result = td_representation(seed, rep)
        if rep_result is not None:
            out.append((f"representation:{rep.key}", rep_result))
    for budget in BUDGETS:
        budget_result = td_budget(seed, budget)
        if budget_result is not None:
            out.append((f"resource:{budget.key}", budget_result))
    return out


# -- CG ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SensorProfile:
    key: str
    param: str
    noun: str
    unit: str


SENSORS: tuple[SensorProfile, ...] = (
    SensorProfile("ecg", "ecg", "single-lead ECG", "mV"),
    SensorProfile("ppg", "ppg", "wrist PPG", "arbitrary units"),
    SensorProfile("accel", "accel_magnitude", "accelerometer magnitude", "m/s^2"),
    SensorProfile("audio", "audio", "microphone signal", "full scale"),
    SensorProfile("csi", "csi_amplitude", "WiFi CSI subcarrier amplitude", "arbitrary units"),
    SensorProfile("eeg", "eeg", "EEG channel", "uV"),
    SensorProfile("vibration", "vibration", "machine vibration signal", "g"),
)
_WORD_SIGNAL = re.compile(r"(?<![.\w])signal(?![.\w(])")


def cg_modality(seed: CgSeed, sensor: SensorProfile) -> CgSeed | None:
    """A generic seed re-targeted to one sensor: names, docstring (hence spec) and check."""
    if not seed.generic or not seed.name.endswith("_signal"):
        return None
    new_name = seed.name.removesuffix("_signal") + f"_{sensor.param}"
    names = {seed.name: new_name, seed.check_name: f"check_{new_name}"}
    if any(n == "x" for n, _ in seed.params):
        names["x"] = sensor.param
    taken = all_identifiers([seed.body, seed.check]) - set(names)
    if set(names.values()) & taken:
        return None
    doc = seed.doc.replace("1-D signal", f"1-D {sensor.noun} in {sensor.unit}")
    doc = doc.replace("in the signal's units", f"in {sensor.unit}")
    doc = doc.replace("units^2", f"({sensor.unit})^2").replace("- x (", f"- {sensor.param} (")
    doc = _WORD_SIGNAL.sub(sensor.noun, doc)
    result = with_renames(seed, names, doc)
    return replace(result, id=f"{seed.id}+mod:{sensor.key}", modality=sensor.key)


def _first_array_param(seed: CgSeed) -> str | None:
    for name, hint in seed.params:
        if hint == "np.ndarray":
            return name
    return None


def _ensure_numpy(seed: CgSeed) -> tuple[str, ...]:
    return (
        seed.imports
        if "import numpy as np" in seed.imports
        else (*seed.imports, "import numpy as np")
    )


def cg_representation(seed: CgSeed) -> CgSeed | None:
    """The first 1-D array input arrives as a Python list of floats."""
    name = _first_array_param(seed)
    if name is None or not re.search(rf"- {name} \(np\.ndarray\): 1-D", seed.doc):
        return None
    doc = re.sub(
        rf"- {name} \(np\.ndarray\): 1-D ([^\n]*?), shape \(n_samples,\)\.",
        rf"- {name} (list[float]): \1 as a Python list of floats, length n_samples.",
        seed.doc,
    )
    if doc == seed.doc:
        return None
    convert = f"    {name} = np.asarray({name}, dtype=float)"
    body = seed.body if seed.body.startswith(convert) else f"{convert}\n{seed.body}"
    params = tuple((n, "list[float]" if n == name else h) for n, h in seed.params)
    return replace(
        seed,
        id=f"{seed.id}+rep:list",
        params=params,
        doc=doc,
        body=body,
        imports=_ensure_numpy(seed),
    )


CG_BUDGET = (
    "Constraint: it runs on a Cortex-M4 class microcontroller with 256 KB of RAM, so the "
    "arrays are processed in float32."
)


def cg_budget(seed: CgSeed) -> CgSeed | None:
    """The computation moves to float32, and the spec says why."""
    arrays = [n for n, h in seed.params if h == "np.ndarray"]
    if not arrays or "Method:" not in seed.doc or "complex" in seed.doc.lower():
        return None  # float32 would silently drop the imaginary part of complex inputs
    body = seed.body
    for name in arrays:
        old = f"np.asarray({name}, dtype=float)"
        new = f"np.asarray({name}, dtype=np.float32)"
        body = body.replace(old, new) if old in body else f"    {name} = {new}\n{body}"
    head, sep, tail = seed.doc.partition("\n\nParameters")
    doc = f"{head}\n\n{CG_BUDGET}{sep}{tail}"
    return replace(
        seed, id=f"{seed.id}+res:cortex_m4", doc=doc, body=body, imports=_ensure_numpy(seed)
    )


def cg_augmentations(seed: CgSeed) -> list[tuple[str, CgSeed]]:
    rules: list[tuple[str, Callable[[CgSeed], CgSeed | None]]] = [
        ("representation:list", cg_representation),
        ("resource:cortex_m4", cg_budget),
    ]
    out: list[tuple[str, CgSeed]] = []
    for sensor in SENSORS:
        result = cg_modality(seed, sensor)
        if result is not None:
            out.append((f"modality:{sensor.key}", result))
    for rule, apply in rules:
        rule_result = apply(seed)
        if rule_result is not None:
            out.append((rule, rule_result))
    return out


def cg_consistency_problems(seed: CgSeed, rule: str) -> list[str]:
    """What the rule promised, checked on the augmented seed's spec and code."""
    spec = seed.spec
    kind, _, key = rule.partition(":")
    if kind == "modality":
        sensor = next(s for s in SENSORS if s.key == key)
        text = " ".join([spec.target, *(p.description for p in spec.inputs)])
        problems = [] if sensor.noun in text else [f"{rule}: {sensor.noun!r} not in the spec"]
        if "x" in [p.name for p in spec.inputs]:
            problems.append(f"{rule}: the generic parameter x remains")
        if not spec.function.endswith(sensor.param):
            problems.append(f"{rule}: function {spec.function} not renamed")
        return problems
    if kind == "representation":
        ok = any(p.type == "list[float]" for p in spec.inputs) and "np.asarray(" in seed.body
        return [] if ok else [f"{rule}: no list[float] input converted with np.asarray"]
    if kind == "resource":
        ok = "256 KB" in spec.target and "np.float32" in seed.body
        return [] if ok else [f"{rule}: the budget is not in both the spec and the code"]
    return [f"unknown rule {rule!r}"]
