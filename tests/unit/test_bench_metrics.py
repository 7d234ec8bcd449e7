"""IoTBench metrics, input/output mapping and report aggregation on hand-computed cases."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gpiot.bench.iotbench import metrics
from gpiot.bench.iotbench.command import spread
from gpiot.bench.iotbench.configs import BY_NAME, select_configs, skip_reason
from gpiot.bench.iotbench.mapping import map_inputs, map_outputs, words
from gpiot.bench.iotbench.report import build_report, render_markdown, summarise_spec
from gpiot.bench.iotbench.runner import app_file_text, run_parameters
from gpiot.errors import GpiotError

# -- pass@k ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "c", "k", "expected"),
    [
        (5, 0, 1, 0.0),
        (5, 5, 1, 1.0),
        (5, 1, 1, 0.2),
        (5, 2, 1, 0.4),
        (5, 1, 5, 1.0),  # C(4,5) = 0: one pass among five samples is found by pass@5
        (10, 3, 5, 1 - 21 / 252),  # 1 - C(7,5)/C(10,5)
        (20, 2, 5, 1 - 8568 / 15504),  # 1 - C(18,5)/C(20,5)
        (10, 0, 5, 0.0),
    ],
)
def test_pass_at_k_matches_the_combinatorial_formula(
    n: int, c: int, k: int, expected: float
) -> None:
    assert metrics.pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)
    if n >= k:  # and the closed form itself
        assert expected == pytest.approx(1 - math.comb(n - c, k) / math.comb(n, k))


def test_pass_at_k_needs_k_samples_and_valid_counts() -> None:
    assert metrics.pass_at_k(4, 2, 5) is None
    with pytest.raises(ValueError):
        metrics.pass_at_k(5, 6, 1)
    with pytest.raises(ValueError):
        metrics.pass_at_k(5, 1, 0)


# -- BLEU -----------------------------------------------------------------------------------------


def test_bleu_of_identical_text_is_one() -> None:
    tokens = metrics.tokenize("Band-pass filter the ECG at 5-15 Hz")
    assert metrics.bleu4(tokens, tokens) == pytest.approx(1.0)


def test_bleu_hand_computed_with_add_one_smoothing() -> None:
    # p1 = 5/6; p2 = (3+1)/(5+1); p3 = (1+1)/(4+1); p4 = (0+1)/(3+1); equal lengths, no penalty
    cand = metrics.tokenize("the cat sat on the mat")
    ref = metrics.tokenize("the cat is on the mat")
    expected = (5 / 6 * 4 / 6 * 2 / 5 * 1 / 4) ** 0.25
    assert metrics.bleu4(cand, ref) == pytest.approx(expected)
    assert expected == pytest.approx(0.48549, abs=1e-5)


def test_bleu_brevity_penalty() -> None:
    # every n-gram precision is 1 (the empty 3- and 4-gram sets smooth to 1/1); BP = exp(1 - 4/2)
    assert metrics.bleu4(["a", "b"], ["a", "b", "c", "d"]) == pytest.approx(math.exp(-1))


def test_bleu_without_a_shared_word_is_zero() -> None:
    assert metrics.bleu4(["x", "y", "z"], ["a", "b", "c"]) == 0.0
    assert metrics.bleu4([], ["a"]) == 0.0


def test_tokenize_and_decomposition_text() -> None:
    assert metrics.tokenize("Detect R-peaks (Pan-Tompkins).") == [
        "detect", "r", "-", "peaks", "(", "pan", "-", "tompkins", ")", ".",
    ]  # fmt: skip
    text = metrics.decomposition_text([("Filter", ["5-15 Hz", "zero phase"]), ("Peaks", [])])
    assert text == "Filter\n5-15 Hz\nzero phase\nPeaks"


# -- IoT-specialised method use -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "uses"),
    [
        ("from scipy.signal import butter\ndef f(x):\n    return butter(2, 0.1)\n", True),
        ("from scipy import signal\ndef f(x):\n    return signal.sosfiltfilt(s, x)\n", True),
        ("import scipy.signal as ss\ndef f(x):\n    return ss.butter(2, 0.1)\n", True),
        ("from scipy.signal import butter as bw\ndef f(x):\n    return bw(2, 0.1)\n", True),
        ("def f(x):\n    # butter(2, 0.1) would be better\n    return x\n", False),
        ("def f(x):\n    return 'butter'\n", False),
        ("from scipy.signal import butter\ng = butter\ndef f(x):\n    return x\n", False),
        ("def f(x) return butter(x)\n", False),  # does not parse
    ],
)
def test_method_use_is_a_call_found_in_the_ast(source: str, uses: bool) -> None:
    assert metrics.uses_method(source, ["butter", "sosfiltfilt"]) is uses


def test_dotted_method_names_match_by_their_last_part() -> None:
    assert metrics.uses_method("def f(x):\n    return sig.welch(x)\n", ["scipy.signal.welch"])


# -- similarity, completeness, lines --------------------------------------------------------------


def test_cosine_matrix_and_completeness() -> None:
    a = np.array([[1.0, 0.0], [0.0, 2.0]])
    b = np.array([[1.0, 1.0], [3.0, 0.0]])
    sim = metrics.cosine_matrix(a, b)
    assert sim == pytest.approx(np.array([[1 / math.sqrt(2), 1.0], [1 / math.sqrt(2), 0.0]]))
    assert metrics.completeness(np.array([[0.9, 0.1], [0.2, 0.4]]), 0.5) == 0.5
    assert metrics.completeness(np.array([[0.5], [0.49]]), 0.5) == 0.5  # the threshold counts
    assert metrics.completeness(np.zeros((2, 0)), 0.5) == 0.0
    with pytest.raises(ValueError):
        metrics.completeness(np.zeros((0, 2)), 0.5)


def test_code_lines_skip_blank_lines() -> None:
    assert metrics.code_lines("import numpy\n\n\ndef f():\n    return 1\n   \n") == 3


# -- input and output mapping ---------------------------------------------------------------------


def test_words_normalise_units_fillers_plurals_and_rate_synonyms() -> None:
    assert words("ecg_signal") == ("ecg",)
    assert words("sampling_rate") == words("fs") == words("sample_rate_hz") == ("fs",)
    assert words("samplingRate") == ("fs",)
    assert words("r_peaks") == ("r", "peak")


def test_inputs_map_by_name_then_normalised_words() -> None:
    ecg = np.zeros(10)
    kwargs, mapping = map_inputs(
        [("ecg_signal", "np.ndarray"), ("sampling_rate", "float")], {"ecg": ecg, "fs": 360.0}
    )
    assert mapping.ok
    assert mapping.pairs == {"ecg_signal": "ecg", "sampling_rate": "fs"}
    assert mapping.rules == {"ecg_signal": "normalised", "sampling_rate": "normalised"}
    assert kwargs["ecg_signal"] is ecg and kwargs["sampling_rate"] == 360.0


def test_inputs_fall_back_to_the_only_value_of_a_kind() -> None:
    kwargs, mapping = map_inputs(
        [("x", "np.ndarray"), ("window_s", "float")], {"ppg": [1.0, 2.0], "fs": 100.0}
    )
    # "x" has no meaningful word in common with "ppg"; it is the only array on both sides
    assert mapping.pairs == {"x": "ppg", "window_s": "fs"}
    assert mapping.rules == {"x": "kind", "window_s": "kind"}
    assert kwargs == {"x": [1.0, 2.0], "window_s": 100.0}


def test_an_unmappable_input_is_reported() -> None:
    _, mapping = map_inputs(
        [("record_path", "str"), ("ecg", "np.ndarray")], {"ecg": np.zeros(3), "fs": 360.0}
    )
    assert not mapping.ok
    assert mapping.missing == ["record_path"]
    assert mapping.pairs == {"ecg": "ecg"}


def test_two_arrays_are_not_guessed_by_kind() -> None:
    _, mapping = map_inputs([("a", "np.ndarray")], {"accel": np.zeros(3), "gyro": np.zeros(3)})
    assert mapping.missing == ["a"]


def test_outputs_map_by_word_overlap_then_to_the_last_value_of_a_kind() -> None:
    produced: dict[str, Any] = {
        "filtered": np.zeros(5),
        "r_peak_indices": np.array([1, 3]),
        "heart_rate": 72.0,
    }
    outputs, mapping = map_outputs({"r_peaks": "sample indices of the R-peaks"}, produced)
    assert mapping.pairs == {"r_peaks": "r_peak_indices"} and mapping.rules["r_peaks"] == "overlap"
    assert outputs["r_peaks"] is produced["r_peak_indices"]
    outputs, mapping = map_outputs({"bpm": "heart rate (float)"}, {"x": np.zeros(2), "hr": 61.0})
    assert mapping.pairs == {"bpm": "hr"} and mapping.rules["bpm"] == "kind"
    _, mapping = map_outputs({"bpm": "heart rate (float)"}, {"x": np.zeros(2)})
    assert mapping.missing == ["bpm"]


# -- small pieces of the runner and the command ---------------------------------------------------


def test_app_file_is_the_statement_as_a_comment_and_run_parameters_are_read() -> None:
    assert app_file_text("Count steps.\nInput: accel") == "# Count steps.\n# Input: accel\n"
    source = "def _load(stem):\n    pass\n\ndef run(ecg, fs: float) -> dict:\n    return {}\n"
    assert run_parameters(source) == ["ecg", "fs"]
    with pytest.raises(GpiotError):
        run_parameters("def main():\n    pass\n")


def test_spread_takes_one_of_each_group_in_turn() -> None:
    items = ["a1", "a2", "a3", "b1", "c1", "c2"]
    assert spread(items, lambda s: s[0]) == ["a1", "b1", "c1", "a2", "c2", "a3"]


def test_configs_are_selected_and_skipped_with_reasons() -> None:
    assert [c.name for c in select_configs("full,base")] == ["full", "base"]
    with pytest.raises(GpiotError, match="unknown configuration"):
        select_configs("base,turbo")
    assert skip_reason(BY_NAME["base"], "no adapters", "no index") is None
    assert skip_reason(BY_NAME["base+retrieval"], "no adapters", None) is None
    reason = skip_reason(BY_NAME["full"], "no adapters", "no index")
    assert reason == "no adapters; no retrieval: no index"
    assert BY_NAME["base+repair"].td_group == BY_NAME["base"].td_group == "td:base"
    assert BY_NAME["full"].td_group == "td:adapters"


# -- report aggregation ---------------------------------------------------------------------------


def _spec_row(task: str, sample: int, passed: bool, **extra: Any) -> dict[str, Any]:
    return {
        "config": "base",
        "kind": "spec",
        "task": task,
        "sample": sample,
        "category": "filtering" if task == "t1" else "hrv",
        "passed": passed,
        "executable": passed or extra.pop("executable", False),
        "uses_method": sample == 0,
        "lines": 10,
        "lint_findings": 1,
        "embedding_similarity": 0.5,
        "validated": False,
        "attempts": 1,
        "tokens": {"cg": {"generated_tokens": 100}},
        "wall_s": 10.0,
        "seconds": {"generate": 8.0, "tests": 1.0},
        "peak_rss": {"harness_mib": 700.0, "largest_child_mib": 120.0},
        **extra,
    }


def test_spec_summary_averages_unbiased_pass_at_k_over_tasks() -> None:
    rows = [_spec_row("t1", s, s < 2) for s in range(5)]  # n=5, c=2
    rows += [_spec_row("t2", s, False, executable=s == 0) for s in range(5)]  # n=5, c=0
    summary = summarise_spec(rows)
    assert summary["tasks"] == 2 and summary["samples"] == 10
    assert summary["pass@1"] == pytest.approx((0.4 + 0.0) / 2)
    assert summary["pass@5"] == pytest.approx((1.0 + 0.0) / 2)
    assert summary["executability"] == pytest.approx(3 / 10)
    assert summary["method_rate"] == pytest.approx(2 / 10)
    assert summary["lint_per_100_lines"] == pytest.approx(10.0)
    assert summary["by_category"] == {
        "filtering": {"tasks": 1, "pass@1": 0.4},
        "hrv": {"tasks": 1, "pass@1": 0.0},
    }
    assert summary["cost"]["generated_tokens"] == {"cg": 1000}
    assert summary["cost"]["stage_s"] == {"generate": 80.0, "tests": 10.0}
    assert summary["cost"]["peak_rss_mib"] == 700.0


def test_pass_at_5_is_left_out_for_tasks_with_fewer_samples() -> None:
    summary = summarise_spec([_spec_row("t1", 0, True)])
    assert summary["pass@1"] == 1.0
    assert summary["pass@5"] is None and summary["pass@5_tasks"] == 0


def test_report_lists_skipped_configs_and_renders_markdown() -> None:
    rows = [_spec_row("t1", 0, True)]
    report = build_report(
        rows, select_configs("base,full"), {"full": "no adapters"}, {"command": "gpiot bench iot"}
    )
    assert list(report["results"]) == ["base"]
    assert report["skipped"] == {"full": "no adapters"}
    text = render_markdown(report)
    assert "| pass@1 | 100.0 % |" in text
    assert "- **full**: no adapters" in text


def test_checkpoint_header_tracks_role_sampling_and_the_adapters(tmp_path: Path) -> None:
    """Rows made with other sampling or other adapters must not be resumed as if comparable."""
    from gpiot.bench.iotbench.checkpoint import open_checkpoint
    from gpiot.bench.iotbench.runner import header
    from gpiot.settings import Settings

    adapters = tmp_path / "adapters"
    adapters.mkdir()
    settings = Settings(adapters_dir=str(adapters))
    first = header(settings, 0.4, "m.gguf")
    assert first["sampling"]["td"]["repeat_penalty"] > 1.0
    assert first["adapters_manifest_sha256"] == ""
    path = tmp_path / "bench.jsonl"
    open_checkpoint(path, first, fresh=False)
    (adapters / "manifest.json").write_text('{"format": 1, "roles": {}}')
    retrained = header(settings, 0.4, "m.gguf")
    assert len(retrained["adapters_manifest_sha256"]) == 64
    with pytest.raises(GpiotError, match="adapters_manifest_sha256"):
        open_checkpoint(path, retrained, fresh=False)
    reported = open_checkpoint(path, retrained, fresh=False, report_only=True)
    assert reported.header["adapters_manifest_sha256"] == ""  # the header its rows were made with


def test_the_system_hash_follows_engine_harness_and_notes_but_not_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that spans sessions resumes only rows made by the same code and notes."""
    from gpiot.bench.iotbench import runner

    package, notes = tmp_path / "server" / "gpiot", tmp_path / "knowledge" / "notes"
    files = {
        package / "pipeline" / "prompts.py": "PROMPT = 'a'\n",
        package / "bench" / "iotbench" / "execute.py": "LIMIT = 30\n",
        package / "bench" / "iotbench" / "report.py": "TITLE = 'x'\n",
        package / "lsp" / "server.py": "NAME = 'gpiot'\n",
        notes / "ecg" / "pan-tompkins.md": "# Pan-Tompkins\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.setattr(runner, "_PACKAGE", package)
    monkeypatch.setattr(runner, "REPO_ROOT", tmp_path)
    monkeypatch.setattr(runner, "NOTES_DIR", notes)
    first = runner.system_sha256()
    assert runner.system_sha256() == first
    for path in (package / "bench" / "iotbench" / "report.py", package / "lsp" / "server.py"):
        path.write_text(path.read_text() + "# edited\n")
        assert runner.system_sha256() == first, path
    seen = {first}
    for path in (
        package / "pipeline" / "prompts.py",
        package / "bench" / "iotbench" / "execute.py",
        notes / "ecg" / "pan-tompkins.md",
    ):
        path.write_text(path.read_text() + "# edited\n")
        seen.add(runner.system_sha256())
    assert len(seen) == 4
