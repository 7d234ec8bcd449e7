"""`gpiot bench iot`: the --subset task selection and the report folder (JSON, Markdown, plots)
on fake tasks and a tiny synthetic set of checkpoint rows."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from gpiot.bench.iotbench.command import add_arguments, select_tasks
from gpiot.bench.iotbench.configs import select_configs
from gpiot.bench.iotbench.report import (
    CATEGORIES_PLOT,
    METRICS_PLOT,
    build_report,
    write_report,
)
from gpiot.bench.iotbench.tasks import Benchmark, load_benchmark

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CATEGORIES = ("anomaly", "counting", "edge", "filtering", "hrv", "ppg", "spectral", "windowing")

# -- --subset -------------------------------------------------------------------------------------


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(list(argv))


def _fake_benchmark() -> Benchmark:
    """8 categories × 3 spec tasks (ids sorted so that a plain prefix would take one category),
    10 TD tasks over 3 modalities, 2 apps."""
    spec = [SimpleNamespace(id=f"{cat}_{i}", category=cat) for cat in CATEGORIES for i in range(3)]
    td = [
        SimpleNamespace(id=f"td_{i:02d}", modality=("ecg", "imu", "ppg")[i % 3]) for i in range(10)
    ]
    apps = [SimpleNamespace(id=f"app_{i}") for i in range(2)]
    return Benchmark(spec, td, apps)  # fakes: the selection reads only id, category, modality


def test_quick_subset_takes_6_spec_tasks_of_distinct_categories_4_td_no_apps_1_sample() -> None:
    selected, samples = select_tasks(_fake_benchmark(), _args("--subset", "quick"))
    assert samples == 1
    assert len(selected.spec) == 6
    assert len({t.category for t in selected.spec}) == 6
    assert len(selected.decomposition) == 4
    assert len({t.modality for t in selected.decomposition}) == 3  # spread over modalities
    assert selected.apps == []
    # deterministic: the same selection every time
    again, _ = select_tasks(_fake_benchmark(), _args("--subset", "quick"))
    assert [t.id for t in again.spec] == [t.id for t in selected.spec]
    assert [t.id for t in again.decomposition] == [t.id for t in selected.decomposition]


def test_full_subset_is_the_default_and_takes_everything_with_5_samples() -> None:
    selected, samples = select_tasks(_fake_benchmark(), _args())
    assert samples == 5
    assert (len(selected.spec), len(selected.decomposition), len(selected.apps)) == (24, 10, 2)
    assert _args().subset == "full"
    # spec tasks run round-robin over categories: a run stopped after 8 tasks covered all 8
    assert {t.category for t in selected.spec[:8]} == set(CATEGORIES)


def test_explicit_options_override_the_quick_subset() -> None:
    bench = _fake_benchmark()
    selected, samples = select_tasks(bench, _args("--subset", "quick", "--samples", "3"))
    assert samples == 3 and len(selected.spec) == 6 and len(selected.decomposition) == 4
    selected, _ = select_tasks(bench, _args("--subset", "quick", "--limit", "2"))
    assert (len(selected.spec), len(selected.decomposition), len(selected.apps)) == (2, 2, 0)
    selected, _ = select_tasks(bench, _args("--subset", "quick", "--kinds", "spec"))
    assert len(selected.spec) == 6 and selected.decomposition == [] and selected.apps == []
    selected, _ = select_tasks(bench, _args("--subset", "quick", "--kinds", "app"))
    assert [a.id for a in selected.apps] == ["app_0"]
    wanted = "anomaly_0,anomaly_1,anomaly_2,counting_0,counting_1,counting_2,edge_0"
    selected, samples = select_tasks(bench, _args("--subset", "quick", "--tasks", wanted))
    assert {t.id for t in selected.spec} == set(wanted.split(",")) and samples == 1


def test_quick_subset_on_the_real_benchmark_covers_6_categories() -> None:
    selected, samples = select_tasks(load_benchmark(), _args("--subset", "quick"))
    assert samples == 1 and selected.apps == []
    assert len({t.category for t in selected.spec}) == len(selected.spec) == 6
    assert len(selected.decomposition) == 4


# -- report folder --------------------------------------------------------------------------------


def _spec_row(config: str, task: str, category: str, sample: int, passed: bool) -> dict[str, Any]:
    return {
        "config": config,
        "kind": "spec",
        "task": task,
        "sample": sample,
        "category": category,
        "passed": passed,
        "executable": True,
        "uses_method": passed,
        "lines": 10,
        "lint_findings": 1,
        "embedding_similarity": 0.5,
        "wall_s": 2.0,
    }


def _report(with_spec: bool = True) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    if with_spec:
        for config, offset in (("base", 0), ("base+repair", 1)):
            rows += [
                _spec_row(config, "t1", "filtering", s, (s + offset) % 2 == 0) for s in range(2)
            ]
            rows += [_spec_row(config, "t2", "hrv", s, offset == 1) for s in range(2)]
    rows.append(
        {
            "config": "td:base",
            "kind": "td",
            "task": "d1",
            "sample": 0,
            "format_ok": True,
            "bleu4": 0.2,
            "completeness": 0.5,
        }
    )
    context = {"command": "gpiot bench iot --subset quick", "subset": "quick", "samples": 1}
    return build_report(rows, select_configs("base,base+repair"), {}, context)


def test_report_folder_holds_json_markdown_and_both_plots(tmp_path: Path) -> None:
    folder = tmp_path / "report"
    written = write_report(_report(), folder)
    names = {p.name for p in written}
    assert names == {"iotbench.json", "iotbench.md", METRICS_PLOT, CATEGORIES_PLOT}
    data = json.loads((folder / "iotbench.json").read_text())
    assert data["subset"] == "quick"
    assert data["results"]["base+repair"]["spec"]["by_category"]["hrv"]["pass@1"] == 1.0
    for plot in (METRICS_PLOT, CATEGORIES_PLOT):
        content = (folder / plot).read_bytes()
        assert content.startswith(PNG_SIGNATURE) and len(content) > 1000
    markdown = (folder / "iotbench.md").read_text()
    assert "- subset: quick" in markdown
    assert f"]({METRICS_PLOT})" in markdown and f"]({CATEGORIES_PLOT})" in markdown


def test_no_category_plot_without_spec_results(tmp_path: Path) -> None:
    (tmp_path / CATEGORIES_PLOT).write_bytes(PNG_SIGNATURE)  # left over from an earlier run
    written = write_report(_report(with_spec=False), tmp_path)
    assert {p.name for p in written} == {"iotbench.json", "iotbench.md", METRICS_PLOT}
    assert not (tmp_path / CATEGORIES_PLOT).exists()
    markdown = (tmp_path / "iotbench.md").read_text()
    assert CATEGORIES_PLOT not in markdown
    assert "No plot of pass@1 by category: no spec-level results." in markdown
    assert f"]({METRICS_PLOT})" in markdown


def test_no_plots_when_nothing_was_measured(tmp_path: Path) -> None:
    report = build_report([], select_configs("base"), {}, {"subset": "full"})
    written = write_report(report, tmp_path)
    assert {p.name for p in written} == {"iotbench.json", "iotbench.md"}
    assert not list(tmp_path.glob("*.png"))
    assert "No plot of the metrics per configuration" in (tmp_path / "iotbench.md").read_text()


@pytest.mark.parametrize("bad", [["--samples", "0"], ["--kinds", "spec,video"]])
def test_bad_selection_options_are_refused(bad: list[str]) -> None:
    from gpiot.errors import GpiotError

    with pytest.raises(GpiotError):
        select_tasks(_fake_benchmark(), _args("--subset", "quick", *bad))


def test_report_only_needs_neither_adapters_nor_the_knowledge_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run in progress holds the embedded index open; the report of its rows so far must still
    include the configurations that use retrieval and adapters."""
    from gpiot.cli import main

    task = load_benchmark().spec[0]
    checkpoint, folder = tmp_path / "iotbench.jsonl", tmp_path / "report"
    rows = [{"key": f"full|spec|{task.id}|0", **_spec_row("full", task.id, task.category, 0, True)}]
    rows[0]["host"] = "Test CPU, 2 threads"
    checkpoint.write_text(json.dumps({"header": {"format": 1}}) + "\n" + json.dumps(rows[0]) + "\n")
    monkeypatch.setenv("GPIOT_ADAPTERS_DIR", str(tmp_path / "no-adapters"))
    monkeypatch.setenv("GPIOT_KNOWLEDGE_STORE", str(tmp_path / "no-index"))
    argv = [
        "bench", "iot", "--report-only", "--configs", "full", "--kinds", "spec",
        "--tasks", task.id, "--samples", "1", "--checkpoint", str(checkpoint),
        "--report", str(folder),
    ]  # fmt: skip
    assert main(argv) == 0
    data = json.loads((folder / "iotbench.json").read_text())
    assert data["skipped"] == {}
    assert data["results"]["full"]["spec"]["pass@1"] == 1.0
    assert not (tmp_path / "no-index").exists()  # nothing was opened or created
    assert "- rows made on: Test CPU, 2 threads (1)" in (folder / "iotbench.md").read_text()
