from gpiot.pipeline.autofix import add_missing_imports
from gpiot.runtime.grammars import function_grammar
from gpiot.validate import undefined_name_problems


def test_well_known_names_are_imported() -> None:
    code = "def f(x):\n    p, _ = find_peaks(x)\n    return np.diff(p) / butter(2, 0.1)[0][0]\n"
    fixed = add_missing_imports(code)
    assert "from scipy.signal import find_peaks" in fixed
    assert "from scipy.signal import butter" in fixed
    assert "import numpy as np" in fixed
    assert undefined_name_problems(fixed) == []


def test_unknown_names_are_left_for_repair() -> None:
    code = "def f(x):\n    return not_a_real_function_xyz(x)\n"
    assert add_missing_imports(code) == code


def test_function_grammar_names_the_spec_signature() -> None:
    grammar = function_grammar("compute_params", ["params", "fs"])
    assert 'def compute_params(" "params" hint ", " "fs" hint ")' in grammar
    assert function_grammar("f", []).count('"def f(" ""') == 1


def test_signature_hints_name_the_real_api() -> None:
    from gpiot.pipeline.autofix import signature_hints

    feedback = "raised: TypeError: find_peaks() got an unexpected keyword argument 'min_distance'"
    hints = signature_hints(feedback)
    assert "scipy.signal.find_peaks(x, height=None" in hints
    assert "distance=None" in hints
    assert signature_hints("ValueError: something else") == ""
