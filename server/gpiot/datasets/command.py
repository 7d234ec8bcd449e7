"""``gpiot tune data``: build knowledge/datasets/tdd.jsonl and cgd.jsonl from the seeds."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gpiot.datasets.build import BENCHMARK, DATASETS, build, write_outputs
from gpiot.datasets.cgseeds import SeedError
from gpiot.errors import GpiotError


def add_data_parser(tune: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = tune.add_parser("data", help="build the TDD and CGD training sets from the seeds")
    p.add_argument("--root", default=str(DATASETS), help="datasets folder (seeds/ inside)")
    p.add_argument("--bench", default=str(BENCHMARK), help="benchmark folder (leakage check)")
    p.add_argument("--json", action="store_true", help="print the build report as JSON")
    p.set_defaults(func=cmd_tune_data)


def cmd_tune_data(args: argparse.Namespace) -> int:
    root = Path(args.root)
    try:
        td, cg, report = build(root, Path(args.bench))
    except SeedError as exc:
        raise GpiotError(f"bad seed: {exc.message}", "fix the seed file named") from exc
    write_outputs(root, td, cg, report)
    if args.json:
        print(json.dumps(report.to_dict()))
        return 0
    for key, value in report.counts.items():
        print(f"{key:>24}  {value}")
    print(f"{'rules':>24}  accepted / rejected")
    for rule, entry in report.by_rule.items():
        print(f"{rule:>36}  {entry['accepted']} / {entry['rejected']}")
    print(f"{'leaks dropped':>24}  {len(report.leaks)}")
    print(f"wrote {root / 'tdd.jsonl'}, {root / 'cgd.jsonl'}, {root / 'stats.json'}")
    return 0
