"""Chunks with content-derived ids and the incremental plan (pure logic; no embedder, no store)."""

import dataclasses

from gpiot.retrieval.chunks import Chunk, api_mentions, compact, note_chunks
from gpiot.retrieval.corpus import parse_note
from gpiot.retrieval.index import plan_update
from gpiot.retrieval.store import store_location
from gpiot.settings import Settings

NOTE = """---
id: imu-step-counting
title: Step counting from a wrist accelerometer
modality: imu
task: step counting
tags: [steps, pedometer]
parameters:
  band_pass_hz: "0.5-3"
---
## Summary
Step counting finds steps in the acceleration magnitude.

## Steps
1. Magnitude, band-pass 0.5-3 Hz, then peaks at least 0.3 s apart.
"""
SOURCE = "knowledge/notes/imu/imu-step-counting.md"
EMBEDDER = "test-embedder"


def _chunks(text: str = NOTE) -> list[Chunk]:
    return note_chunks([parse_note(text, SOURCE)])


def test_one_card_plus_one_chunk_per_section_with_payloads() -> None:
    chunks = _chunks()
    assert [c.key for c in chunks] == [f"{SOURCE}#", f"{SOURCE}#summary", f"{SOURCE}#steps"]
    steps = chunks[2].payload
    assert steps["note_id"] == "imu-step-counting"
    assert steps["modality"] == "imu" and steps["task"] == "step counting"
    assert steps["section"] == "Steps" and steps["source"] == f"{SOURCE}#steps"
    assert steps["tags"] == ["steps", "pedometer"]
    assert steps["parameters"] == "band_pass_hz=0.5-3"
    assert chunks[0].payload["source"] == f"{SOURCE}#summary"  # the card points at the summary
    assert "Step counting from a wrist accelerometer" in chunks[2].dense_text


def test_point_ids_are_stable_and_follow_content() -> None:
    first, again = _chunks(), _chunks()
    assert [c.point_id(EMBEDDER) for c in first] == [c.point_id(EMBEDDER) for c in again]
    assert len({c.point_id(EMBEDDER) for c in first}) == len(first)
    edited = _chunks(NOTE.replace("at least 0.3 s apart", "at least 0.25 s apart"))
    changed = [
        a.key
        for a, b in zip(first, edited, strict=True)
        if a.point_id(EMBEDDER) != b.point_id(EMBEDDER)
    ]
    assert changed == [f"{SOURCE}#steps"]
    assert first[0].point_id("another-embedder") != first[0].point_id(EMBEDDER)


def test_payload_changes_change_the_id() -> None:
    chunk = _chunks()[1]
    moved = dataclasses.replace(chunk, payload={**chunk.payload, "modality": "ppg"})
    assert moved.point_id(EMBEDDER) != chunk.point_id(EMBEDDER)


def _pairs(chunks: list[Chunk]) -> list[tuple[str, Chunk]]:
    return [(c.point_id(EMBEDDER), c) for c in chunks]


def test_first_build_embeds_everything() -> None:
    plan = plan_update(_pairs(_chunks()), set())
    assert len(plan.embed) == 3 and plan.keep == 0 and plan.remove == []


def test_nothing_changed_embeds_nothing() -> None:
    wanted = _pairs(_chunks())
    plan = plan_update(wanted, {i for i, _ in wanted})
    assert plan.embed == [] and plan.keep == 3 and plan.remove == []


def test_an_edited_section_is_embedded_and_its_old_version_removed() -> None:
    old = _pairs(_chunks())
    new = _pairs(_chunks(NOTE.replace("0.3 s", "0.25 s")))
    plan = plan_update(new, {i for i, _ in old})
    assert [c.key for _, c in plan.embed] == [f"{SOURCE}#steps"]
    assert plan.keep == 2
    assert plan.remove == [old[2][0]]


def test_a_deleted_note_removes_all_its_chunks() -> None:
    old = _pairs(_chunks())
    plan = plan_update([], {i for i, _ in old} | {"other"})
    assert plan.embed == [] and plan.keep == 0
    assert plan.remove == sorted([i for i, _ in old] + ["other"])


def test_duplicate_chunks_are_planned_once() -> None:
    wanted = _pairs(_chunks())
    plan = plan_update(wanted + wanted, set())
    assert len(plan.embed) == 3


def test_compact_cuts_at_a_word_boundary() -> None:
    assert compact("a  b\n\n c", 100) == "a b c"
    assert compact("alpha beta gamma delta", 12) == "alpha beta …"


def test_store_location_from_settings(tmp_path: object) -> None:
    default = store_location(Settings(cache_dir="/tmp/cache"))
    assert default.is_local and default.where == "/tmp/cache/knowledge"
    folder = store_location(Settings(knowledge_store="/srv/kb"))
    assert folder.is_local and folder.where == "/srv/kb"
    server = store_location(
        Settings(knowledge_store="https://qdrant.example:6333", knowledge_api_key="k")
    )
    assert server.kind == "server" and server.api_key == "k"
    assert "Qdrant server" in server.describe()


def test_api_mentions_are_normalised_and_bare_names_come_from_code_spans() -> None:
    text = (
        "Use `scipy.signal.butter(2, [5, 15], output='sos')` and `sosfiltfilt`, then "
        "`np.diff(idx) / fs`; split with `GroupKFold`. Plain prose words like filter are not "
        "names, and `int(0.2*fs)` is a builtin."
    )
    assert api_mentions(text) == [
        "scipy.signal.butter",
        "numpy.diff",
        "butter",
        "sosfiltfilt",
        "diff",
        "GroupKFold",
    ]


def test_every_chunk_of_a_note_carries_its_api_mentions() -> None:
    chunks = _chunks(NOTE.replace("then peaks", "then `scipy.signal.find_peaks`"))
    assert all(c.payload["apis"] == ["scipy.signal.find_peaks"] for c in chunks)
