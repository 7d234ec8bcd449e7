"""API reference entries from numpydoc docstrings."""

from gpiot.retrieval.apiref import (
    collect_api,
    entry_from_object,
    first_sentence,
    parse_docstring,
    parse_params,
    trim_examples,
)
from gpiot.retrieval.chunks import api_chunk, api_text


def moving_rms(signal, fs, window_s=0.15):  # type: ignore[no-untyped-def]
    """Moving root-mean-square envelope.

    Computes the RMS over a centred window. Used for EMG and accelerometer
    envelopes.

    Parameters
    ----------
    signal : np.ndarray
        The 1-D input. Any unit.
    fs : float
        Sampling rate in Hz.

        .. versionadded:: 1.2
    window_s : float, optional
        Window length in seconds. Default 0.15.

    Returns
    -------
    envelope : np.ndarray
        Same shape as ``signal``.

    Examples
    --------
    >>> import numpy as np
    >>> import matplotlib.pyplot as plt
    >>> x = np.ones(100)
    >>> env = moving_rms(x, fs=100.0)
    >>> env.shape
    (100,)
    >>> plt.plot(env)
    """


def test_docstring_sections_are_split() -> None:
    parsed = parse_docstring(moving_rms.__doc__ or "")
    assert parsed.summary == "Moving root-mean-square envelope."
    assert parsed.description.startswith("Computes the RMS over a centred window.")
    assert set(parsed.sections) == {"parameters", "returns", "examples"}


def test_parameters_keep_name_type_and_first_sentence() -> None:
    params = parse_params(parse_docstring(moving_rms.__doc__ or "").sections["parameters"])
    assert [(p.name, p.type) for p in params] == [
        ("signal", "np.ndarray"),
        ("fs", "float"),
        ("window_s", "float, optional"),
    ]
    assert params[0].description == "The 1-D input."
    assert params[1].description == "Sampling rate in Hz."  # the directive is dropped


def test_examples_keep_the_calls_not_plots_imports_or_output() -> None:
    examples = trim_examples(parse_docstring(moving_rms.__doc__ or "").sections["examples"])
    assert examples == "x = np.ones(100)\nenv = moving_rms(x, fs=100.0)"


def test_entry_has_signature_and_sections() -> None:
    entry = entry_from_object("mypkg.moving_rms", moving_rms)
    assert entry is not None
    assert entry.kind == "function"
    assert entry.signature == "moving_rms(signal, fs, window_s=0.15)"
    assert entry.returns[0].name == "envelope"
    text = api_text(entry)
    assert text.startswith("mypkg.moving_rms(signal, fs, window_s=0.15) Moving root-mean-square")
    assert "Example:\nx = np.ones(100)" in text
    assert api_chunk(entry).key == "api/mypkg.moving_rms"


def test_objects_without_docstrings_or_not_callable_are_skipped() -> None:
    def bare() -> None:
        pass

    assert entry_from_object("m.bare", bare) is None
    assert entry_from_object("m.value", 3.0) is None


def test_first_sentence_does_not_stop_at_abbreviations_inside_code() -> None:
    assert first_sentence("Uses ``np.fft.rfft`` here. Then more.") == "Uses ``np.fft.rfft`` here."


def test_installed_scipy_and_sklearn_docstrings_are_read() -> None:
    entries, problems = collect_api(
        ["scipy.signal"], ["sklearn.preprocessing.StandardScaler", "nosuch.module.thing"]
    )
    by_name = {e.name: e for e in entries}
    butter = by_name["scipy.signal.butter"]
    assert butter.signature.startswith("butter(N, Wn, btype=")
    assert [p.name for p in butter.parameters[:2]] == ["N", "Wn"]
    assert "sos" in {p.name for p in butter.returns}
    assert "find_peaks(" in by_name["scipy.signal.find_peaks"].signature
    assert by_name["scipy.signal.find_peaks"].examples
    scaler = by_name["sklearn.preprocessing.StandardScaler"]
    assert scaler.kind == "class" and "fit_transform" in scaler.methods
    assert problems == [p for p in problems if p.startswith("nosuch.module.thing")] != []
