"""Argument synthesis for smoke runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gpiot.pipeline.spec import Param, Spec
from gpiot.validate import NotSynthesisable, synthesise_args


def spec_of(*inputs: Param) -> Spec:
    return Spec("f", "target", tuple(inputs), (Param("out", "float", "result"),))


def test_ecg_rate_from_description_and_signal_length() -> None:
    spec = spec_of(
        Param("ecg", "np.ndarray", "1-D ECG signal, shape (n_samples,)."),
        Param("fs", "float", "sampling rate of the ECG (360 Hz)."),
    )
    args = synthesise_args(spec)
    assert list(args) == ["ecg", "fs"]
    assert args["fs"] == 360.0
    ecg = args["ecg"]
    assert isinstance(ecg, np.ndarray) and ecg.shape == (3600,)
    assert np.isfinite(ecg).all() and ecg.max() > 0.5  # R-peak spikes stand out of the noise


def test_deterministic() -> None:
    spec = spec_of(Param("signal", "np.ndarray", "raw signal"), Param("fs", "int", "rate"))
    first, second = synthesise_args(spec), synthesise_args(spec)
    assert first["fs"] == second["fs"] == 100
    assert np.array_equal(first["signal"], second["signal"])


def test_imu_and_declared_shapes() -> None:
    spec = spec_of(
        Param("acc", "np.ndarray", "3-axis accelerometer samples"),
        Param("x", "np.ndarray", "features, shape (N, 6)"),
        Param("window", "int", "window length in samples"),
        Param("order", "int", "filter order"),
        Param("threshold", "float", "detection threshold"),
        Param("cutoff", "float", "cut-off frequency in Hz"),
        Param("normalise", "bool", "whether to normalise"),
        Param("label", "str", "activity label"),
        Param("weights", "list[float]", "per-channel weights"),
        Param("options", "dict", "extra options"),
    )
    args = synthesise_args(spec)
    assert args["acc"].shape == (1000, 3)
    assert args["x"].shape == (1000, 6)
    assert args["window"] == 50 and args["order"] == 4
    assert args["threshold"] == 0.5 and args["cutoff"] == 5.0
    assert args["normalise"] is True
    assert isinstance(args["label"], str) and args["label"]
    assert isinstance(args["weights"], list) and all(isinstance(v, float) for v in args["weights"])
    assert args["options"] == {}


def test_audio_rate_and_examples_in_description() -> None:
    spec = spec_of(
        Param("audio", "np.ndarray", "mono audio waveform"),
        Param("n_fft", "int", "FFT size, e.g. 512"),
        Param("mode", "str", "either 'mean' or 'max'"),
    )
    args = synthesise_args(spec)
    assert args["audio"].shape == (16000,)
    assert args["n_fft"] == 512 and args["mode"] == "mean"


def test_cutoff_kept_below_nyquist() -> None:
    spec = spec_of(
        Param("sig", "np.ndarray", "signal"),
        Param("fs", "float", "sampling rate, e.g. 50"),
        Param("highcut", "float", "upper band edge in Hz"),
    )
    args = synthesise_args(spec)
    assert args["fs"] == 50.0 and args["highcut"] < 25.0


@pytest.mark.parametrize(
    "param",
    [
        Param("path", "str", "where the CSV lives"),
        Param("csv_file", "str", "recording to load"),
        Param("source", "str", "directory with the recordings"),
        Param("data_dir", "pathlib.Path", "recordings"),
        Param("out", "Path", "output"),
        Param("endpoint", "str", "URL of the broker"),
    ],
)
def test_external_inputs_not_synthesisable(param: Param) -> None:
    with pytest.raises(NotSynthesisable) as info:
        synthesise_args(spec_of(Param("x", "np.ndarray", "signal"), param))
    assert param.name in info.value.reason


def test_importable_with_numpy_only() -> None:
    module = Path(__file__).parents[2] / "server/gpiot/validate/argsynth.py"
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('argsynth', {str(module)!r})\n"
        "m = importlib.util.module_from_spec(spec); sys.modules['argsynth'] = m\n"
        "spec.loader.exec_module(m)\n"
        "assert 'tree_sitter' not in sys.modules and 'gpiot' not in sys.modules\n"
        "inputs = [{'name': 'ppg', 'type': 'np.ndarray'}]\n"
        "s = m.spec_from_dict({'function': 'f', 'inputs': inputs})\n"
        "print(m.synthesise_args(s)['ppg'].shape)\n"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(1000,)"
