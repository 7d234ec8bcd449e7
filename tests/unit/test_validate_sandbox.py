"""Smoke runs in a real sandboxed subprocess (no mocks)."""

from __future__ import annotations

import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled
from gpiot.pipeline.spec import Param, Spec
from gpiot.validate import smoke_run, validate_code

SPEC = Spec(
    function="detect_r_peaks",
    target="Detect R-peaks in a single-lead ECG with a Pan-Tompkins style detector.",
    inputs=(
        Param("ecg", "np.ndarray", "1-D ECG signal in millivolts, shape (n_samples,)."),
        Param("fs", "float", "sampling rate in Hz."),
    ),
    outputs=(Param("r_peaks", "np.ndarray", "sample indices of the R-peaks, shape (n_beats,)."),),
)

DETECTOR = textwrap.dedent(
    '''
    """R-peak detection with band-pass filtering, squaring and moving-window integration."""
    import numpy as np
    from scipy import signal


    def detect_r_peaks(ecg, fs):
        """Return the sample indices of the R-peaks in ``ecg``."""
        nyquist = fs / 2.0
        b, a = signal.butter(2, [5.0 / nyquist, 15.0 / nyquist], btype="band")
        filtered = signal.filtfilt(b, a, np.asarray(ecg, dtype=float))
        energy = np.gradient(filtered) ** 2
        window = max(1, int(0.15 * fs))
        integrated = np.convolve(energy, np.ones(window) / window, mode="same")
        peaks, _ = signal.find_peaks(
            integrated, height=0.3 * integrated.max(), distance=int(0.3 * fs)
        )
        search = int(0.1 * fs)
        refined = [
            max(0, p - search) + int(np.argmax(ecg[max(0, p - search) : p + search]))
            for p in peaks
        ]
        return np.unique(np.asarray(refined, dtype=int))
    '''
)


def body(code: str, imports: str = "import numpy as np") -> str:
    """A module defining ``detect_r_peaks`` with ``code`` as its body."""
    return f"{imports}\n\n\ndef detect_r_peaks(ecg, fs):\n{textwrap.indent(code, '    ')}\n"


def test_correct_detector_passes_everything() -> None:
    report = validate_code(DETECTOR, SPEC, timeout_s=20)
    assert report.ok, report.feedback()
    assert report.smoke is not None and report.smoke.status == "passed", report.smoke
    assert "detect_r_peaks(ecg=" in report.smoke.detail


def test_runtime_error_reports_line_in_generated_file() -> None:
    source = body("x = np.asarray(ecg)\nreturn x[None] + np.ones(3)  # shapes do not broadcast")
    report = validate_code(source, SPEC)
    assert [p.kind for p in report.problems] == ["runtime"]
    problem = report.problems[0]
    assert problem.line == 6
    assert "ValueError" in problem.message
    assert report.smoke is not None and report.smoke.status == "failed"


def test_obfuscated_process_creation_blocked_at_runtime() -> None:
    source = body('getattr(__import__("o" + "s"), "sys" + "tem")("true")\nreturn np.arange(3)')
    report = validate_code(source, SPEC)
    assert "unsafe" in [p.kind for p in report.problems]  # seen statically already
    assert report.smoke is None
    result = smoke_run(source, SPEC)  # the sandbox must stop it on its own
    assert result.status == "failed", result
    assert "blocked" in result.detail and "os.system" in result.detail


def test_process_creation_hidden_from_static_checks_is_blocked() -> None:
    source = body(
        'runner = getattr(sys.modules["so"[::-1]], "metsys"[::-1])\n'
        "try:\n"
        '    runner("true")\n'
        "except Exception:\n"
        "    pass  # swallowing the error must not hide the violation\n"
        "return np.arange(3)",
        imports="import sys\n\nimport numpy as np",
    )
    report = validate_code(source, SPEC)
    assert [p.kind for p in report.problems] == ["unsafe"], report.problems
    assert report.smoke is not None and report.smoke.status == "failed"
    assert "blocked" in report.smoke.detail


def test_subprocess_and_fork_exec_are_blocked() -> None:
    for call in (
        'sys.modules["subprocess"].run(["true"])',
        'sys.modules["_posixsubprocess"].fork_exec()',  # has no audit event of its own
        "__import__('socket').create_connection(('127.0.0.1', 9))",
    ):
        source = body(f"import subprocess\n{call}\nreturn np.arange(3)", "import sys, numpy as np")
        result = smoke_run(source, SPEC)
        assert result.status == "failed" and result.kind == "unsafe", (call, result)
        assert "blocked" in result.detail


def test_write_outside_workdir_blocked() -> None:
    with tempfile.TemporaryDirectory() as outside:
        target = Path(outside) / "escaped.txt"
        source = body(
            f'with open({str(target)!r}, "w") as handle:\n    handle.write("x")\n'
            "return np.arange(3)"
        )
        result = smoke_run(source, SPEC)
        assert result.status == "failed", result
        assert "blocked" in result.detail and "outside the working directory" in result.detail
        assert not target.exists()


def test_relative_write_allowed() -> None:
    source = body('np.save("scratch.npy", ecg)\nreturn np.load("scratch.npy")[:3]')
    result = smoke_run(source, SPEC)
    assert result.status == "passed", result


def test_infinite_loop_times_out() -> None:
    source = body("while True:\n    pass")
    started = time.monotonic()
    report = validate_code(source, SPEC, timeout_s=1.5)
    assert time.monotonic() - started < 10
    assert [p.kind for p in report.problems] == ["timeout"]
    assert report.smoke is not None and report.smoke.status == "timeout"
    assert report.problems[0].line in (5, 6)  # faulthandler says where it was stuck


@pytest.mark.parametrize(
    "allocation", ["np.ones(10**11)", "bytearray(8 * 1024**3)", "[0] * (10**10)"]
)
def test_huge_allocation_is_memory(allocation: str) -> None:
    source = body(f"big = {allocation}\nreturn np.arange(3)")
    report = validate_code(source, SPEC, memory_mb=768)
    assert [p.kind for p in report.problems] == ["memory"], report.problems
    assert report.smoke is not None and report.smoke.status == "memory"


def test_wrong_number_of_outputs() -> None:
    spec = Spec(
        function="detect_r_peaks",
        target="R-peaks and heart rate",
        inputs=SPEC.inputs,
        outputs=(
            Param("r_peaks", "np.ndarray", "R-peak indices"),
            Param("heart_rate", "float", "mean heart rate in bpm"),
        ),
    )
    report = validate_code(body("return np.arange(3)"), spec)
    assert [p.kind for p in report.problems] == ["output"]
    assert "heart_rate" in report.problems[0].message
    none_report = validate_code(body("x = 1"), SPEC)
    assert [p.kind for p in none_report.problems] == ["output"]
    nan_report = validate_code(body("return np.full(4, np.nan)"), SPEC)
    assert [p.kind for p in nan_report.problems] == ["output"]
    ok = validate_code(body("return np.arange(3), 60.0"), spec)
    assert ok.ok, ok.feedback()


def test_import_time_failure_is_runtime() -> None:
    source = "import numpy as np\n\nSCALE = 1 / 0\n\n\ndef detect_r_peaks(ecg, fs):\n"
    source += "    return np.arange(3)\n"
    result = smoke_run(source, SPEC)
    assert result.status == "failed" and result.kind == "runtime"
    assert "importing" in result.detail and "ZeroDivisionError" in result.detail
    assert result.line == 3


def test_path_input_skips_smoke() -> None:
    spec = Spec(
        function="load_ecg",
        target="Load an ECG recording",
        inputs=(Param("path", "str", "CSV file with one sample per line."),),
        outputs=(Param("ecg", "np.ndarray", "the samples"),),
    )
    source = body("return np.loadtxt(path)").replace("detect_r_peaks(ecg, fs)", "load_ecg(path)")
    report = validate_code(source, spec)
    assert report.ok
    assert report.smoke is not None and report.smoke.status == "skipped"
    assert "path" in report.smoke.detail


def test_environment_is_minimal_and_isolated() -> None:
    source = body(
        "import os\n"
        "assert os.environ.get('HOME') == os.getcwd(), os.environ\n"
        "assert 'GPIOT_SECRET' not in os.environ\n"
        "assert os.environ.get('OMP_NUM_THREADS') == '1'\n"
        "return np.arange(3)"
    )
    import os

    os.environ["GPIOT_SECRET"] = "do-not-leak"
    try:
        result = smoke_run(source, SPEC)
    finally:
        del os.environ["GPIOT_SECRET"]
    assert result.status == "passed", result


def test_cancel_stops_infinite_loop() -> None:
    token = CancelToken()
    timer = threading.Timer(0.8, token.cancel)
    timer.start()
    try:
        result = smoke_run(body("while True:\n    pass"), SPEC, timeout_s=30, cancel=token)
    finally:
        timer.cancel()
    assert result.status == "cancelled"
    assert result.seconds < 20


def test_cancel_raises_from_validate_code() -> None:
    token = CancelToken()
    threading.Timer(0.5, token.cancel).start()
    with pytest.raises(Cancelled):
        validate_code(body("while True:\n    pass"), SPEC, timeout_s=30, cancel=token)
