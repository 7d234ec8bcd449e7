"""Aggregate checkpoint rows into the report: a printed table, and a report folder with JSON,
Markdown and PNG plots."""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from rich.console import Console
from rich.table import Table

from gpiot.bench.iotbench import metrics
from gpiot.bench.iotbench.configs import BenchConfig

PASS_K: Final = (1, 5)
REPORT_JSON: Final = "iotbench.json"
REPORT_MARKDOWN: Final = "iotbench.md"
METRICS_PLOT: Final = "iotbench-metrics.png"
CATEGORIES_PLOT: Final = "iotbench-categories.png"


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def summarise_spec(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """CG metrics of one configuration's spec-task rows."""
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_task[row["task"]].append(row)
    per_task: dict[str, dict[str, Any]] = {}
    for task, samples in sorted(by_task.items()):
        n, c = len(samples), sum(bool(s.get("passed")) for s in samples)
        per_task[task] = {
            "category": samples[0].get("category"),
            "n": n,
            "c": c,
            **{f"pass@{k}": metrics.pass_at_k(n, c, k) for k in PASS_K},
        }
    summary: dict[str, Any] = {
        "tasks": len(per_task),
        "samples": len(rows),
        "samples_per_task_min": min((t["n"] for t in per_task.values()), default=0),
    }
    for k in PASS_K:
        values = [t[f"pass@{k}"] for t in per_task.values() if t[f"pass@{k}"] is not None]
        summary[f"pass@{k}"] = _r(metrics.mean(values))
        summary[f"pass@{k}_tasks"] = len(values)
    summary["executability"] = _r(metrics.rate(bool(r.get("executable")) for r in rows))
    summary["method_rate"] = _r(metrics.rate(bool(r.get("uses_method")) for r in rows))
    summary["embedding_similarity"] = _r(metrics.mean(r.get("embedding_similarity") for r in rows))
    linted = [r for r in rows if r.get("lint_findings") is not None and r.get("lines")]
    lines = sum(int(r["lines"]) for r in linted)
    summary["lint_per_100_lines"] = (
        _r(100 * sum(int(r["lint_findings"]) for r in linted) / lines, 2) if lines else None
    )
    codes = Counter(code for r in linted for code in r.get("lint_codes") or [])
    summary["lint_top_codes"] = dict(codes.most_common(5))
    summary["validated_rate"] = _r(metrics.rate(bool(r.get("validated")) for r in rows))
    summary["mean_attempts"] = _r(metrics.mean(r.get("attempts") for r in rows), 2)
    summary["errors"] = sum(1 for r in rows if r.get("error"))
    categories: dict[str, list[float]] = defaultdict(list)
    for entry in per_task.values():
        categories[str(entry["category"])].append(float(entry["pass@1"]))
    summary["by_category"] = {
        cat: {"tasks": len(v), "pass@1": _r(sum(v) / len(v))}
        for cat, v in sorted(categories.items())
    }
    summary["per_task"] = per_task
    summary["cost"] = cost(rows)
    return summary


def summarise_td(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tasks": len(rows),
        "format_correctness": _r(metrics.rate(bool(r.get("format_ok")) for r in rows)),
        "bleu4": _r(metrics.mean(r.get("bleu4") for r in rows)),
        "completeness": _r(metrics.mean(r.get("completeness") for r in rows)),
        "best_similarity_mean": _r(metrics.mean(r.get("best_similarity_mean") for r in rows)),
        "mean_subtasks": _r(metrics.mean(len(r.get("subtasks") or []) for r in rows), 2),
        "cost": cost(rows),
    }


def summarise_apps(rows: list[dict[str, Any]]) -> dict[str, Any]:
    apps = {
        r["task"]: {
            "ran": bool(r.get("ran")),
            "scores": r.get("scores") or {},
            "validated_subtasks": r.get("validated"),
            "subtasks": len(r.get("subtasks") or []),
            "detail": r.get("detail", ""),
            "input_mapping": r.get("input_mapping"),
            "output_mapping": r.get("output_mapping"),
            "seconds": r.get("seconds"),
        }
        for r in rows
    }
    return {
        "apps": len(apps),
        "ran_rate": _r(metrics.rate(a["ran"] for a in apps.values())),
        "per_app": apps,
        "cost": cost(rows),
    }


def cost(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Wall time per stage, tokens per role and peak memory of a set of rows."""
    stages: dict[str, float] = defaultdict(float)
    tokens: dict[str, int] = defaultdict(int)
    wall, peak, child, count = 0.0, 0.0, 0.0, 0
    for row in rows:
        count += 1
        wall += float(row.get("wall_s") or 0.0)
        for stage, seconds in (row.get("seconds") or {}).items():
            stages[stage] += float(seconds)
        for role, used in (row.get("tokens") or {}).items():
            tokens[role] += int(used.get("generated_tokens", 0))
        rss = row.get("peak_rss") or {}
        peak = max(peak, float(rss.get("harness_mib", 0.0)))
        child = max(child, float(rss.get("largest_child_mib", 0.0)))
    return {
        "units": count,
        "wall_s": round(wall, 1),
        "wall_s_per_unit": round(wall / count, 2) if count else None,
        "stage_s": {k: round(v, 1) for k, v in sorted(stages.items())},
        "generated_tokens": dict(sorted(tokens.items())),
        "generated_tokens_per_unit": round(sum(tokens.values()) / count, 1) if count else None,
        "peak_rss_mib": round(peak, 1),
        "peak_child_rss_mib": round(child, 1),
    }


def build_report(
    rows: list[dict[str, Any]],
    configs: list[BenchConfig],
    skipped: dict[str, str],
    context: dict[str, Any],
) -> dict[str, Any]:
    """The report's JSON: per configuration CG, TD, app and cost summaries, plus provenance."""
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by[(row["config"], row["kind"])].append(row)
    results: dict[str, Any] = {}
    for config in configs:
        if config.name in skipped:
            continue
        results[config.name] = {
            "description": config.description,
            "components": {
                "retrieval": config.retrieval,
                "adapters": config.adapters,
                "validation": config.validation,
                "repair": config.repair,
            },
            "spec": summarise_spec(by[(config.name, "spec")]),
            "td": {"group": config.td_group, **summarise_td(by[(config.td_group, "td")])},
            "apps": summarise_apps(by[(config.name, "app")]),
        }
    return {**context, "skipped": skipped, "results": results}


def _fmt(value: Any, percent: bool = False) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if percent:
            return f"{100 * value:.1f} %"
        return (
            f"{value:.0f}"
            if abs(value) >= 100
            else f"{value:.1f}"
            if abs(value) >= 10
            else (f"{value:.3f}")
        )
    return str(value)


ROWS: Final = (  # (label, section, key, as percent)
    ("spec tasks × samples", "spec", "samples", False),
    ("pass@1", "spec", "pass@1", True),
    ("pass@5", "spec", "pass@5", True),
    ("executability", "spec", "executability", True),
    ("IoT-method rate", "spec", "method_rate", True),
    ("code embedding similarity", "spec", "embedding_similarity", False),
    ("lint findings / 100 lines", "spec", "lint_per_100_lines", False),
    ("passed the pipeline's checks", "spec", "validated_rate", True),
    ("CG attempts per sample", "spec", "mean_attempts", False),
    ("TD tasks", "td", "tasks", False),
    ("TD format correctness", "td", "format_correctness", True),
    ("TD BLEU-4", "td", "bleu4", False),
    ("TD sub-task completeness", "td", "completeness", True),
    ("apps", "apps", "apps", False),
    ("apps that ran", "apps", "ran_rate", True),
)


def table_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    names = list(report["results"])
    body: list[list[str]] = []
    present = {
        section
        for section, count in (("spec", "samples"), ("td", "tasks"), ("apps", "apps"))
        if any(report["results"][n][section].get(count) for n in names)
    }
    for label, section, key, percent in ROWS:
        if section not in present:
            continue
        body.append(
            [label, *(_fmt(report["results"][n][section].get(key), percent) for n in names)]
        )
    for label, key in (
        ("CG seconds / sample", "wall_s_per_unit"),
        ("CG tokens / sample", "generated_tokens_per_unit"),
    ):
        body.append([label, *(_fmt(report["results"][n]["spec"]["cost"][key]) for n in names)])
    return names, body


def print_report(report: dict[str, Any], console: Console) -> None:
    names, body = table_rows(report)
    subset = report.get("subset")
    table = Table(title=f"IoTBench ({subset} subset)" if subset else "IoTBench")
    table.add_column("metric")
    for name in names:
        table.add_column(name, justify="right")
    for row in body:
        table.add_row(*row)
    console.print(table)
    for name, reason in report["skipped"].items():
        console.print(f"[yellow]skipped[/] {name}: {reason}")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return lines


METHOD: Final = """\
## How it is measured

- **Subset**: `--subset full` runs every task with 5 samples per spec task; `--subset
  quick` is a smoke check of about 15 minutes per configuration on 2 cores: 6 spec tasks from
  different categories, 4 TD tasks from different modalities, no applications, 1 sample (so no
  pass@5). Options given explicitly (`--samples`, `--limit`, `--tasks`, `--kinds`) override it.
- **Spec-level tasks** (`knowledge/iotbench/spec/`): CG gets the task's spec and writes the
  function (`gpiot.pipeline.stages.generate_code_samples`, the engine's own CG with its grammar
  and repair loop). The *best attempt* is scored: the validated code, or else the attempt that
  got furthest in validation (one that runs beats one that imports, which beats one that does not
  parse; then fewer problems). Each task is sampled *n* times at temperature {temperature}
  (seed = settings seed + sample index); the product's greedy default would make the samples
  identical. A task's n samples are decoded together in one llama.cpp batch (each with its
  own sampler, grammar and repair feedback; their common prompt prefix is decoded once).
- **pass@k**: the unbiased estimator of Chen et al. (2021), `1 - C(n-c, k) / C(n, k)` per task,
  averaged over tasks; pass@5 only over tasks with n ≥ 5. A sample passes when the task's hidden
  tests (`check(fn)`) pass in a sandboxed child process (the smoke run's limits and audit-hook
  guard; 30 s, 2048 MiB). The harness never imports generated code.
- **Executability**: the module imports and no call the hidden tests make raises (a test failure
  on a wrong value still counts as executable; a timeout or crash does not).
- **IoT-method rate**: the code calls one of the task's `methods`, found statically in the AST
  (`a.b.f(...)` counts as `f`; `from m import f as g` maps `g` back to `f`).
- **Code embedding similarity**: cosine similarity of the generated module and the reference
  function, embedded with {embedder} — a sentence embedder, not a code model, and it reads only
  the first 256 word pieces.
- **Passed the pipeline's checks**: the engine's validation accepted the final attempt —
  static checks only (syntax, spec conformance, imports, undefined names, unsafe calls, library
  calls whose arguments the real signature rejects) where the configuration has no validation,
  plus the sandboxed smoke run where it has.
- **Lint**: findings of `{lint}` per 100 non-blank lines, pooled over samples.
- **TD** (`knowledge/iotbench/decomposition.jsonl`, one greedy decomposition per task and TD
  group): format correctness (the output parses into sub-tasks; TD decodes under a JSON grammar,
  so this is 100 % by construction unless decoding hits its token limit), BLEU-4 of the generated
  versus the reference decomposition (each sub-task's name and steps, one per line, lower-cased,
  words and punctuation as tokens; uniform weights; add-one smoothing for 2- to 4-grams after Lin
  & Och 2004; brevity penalty), and sub-task completeness: the fraction of reference sub-tasks
  whose best-matching generated sub-task has cosine similarity ≥ {threshold} (same embedder, on
  "name. steps").
- **Applications** (`knowledge/iotbench/apps/`): `run_app` (TD → RT → CG → validation) into a
  temporary workspace, then the generated `pipeline.run(...)` on the app's inputs in a sandboxed
  child (300 s, 4096 MiB), scored by the app's `evaluate.py`. Inputs are mapped to `run()`'s
  parameters by exact name, then normalised words, then word overlap, then kind; outputs likewise,
  falling back to the pipeline's last value of a compatible kind (`mapping.py`). "Ran" is recorded
  separately from the score. In every configuration `run_app` writes a module that fails the
  pipeline's static checks as a stub, as the product does.
- **Cost**: wall time per stage, tokens generated per role (counted from every generation through
  the runtime), peak resident memory of the harness and of its largest child. Samples decoded
  together share their batch's wall and model time equally (rows record `batch`), so seconds per
  sample are amortised over the batch, not the latency of one generation.
"""


def render_markdown(report: dict[str, Any], plots: Sequence[PlotFile] = ()) -> str:
    """The Markdown report; ``plots`` (written next to it) are embedded by relative links, and a
    plot that was not drawn is named with the reason."""
    ctx = report
    lines = [
        "# IoTBench report",
        "",
        "Generated by `gpiot bench iot`; do not edit by hand (rerun the command below).",
        "",
        f"- command: `{ctx.get('command', '')}`",
        f"- date: {ctx.get('date', '')}",
        f"- machine: {ctx.get('machine', {}).get('cpu', '')}, "
        f"{ctx.get('machine', {}).get('threads', '')} llama.cpp threads",
        f"- model: {ctx.get('model', '')}",
        f"- subset: {ctx.get('subset') or '—'}",
        f"- tasks: {ctx.get('tasks', {})}; samples per spec task: {ctx.get('samples')}",
        f"- units in this report: {ctx.get('units_reported')} of {ctx.get('units_planned')} "
        "planned",
    ]
    hosts = ctx.get("rows_by_host") or {}
    if hosts:  # a run that spans sessions can move between machines: its costs are per host
        made = "; ".join(f"{host} ({count})" for host, count in sorted(hosts.items()))
        lines.append(f"- rows made on: {made}")
    lines.append("")
    if report["results"]:
        names, body = table_rows(report)
        lines += ["## Results", "", *_md_table(["metric", *names], body), ""]
        categories = sorted(
            {c for r in report["results"].values() for c in r["spec"]["by_category"]}
        )
        if categories:
            rows = [
                [
                    cat,
                    *(
                        _fmt(r["spec"]["by_category"].get(cat, {}).get("pass@1"), True)
                        for r in report["results"].values()
                    ),
                ]
                for cat in categories
            ]
            lines += ["### pass@1 by category", "", *_md_table(["category", *names], rows), ""]
        app_rows = [
            [
                name,
                app,
                "yes" if info["ran"] else "no",
                ", ".join(f"{k} {_fmt(v)}" for k, v in info["scores"].items()) or "—",
                (info["detail"] or "")[:120],
            ]
            for name, r in report["results"].items()
            for app, info in r["apps"]["per_app"].items()
        ]
        if app_rows:
            lines += [
                "### Applications",
                "",
                *_md_table(["config", "app", "ran", "scores", "detail"], app_rows),
                "",
            ]
        cost_rows = [
            [
                name,
                _fmt(r["spec"]["cost"]["wall_s"]),
                _fmt(r["td"]["cost"]["wall_s"]),
                _fmt(r["apps"]["cost"]["wall_s"]),
                _fmt(sum(r["spec"]["cost"]["generated_tokens"].values())),
                _fmt(r["spec"]["cost"]["peak_rss_mib"]),
            ]
            for name, r in report["results"].items()
        ]
        lines += [
            "### Cost",
            "",
            *_md_table(
                ["config", "CG wall s", "TD wall s", "apps wall s", "CG tokens", "peak RSS MiB"],
                cost_rows,
            ),
            "",
        ]
    codes = {name: r["spec"].get("lint_top_codes") or {} for name, r in report["results"].items()}
    if any(codes.values()):
        lines += [
            "Most frequent lint codes: "
            + "; ".join(
                f"{name}: " + ", ".join(f"{c} ×{n}" for c, n in found.items())
                for name, found in codes.items()
                if found
            ),
            "",
        ]
    if plots:
        lines += ["## Plots", ""]
        for plot in plots:
            if plot.skipped is None:
                lines += [f"![{plot.title}]({plot.file})", ""]
            else:
                lines += [f"No plot of {plot.title.lower()}: {plot.skipped}.", ""]
    if report["skipped"]:
        lines += ["## Skipped configurations", ""]
        lines += [f"- **{name}**: {reason}" for name, reason in report["skipped"].items()]
        lines.append("")
    lines.append(
        METHOD.format(
            temperature=ctx.get("settings", {}).get("temperature"),
            embedder=ctx.get("embedder", "the retrieval embedder"),
            lint=ctx.get("settings", {}).get("lint", "ruff"),
            threshold=ctx.get("settings", {}).get("completeness_threshold"),
        )
    )
    return "\n".join(lines)


# -- plots ----------------------------------------------------------------------------------------

PLOT_METRICS: Final = (  # (title, section, key, as percent)
    ("TD format correctness", "td", "format_correctness", True),
    ("TD BLEU-4", "td", "bleu4", False),
    ("TD sub-task completeness", "td", "completeness", True),
    ("CG pass@1", "spec", "pass@1", True),
    ("CG pass@5", "spec", "pass@5", True),
    ("CG executability", "spec", "executability", True),
    ("CG IoT-method rate", "spec", "method_rate", True),
    ("CG code embedding similarity", "spec", "embedding_similarity", False),
    ("CG lint findings / 100 lines", "spec", "lint_per_100_lines", False),
    ("apps that ran", "apps", "ran_rate", True),
)


@dataclass(frozen=True)
class Panel:
    """One metric's bar chart: a value (or None) per configuration."""

    title: str
    percent: bool
    values: dict[str, float | None]


@dataclass(frozen=True)
class PlotFile:
    """A PNG of the report folder, or why it was not drawn (``skipped``)."""

    file: str
    title: str
    skipped: str | None = None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if math.isnan(value) else float(value)


def metric_panels(report: dict[str, Any]) -> list[Panel]:
    """The metrics that have a value for at least one configuration, then each app's own
    scores."""
    results = report["results"]
    panels = [
        Panel(title, percent, {n: _number(r[section].get(key)) for n, r in results.items()})
        for title, section, key, percent in PLOT_METRICS
    ]
    app_scores = sorted(
        {
            (app, metric)
            for r in results.values()
            for app, info in r["apps"]["per_app"].items()
            for metric, value in (info.get("scores") or {}).items()
            if _number(value) is not None
        }
    )
    for app, metric in app_scores:
        values = {
            n: _number(r["apps"]["per_app"].get(app, {}).get("scores", {}).get(metric))
            for n, r in results.items()
        }
        panels.append(Panel(f"{app}: {metric}", False, values))
    return [p for p in panels if any(v is not None for v in p.values.values())]


def category_pass_at_1(report: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """Spec-level pass@1 per category (sorted) and configuration; empty without spec results."""
    results = report["results"]
    categories = sorted({c for r in results.values() for c in r["spec"]["by_category"]})
    return {
        cat: {
            n: _number(r["spec"]["by_category"].get(cat, {}).get("pass@1"))
            for n, r in results.items()
        }
        for cat in categories
    }


def _bar_height(value: float | None, percent: bool) -> float:
    if value is None:
        return math.nan
    return 100 * value if percent else value


def _draw_metrics(panels: list[Panel], path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    columns = min(4, len(panels))
    rows = math.ceil(len(panels) / columns)
    figure = Figure(figsize=(3.4 * columns, 3.2 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False).flatten()
    for ax, panel in zip(axes, panels, strict=False):
        names = list(panel.values)
        positions = list(range(len(names)))
        heights = [_bar_height(v, panel.percent) for v in panel.values.values()]
        bars = ax.bar(
            positions,
            [0.0 if math.isnan(h) else h for h in heights],
            color=[f"C{i % 10}" for i in positions],
        )
        ax.bar_label(
            bars,
            labels=[_fmt(v, panel.percent) for v in panel.values.values()],
            fontsize=7,
            padding=1,
        )
        ax.set_title(panel.title, fontsize=9)
        ax.set_xticks(positions, names, rotation=30, ha="right", fontsize=7)
        ax.tick_params(axis="y", labelsize=7)
        if panel.percent:
            ax.set_ylim(0, 110)
            ax.set_ylabel("%", fontsize=7)
        else:
            ax.margins(y=0.2)
        ax.axhline(0, color="black", linewidth=0.5)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    figure.suptitle("IoTBench: metrics per configuration")
    figure.savefig(path, format="png", dpi=100)


def _draw_categories(table: dict[str, dict[str, float | None]], path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    categories = list(table)
    names = list(next(iter(table.values())))
    width = 0.8 / len(names)
    figure = Figure(
        figsize=(max(6.0, 0.5 * len(categories) * (1 + 0.3 * len(names))), 4.0),
        layout="constrained",
    )
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    for i, name in enumerate(names):
        offset = (i - (len(names) - 1) / 2) * width
        ax.bar(
            [c + offset for c in range(len(categories))],
            [_bar_height(table[cat][name], True) for cat in categories],
            width,
            label=name,
            color=f"C{i % 10}",
        )
    ax.set_xticks(range(len(categories)), categories, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 105)
    ax.set_ylabel("pass@1 (%)")
    ax.grid(axis="y", linewidth=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title("IoTBench: spec-level pass@1 by category")
    figure.savefig(path, format="png", dpi=100)


def write_plots(report: dict[str, Any], folder: Path) -> list[PlotFile]:
    """Draw the metric and category plots into ``folder`` (with matplotlib's Agg backend). A plot
    without data is not drawn, and an old file of that name is removed."""
    panels = metric_panels(report)
    if panels:
        _draw_metrics(panels, folder / METRICS_PLOT)
    table = category_pass_at_1(report)
    if table:
        _draw_categories(table, folder / CATEGORIES_PLOT)
    outcomes = [
        PlotFile(
            METRICS_PLOT,
            "the metrics per configuration",
            None if panels else "no configuration has results yet",
        ),
        PlotFile(CATEGORIES_PLOT, "pass@1 by category", None if table else "no spec-level results"),
    ]
    for plot in outcomes:
        if plot.skipped is not None:
            (folder / plot.file).unlink(missing_ok=True)
    return outcomes


def write_report(report: dict[str, Any], folder: Path) -> list[Path]:
    """Write ``iotbench.json``, ``iotbench.md`` and the PNG plots into ``folder``; returns the
    paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    plots = write_plots(report, folder)
    json_path, markdown_path = folder / REPORT_JSON, folder / REPORT_MARKDOWN
    json_path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    markdown_path.write_text(render_markdown(report, plots), encoding="utf-8")
    return [json_path, markdown_path, *(folder / p.file for p in plots if p.skipped is None)]
