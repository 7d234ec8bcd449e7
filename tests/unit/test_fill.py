from gpiot.pipeline.decomposition import SubTask
from gpiot.pipeline.fill import find_stubs, splice
from gpiot.pipeline.render import render_subtask_module
from gpiot.pipeline.spec import Param, Spec
from gpiot.validate import parse, syntax_problems, top_level_functions

SPEC = Spec(
    "rms_level",
    "Root-mean-square level of a signal.",
    (Param("signal", "np.ndarray", "1-D signal, shape (n,)."),),
    (Param("rms", "float", "RMS value."),),
)
CODE = '''import math

import numpy as np

SCALE = 1.0


def rms_level(signal: np.ndarray) -> float:
    """RMS."""
    return SCALE * math.sqrt(float(np.mean(np.square(signal))))
'''


def _stub_module() -> str:
    task = SubTask("Compute RMS level", ("square", "mean", "root"))
    return render_subtask_module(task, 1, 1, SPEC, None, "Measure loudness.", ["not yet"])


def test_rendered_stub_is_found_with_its_spec() -> None:
    (site,) = find_stubs(_stub_module())
    assert site.function == "rms_level"
    assert site.spec.inputs == SPEC.inputs
    assert site.spec.outputs == SPEC.outputs


def test_splice_replaces_only_the_stub_and_adds_imports() -> None:
    source = "# user note kept\n" + _stub_module() + "\n\ndef user_helper():\n    return 1\n"
    site = find_stubs(source)[0]
    result = splice(source, site, CODE)
    assert syntax_problems(result) == []
    assert find_stubs(result) == []
    functions = top_level_functions(parse(result))
    assert {"rms_level", "user_helper"} <= set(functions)
    assert "import numpy as np" in result and "import math" in result
    assert "SCALE = 1.0" in result
    assert result.startswith("# user note kept\n")
    assert result.index("import numpy") < result.index("def rms_level")


def test_functions_with_bodies_are_not_stubs() -> None:
    assert find_stubs(CODE) == []
