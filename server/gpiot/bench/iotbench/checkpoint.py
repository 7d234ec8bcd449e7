"""The JSONL checkpoint: one line per finished (config, kind, task, sample), appended as it ends.

The first line is a header with the settings that make results comparable (model, seed,
sampling, repair attempts, …). A killed run leaves at most one partial line at the end, which is
ignored; ``--resume`` then skips every unit whose row is present (and whose task file has not
changed since), ``--fresh`` starts a new file. Rows for the same unit override earlier ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from gpiot.errors import GpiotError

FORMAT: Final = 1


def unit_key(config: str, kind: str, task: str, sample: int) -> str:
    return f"{config}|{kind}|{task}|{sample}"


@dataclass
class Checkpoint:
    path: Path
    header: dict[str, Any]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)  # unit key → latest row
    ignored_lines: int = 0
    # The machine each new row is made on: a run that spans sessions may move between hosts, and
    # its cost numbers are only comparable per host (the header leaves the host out so it resumes).
    host: str = ""

    def done(self, key: str, task_hash: str) -> bool:
        row = self.rows.get(key)
        return row is not None and row.get("task_hash") == task_hash

    def append(self, row: dict[str, Any]) -> None:
        """Write one finished unit; flushed and synced so a kill loses at most this line."""
        key = unit_key(row["config"], row["kind"], row["task"], row["sample"])
        row = {"key": key, **row}
        if self.host:
            row.setdefault("host", self.host)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row, default=str) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.rows[key] = row

    def select(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        return [self.rows[k] for k in keys if k in self.rows]


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = sorted(set(old) | set(new))
    return [f"{k}: {old.get(k)!r} → {new.get(k)!r}" for k in keys if old.get(k) != new.get(k)]


def parse_lines(
    lines: Iterable[str],
) -> tuple[dict[str, Any] | None, dict[str, dict[str, Any]], int]:
    """(header, rows by key, number of unreadable lines) from a checkpoint's lines."""
    header: dict[str, Any] | None = None
    rows: dict[str, dict[str, Any]] = {}
    bad = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError:  # a line cut short by a kill
            bad += 1
            continue
        if not isinstance(data, dict):
            bad += 1
        elif "header" in data and header is None:
            header = dict(data["header"])
        elif isinstance(data.get("key"), str):
            rows[data["key"]] = data
        else:
            bad += 1
    return header, rows, bad


def open_checkpoint(
    path: Path, header: dict[str, Any], *, fresh: bool, report_only: bool = False
) -> Checkpoint:
    """Start or resume the checkpoint at ``path`` for a run with ``header``'s settings.

    ``report_only`` reads a checkpoint written with other settings too: its rows are reported
    under the header they were made with, and nothing is added to it."""
    header = {"format": FORMAT, **header}
    path.parent.mkdir(parents=True, exist_ok=True)
    if fresh and path.exists():
        path.replace(path.with_suffix(path.suffix + ".old"))
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            old, rows, bad = parse_lines(handle)
        if old is None:
            raise GpiotError(
                f"{path} is not an IoTBench checkpoint (no header line)", "use --fresh"
            )
        if report_only:
            return Checkpoint(path, old, rows, bad)
        changed = differences(old, header)
        if changed:
            raise GpiotError(
                f"{path} was written with other settings ({'; '.join(changed)})",
                "rerun with the same settings, or use --fresh (keeps the old file as .old)",
            )
        _ensure_newline(path)
        return Checkpoint(path, header, rows, bad)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"header": header}) + "\n")
    return Checkpoint(path, header)


def _ensure_newline(path: Path) -> None:
    """After a kill mid-line, the next row must start on a line of its own."""
    with path.open("rb+") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell() == 0:
            return
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) != b"\n":
            handle.write(b"\n")
