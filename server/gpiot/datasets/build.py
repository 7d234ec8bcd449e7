"""Build tdd.jsonl and cgd.jsonl from the seeds: load, check, augment, check again, write.

``build`` is pure apart from reading the seeds and the benchmark, running the checks in the
sandbox and writing the output files; ``gpiot tune data`` is a thin command over it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gpiot.datasets.augment import (
    cg_augmentations,
    cg_consistency_problems,
    td_augmentations,
    td_consistency_problems,
)
from gpiot.datasets.cgseeds import CgSeed, SeedError, load_cg_seeds
from gpiot.datasets.checks import CheckSample, run_checks
from gpiot.datasets.families import api_note, api_seeds, filter_seeds
from gpiot.datasets.leakage import LeakIndex, benchmark_pieces
from gpiot.datasets.records import CgExample, Record, cg_record, td_record
from gpiot.datasets.tdseeds import TdSeed, load_td_seeds
from gpiot.datasets.wellformed import cg_problems, td_problems

REPO = Path(__file__).resolve().parents[3]
DATASETS = REPO / "knowledge" / "datasets"
BENCHMARK = REPO / "knowledge" / "iotbench"
MAX_API_NOTES = 3
# numpy calls too basic to be worth an API note (D3)
_BASIC = {"numpy.asarray", "numpy.array", "numpy.zeros", "numpy.ones", "numpy.arange", "numpy.abs"}


@dataclass
class BuildReport:
    counts: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)  # "id: reason", seeds and augmentations
    leaks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "counts": self.counts,
            "by_rule": self.by_rule,
            "rejected": self.rejected,
            "leaks": self.leaks,
        }


def _note(report: BuildReport, rule: str, accepted: bool) -> None:
    entry = report.by_rule.setdefault(rule, {"accepted": 0, "rejected": 0})
    entry["accepted" if accepted else "rejected"] += 1


def _td_records(seeds: list[TdSeed], report: BuildReport) -> list[Record]:
    records: list[Record] = []
    for seed in seeds:
        problems = td_problems(seed.decomposition)
        if problems:
            report.rejected.append(f"td/{seed.id}: {problems[0]}")
            continue
        source = f"{seed.file}::{seed.id}"
        records.append(td_record(f"td/{seed.id}", seed.decomposition, source, (), seed.modality))
        for rule, aug in td_augmentations(seed):
            problems = td_consistency_problems(aug, rule) + td_problems(aug.decomposition)
            _note(report, f"td/{rule}", not problems)
            if problems:
                report.rejected.append(f"td/{aug.id}: {problems[0]}")
                continue
            records.append(
                td_record(f"td/{aug.id}", aug.decomposition, source, (rule,), aug.modality)
            )
    return records


def _notes(seed: CgSeed) -> tuple[str, ...]:
    apis = [a for a in seed.apis if a not in _BASIC]
    return tuple(api_note(a) for a in apis[:MAX_API_NOTES])


def _checked(
    candidates: list[tuple[str, CgSeed]],
    report: BuildReport,
    runner: Callable[[list[CheckSample]], list[bool | str]],
) -> list[tuple[str, CgSeed]]:
    """Candidates that are well-formed and whose check passes on their module."""
    ready: list[tuple[str, CgSeed]] = []
    for rule, seed in candidates:
        problems = cg_problems(seed)
        if rule:
            problems = cg_consistency_problems(seed, rule) + problems
        if problems:
            report.rejected.append(f"cg/{seed.id}: {problems[0]}")
            if rule:
                _note(report, f"cg/{rule}", False)
            continue
        ready.append((rule, seed))
    samples = [CheckSample(s.id, s.module, s.check, s.check_name, s.preamble) for _, s in ready]
    passed: list[tuple[str, CgSeed]] = []
    for (rule, seed), outcome in zip(ready, runner(samples), strict=True):
        if rule:
            _note(report, f"cg/{rule}", outcome is True)
        if outcome is True:
            passed.append((rule, seed))
        else:
            report.rejected.append(f"cg/{seed.id}: check failed: {outcome}")
    return passed


def sandbox_runner(samples: list[CheckSample]) -> list[bool | str]:
    return [True if r.passed else r.detail for r in run_checks(samples)]


def load_all_cg_seeds(root: Path = DATASETS) -> list[CgSeed]:
    """The hand-written seed files, then the generated families; ids are unique."""
    seeds = load_cg_seeds(root / "seeds" / "cg", root) + filter_seeds() + api_seeds()
    names = Counter(s.name for s in seeds)
    dupes = sorted(n for n, c in names.items() if c > 1)
    if dupes:
        raise SeedError(f"CG seeds share function names: {', '.join(dupes)}")
    return seeds


def _cg_records(
    seeds: list[CgSeed],
    report: BuildReport,
    runner: Callable[[list[CheckSample]], list[bool | str]],
) -> list[Record]:
    good = [seed for _, seed in _checked([("", s) for s in seeds], report, runner)]
    report.counts["cg_seeds_passing"] = len(good)
    augmented = _checked([a for s in good for a in cg_augmentations(s)], report, runner)
    records: list[Record] = []
    for seed in good:
        source = f"{seed.file}::{seed.name}"
        notes = _notes(seed) if seed.subset == "D2" else ()
        example = CgExample(seed.spec, seed.module, None, notes)
        records.append(cg_record(f"cg/{seed.id}", example, source, seed.subset, (), seed.modality))
        if seed.subset == "D1" and _notes(seed):
            usage = CgExample(seed.spec, seed.module, None, _notes(seed))
            records.append(cg_record(f"cg/{seed.id}/D3", usage, source, "D3", (), seed.modality))
    originals = {s.id: s for s in good}
    for rule, aug in augmented:
        base = originals[aug.id.split("+")[0]]
        example = CgExample(aug.spec, aug.module, None, ())
        source = f"{base.file}::{base.name}"
        records.append(
            cg_record(f"cg/{aug.id}", example, source, base.subset, (rule,), aug.modality)
        )
    return records


def drop_leaks(records: list[Record], index: LeakIndex, report: BuildReport) -> list[Record]:
    kept = []
    for record in records:
        leaks = index.leaks(record.id, f"{record.prompt_text}\n{record.answer}")
        if leaks:
            worst = max(leaks, key=lambda leak: leak.containment)
            report.leaks.append(f"{record.id} ~ {worst.piece} ({worst.containment:.2f})")
        else:
            kept.append(record)
    return kept


def build(
    root: Path = DATASETS,
    bench_root: Path = BENCHMARK,
    runner: Callable[[list[CheckSample]], list[bool | str]] = sandbox_runner,
) -> tuple[list[Record], list[Record], BuildReport]:
    """TD and CG records (seeds, then their accepted augmentations) and what happened."""
    report = BuildReport()
    td_seeds = load_td_seeds(root / "seeds" / "td", root)
    cg_seeds = load_all_cg_seeds(root)
    report.counts["td_seeds"] = len(td_seeds)
    report.counts["cg_seeds"] = len(cg_seeds)
    for subset, n in sorted(Counter(s.subset for s in cg_seeds).items()):
        report.counts[f"cg_seeds_{subset}"] = n
    td = _td_records(td_seeds, report)
    cg = _cg_records(cg_seeds, report, runner)
    index = LeakIndex(benchmark_pieces(bench_root))
    td, cg = drop_leaks(td, index, report), drop_leaks(cg, index, report)
    report.counts["td_records"] = len(td)
    report.counts["td_records_augmented"] = sum(1 for r in td if r.augmentation)
    report.counts["cg_records"] = len(cg)
    report.counts["cg_records_augmented"] = sum(1 for r in cg if r.augmentation)
    for subset, n in sorted(Counter(r.subset for r in cg).items()):
        report.counts[f"cg_records_{subset}"] = n
    return td, cg, report


def write_jsonl(path: Path, records: list[Record]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
    tmp.replace(path)


def write_outputs(root: Path, td: list[Record], cg: list[Record], report: BuildReport) -> None:
    write_jsonl(root / "tdd.jsonl", td)
    write_jsonl(root / "cgd.jsonl", cg)
    (root / "stats.json").write_text(json.dumps(report.to_dict(), indent=2) + "\n", "utf-8")
