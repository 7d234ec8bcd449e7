import pytest

from gpiot.pipeline.spec import Param, Spec, SpecFormatError

SPEC = Spec(
    function="detect_r_peaks",
    target="Detect R-peaks with Pan-Tompkins (5-15 Hz band-pass, 150 ms integration window).",
    inputs=(
        Param("ecg", "np.ndarray", "1-D ECG in mV, shape (n_samples,)."),
        Param("fs", "float", "sampling rate in Hz."),
    ),
    outputs=(Param("r_peaks", "np.ndarray", "sample indices of R-peaks, shape (n_beats,)."),),
    sources=("knowledge/ecg/pan_tompkins.md",),
)


def test_markdown_round_trip() -> None:
    assert Spec.from_markdown(SPEC.to_markdown(), "detect_r_peaks") == SPEC


def test_dict_round_trip() -> None:
    assert Spec.from_dict(SPEC.to_dict()) == SPEC


def test_parses_indented_wrapped_and_edited_text() -> None:
    text = """
        Target: Detect R-peaks.

        Input Specification:
        - `ecg (np.ndarray)`: the ECG,
          sampled evenly.
        * fs (tuple(int, int)): odd type with parentheses

        Output Specification:
        - r_peaks (list[int]): indices
    """
    spec = Spec.from_markdown(text, "f")
    assert [p.name for p in spec.inputs] == ["ecg", "fs"]
    assert spec.inputs[0].description == "the ECG, sampled evenly."
    assert spec.inputs[1].type == "tuple(int, int)"
    assert spec.outputs == (Param("r_peaks", "list[int]", "indices"),)


def test_empty_parameter_lists_render_and_parse() -> None:
    spec = Spec("make_report", "Summarise.", (), ())
    assert "(none)" in spec.to_markdown()
    assert Spec.from_markdown(spec.to_markdown(), "make_report") == spec


@pytest.mark.parametrize(
    "text",
    ["", "Input Specification:\n- a (int): x", "Target: x\nInput Specification:\n- not a param"],
)
def test_malformed_text_is_rejected(text: str) -> None:
    with pytest.raises(SpecFormatError):
        Spec.from_markdown(text, "f")


def test_invalid_names_are_rejected() -> None:
    with pytest.raises(SpecFormatError):
        Param("class", "int", "keyword")
    with pytest.raises(SpecFormatError):
        Spec("1bad", "t", (), ())
    with pytest.raises(SpecFormatError):
        Spec("f", "t", (Param("a", "int", "x"), Param("a", "int", "y")), ())


def test_signature() -> None:
    assert SPEC.signature == "def detect_r_peaks(ecg, fs):"
