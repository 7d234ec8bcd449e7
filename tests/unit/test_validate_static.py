"""Static validation: syntax, conformance, imports, undefined names and unsafe operations."""

from __future__ import annotations

import textwrap

from gpiot.pipeline.spec import Param, Spec
from gpiot.validate import (
    Problem,
    ValidationReport,
    conformance_problems,
    function_docstring,
    function_parameters,
    import_problems,
    is_stub_body,
    parse,
    static_problems,
    syntax_problems,
    top_level_functions,
    validate_code,
)

SPEC = Spec(
    function="detect_r_peaks",
    target="Detect R-peaks in a single-lead ECG.",
    inputs=(
        Param("ecg", "np.ndarray", "1-D ECG signal in millivolts, shape (n_samples,)."),
        Param("fs", "float", "sampling rate in Hz."),
    ),
    outputs=(Param("r_peaks", "np.ndarray", "sample indices of the R-peaks."),),
)

GOOD = textwrap.dedent(
    '''
    """R-peak detection."""
    from __future__ import annotations

    import numpy as np
    from scipy import signal

    BAND = (5.0, 15.0)
    TWO_PI = 2 * np.pi


    def detect_r_peaks(ecg, fs):
        """Detect R-peaks."""
        b, a = signal.butter(2, [BAND[0] / (fs / 2), BAND[1] / (fs / 2)], btype="band")
        filtered = signal.filtfilt(b, a, ecg)
        peaks, _ = signal.find_peaks(filtered, distance=int(0.3 * fs))
        return peaks


    if __name__ == "__main__":
        print(detect_r_peaks(np.zeros(100), 100.0))
    '''
)


def kinds(problems: list[Problem]) -> list[str]:
    return [p.kind for p in problems]


def test_good_module_has_no_static_problems() -> None:
    report = validate_code(GOOD, SPEC, smoke=False)
    assert report.ok, report.feedback()
    assert report.smoke is None
    assert report.feedback() == ""


def test_syntax_error_stops_validation_with_line() -> None:
    source = "import numpy as np\n\ndef detect_r_peaks(ecg, fs):\n    return np.where(ecg > 1\n"
    report = validate_code(source, SPEC)
    assert report.problems and set(kinds(report.problems)) == {"syntax"}
    assert report.problems[0].line is not None and report.problems[0].line >= 4
    assert report.smoke is None


def test_syntax_error_missing_colon_reports_line() -> None:
    problems = syntax_problems("x = 1\ndef f(a)\n    return a\n")
    assert problems and problems[0].kind == "syntax"
    assert problems[0].line == 2
    assert "line 2:" in problems[0].render()


def test_syntax_falls_back_to_compiler() -> None:
    problems = syntax_problems("return 5\n")  # tree-sitter accepts it, CPython does not
    assert kinds(problems) == ["syntax"]
    assert problems[0].line == 1


def test_missing_function() -> None:
    source = "import numpy as np\n\n\ndef find_peaks(ecg, fs):\n    return np.arange(3)\n"
    problems = conformance_problems(source, SPEC)
    assert kinds(problems) == ["signature"]
    assert "detect_r_peaks" in problems[0].message
    assert "find_peaks" in problems[0].message


def test_wrong_parameter_names_and_order() -> None:
    for params in ("fs, ecg", "signal, fs", "ecg"):
        source = f"def detect_r_peaks({params}):\n    return ecg\n"
        problems = conformance_problems(source, SPEC)
        assert kinds(problems) == ["signature"], params
        assert "(ecg, fs)" in problems[0].message
        assert problems[0].line == 1


def test_star_args_and_extra_required_params() -> None:
    stars = conformance_problems("def detect_r_peaks(ecg, fs, *args, **kw):\n    return 1\n", SPEC)
    assert kinds(stars) == ["signature"] and "*args" in stars[0].message
    extra = conformance_problems("def detect_r_peaks(ecg, fs, k):\n    return 1\n", SPEC)
    assert kinds(extra) == ["signature"] and "k" in extra[0].message
    optional = conformance_problems("def detect_r_peaks(ecg, fs, k=3):\n    return 1\n", SPEC)
    assert optional == []
    typed = "def detect_r_peaks(ecg: np.ndarray, fs: float = 250.0) -> np.ndarray:\n    return 1\n"
    assert conformance_problems(typed, SPEC) == []


def test_stub_body_is_reported() -> None:
    source = 'def detect_r_peaks(ecg, fs):\n    """Todo."""\n    raise NotImplementedError\n'
    problems = conformance_problems(source, SPEC)
    assert kinds(problems) == ["signature"]
    assert "stub" in problems[0].message


def test_module_level_example_code_flagged() -> None:
    source = GOOD + "\nsignal_ = np.random.randn(1000)\nprint(detect_r_peaks(signal_, 250))\n"
    problems = conformance_problems(source, SPEC)
    assert kinds(problems) == ["module-code", "module-code"]
    line = problems[1].line
    assert line is not None and source.splitlines()[line - 1].startswith("print(")
    assert "runs on import" in problems[1].message


def test_module_level_loops_and_else_branch_flagged() -> None:
    source = textwrap.dedent(
        """
        import numpy as np

        for i in range(3):
            pass

        if __name__ == "__main__":
            pass
        else:
            x = 1

        try:
            import scipy
        except ImportError:
            scipy = None

        def detect_r_peaks(ecg, fs):
            return np.arange(3)
        """
    )
    problems = conformance_problems(source, SPEC)
    assert kinds(problems) == ["module-code", "module-code"]
    assert [p.line for p in problems] == [4, 7]


def test_undefined_name() -> None:
    source = "def detect_r_peaks(ecg, fs):\n    return np.where(ecg > threshold)[0]\n"
    problems = static_problems(source)
    assert kinds(problems) == ["undefined-name", "undefined-name"]
    assert {p.line for p in problems} == {2}
    messages = " ".join(p.message for p in problems)
    assert "'np'" in messages and "import numpy as np" in messages and "'threshold'" in messages


def test_library_call_with_a_keyword_its_signature_lacks() -> None:
    source = textwrap.dedent(
        """
        import numpy as np
        from scipy.signal import find_peaks as fp
        from scipy import signal

        def detect_r_peaks(ecg, fs):
            peaks, _ = fp(ecg, min_distance=int(0.25 * fs))
            b, a = signal.butter(2, [5, 15], btype="band", fs=fs)
            return np.asarray(peaks, dtype=int)
        """
    )
    problems = static_problems(source)
    assert kinds(problems) == ["call"]
    assert problems[0].line == 7
    message = problems[0].message
    assert "scipy.signal.find_peaks" in message and "min_distance" in message
    assert "distance=None" in message  # the real signature, for the repair prompt


def test_library_calls_with_wrong_argument_counts() -> None:
    source = textwrap.dedent(
        """
        import math
        import numpy as np
        from sklearn.neighbors import KNeighborsClassifier

        def f(x, k):
            a = math.sqrt(x, 2)
            b = np.convolve(x)
            model = KNeighborsClassifier(n_neighbor=k)
            return a, b, model
        """
    )
    problems = static_problems(source)
    assert kinds(problems) == ["call", "call", "call"]
    assert [p.line for p in problems] == [7, 8, 9]
    assert "positional" in problems[0].message
    assert "missing" in problems[1].message and "'v'" in problems[1].message
    assert "n_neighbor" in problems[2].message and "n_neighbors=5" in problems[2].message


def test_calls_that_cannot_be_checked_statically_are_left_alone() -> None:
    source = textwrap.dedent(
        """
        import numpy as np
        from scipy import signal

        def find_peaks(x, min_distance):
            return x

        def f(x, fs, options):
            rng = np.random.default_rng(0)
            noisy = x + rng.normal(0.0, 1.0, size=x.shape)  # a method: receiver type unknown
            peaks = find_peaks(noisy, min_distance=3)  # the module's own function
            filtered = signal.filtfilt(*options["ba"], noisy)  # *args: unknown at this point
            spectrum = signal.welch(filtered, **options["welch"])
            return np.add(peaks, 1, out=None), spectrum, np.mean(x, axis=0, keepdims=True)
        """
    )
    assert static_problems(source) == []


def test_unused_import_is_not_a_problem() -> None:
    assert static_problems("import os\nimport numpy as np\n\ndef f(x):\n    return x\n") == []


def test_unresolved_import() -> None:
    source = "import numpy as np\nimport not_a_real_module_xyz\n\ndef detect_r_peaks(ecg, fs):\n"
    source += "    return np.arange(3)\n"
    problems = import_problems(source)
    assert kinds(problems) == ["import"]
    assert problems[0].line == 2
    assert "not_a_real_module_xyz" in problems[0].message
    report = validate_code(source, SPEC)
    assert "import" in kinds(report.problems)
    assert report.smoke is None  # no smoke run while static problems remain


def test_relative_and_guarded_imports() -> None:
    problems = import_problems("from . import helpers\nfrom .x import y\n")
    assert kinds(problems) == ["import", "import"]
    guarded = "try:\n    import not_a_real_module_xyz\nexcept ImportError:\n    pass\n"
    assert import_problems(guarded) == []
    nested = "def f():\n    from not_a_real_module_xyz.sub import g\n    return g\n"
    assert kinds(import_problems(nested)) == ["import"]


def test_os_system_flagged() -> None:
    source = 'import os\n\ndef detect_r_peaks(ecg, fs):\n    os.system("ls")\n    return ecg\n'
    problems = static_problems(source)
    assert kinds(problems) == ["unsafe"]
    assert problems[0].line == 4 and "os.system" in problems[0].message


def test_unsafe_aliases_and_modules() -> None:
    cases = {
        "from os import system as run\nrun('x')\n": "os.system",
        "import subprocess\n": "subprocess",
        "import os as o\no.execv('/bin/sh', [])\n": "os.exec",
        "from urllib import request\n": "urllib.request",
        "import shutil\nshutil.rmtree('x')\n": "shutil.rmtree",
        "eval('1')\n": "eval",
        "import sys\nsys.exit(1)\n": "sys.exit",
        "import importlib\n": "importlib",
        "import ctypes\n": "ctypes",
        "getattr(__import__('o' + 's'), 'sys' + 'tem')('true')\n": "os.system",
        "import os\ngetattr(os, 'sys' + 'tem')('true')\n": "os.system",
        "open('/etc/passwd', 'w').write('x')\n": "/etc/passwd",
        "from pathlib import Path\nPath('/tmp/x.txt').write_text('x')\n": "/tmp/x.txt",
        "import numpy as np\nnp.save('/tmp/out.npy', 1)\n": "/tmp/out.npy",
    }
    for source, needle in cases.items():
        problems = static_problems(source)
        assert kinds(problems) and set(kinds(problems)) == {"unsafe"}, source
        assert any(needle in p.message for p in problems), (source, problems)


def test_safe_lookalikes_not_flagged() -> None:
    source = textwrap.dedent(
        """
        import re
        import platform
        import numpy as np

        PATTERN = re.compile(r"\\d+")

        def f(x):
            with open("result.txt", "w") as handle:
                handle.write(str(platform.system()))
            with open("/etc/hostname") as handle:
                handle.read()
            np.save("out.npy", x)
            return PATTERN.findall(str(x))
        """
    )
    assert static_problems(source) == []
    assert conformance_problems(source, Spec("f", "t", (Param("x", "int", "x"),), ())) == []


def test_tree_helpers() -> None:
    source = textwrap.dedent(
        '''
        """Module doc."""
        import functools

        @functools.cache
        def a(x, y: int, z=1, w: float = 2.0, *args, k, **kwargs):
            """Doc of a.

            More.
            """
            return x

        def b(p, /, q, *, r):
            ...

        async def c(): pass

        class D:
            def method(self): pass
        '''
    )
    tree = parse(source)
    functions = top_level_functions(tree)
    assert list(functions) == ["a", "b", "c"]
    assert function_parameters(functions["a"]) == ["x", "y", "z", "w", "*args", "k", "**kwargs"]
    assert function_parameters(functions["b"]) == ["p", "/", "q", "*", "r"]
    assert function_docstring(functions["a"]) == "Doc of a.\n\nMore."
    assert function_docstring(tree.root_node) == "Module doc."
    assert function_docstring(functions["b"]) is None
    assert is_stub_body(functions["b"]) and is_stub_body(functions["c"])
    assert not is_stub_body(functions["a"])


def test_report_feedback_is_compact() -> None:
    long = "x" * 5000
    report = ValidationReport([Problem("runtime", long, 3), Problem("import", "bad import")])
    text = report.feedback()
    assert not report.ok
    assert "line 3" in text and "runtime" in text and "bad import" in text
    assert len(text) < 1000


def test_attempts_rank_by_how_far_they_got_then_by_fewer_problems() -> None:
    from gpiot.validate.problems import Problem, ValidationReport

    def report(*kinds: str) -> ValidationReport:
        return ValidationReport([Problem(kind, "x") for kind in kinds])

    ladder = [
        report("syntax"),
        report("undefined-name", "undefined-name"),
        report("undefined-name"),
        report("runtime"),
        report("output"),
        report(),
    ]
    assert [r.rank for r in ladder] == sorted(r.rank for r in ladder)
    assert len({r.rank for r in ladder}) == len(ladder)
    assert report("runtime", "import").rank < report("undefined-name").rank  # worst kind counts
    # a call its library rejects loads, like an undefined name, but cannot run
    assert report("undefined-name").rank == report("call").rank < report("runtime").rank
