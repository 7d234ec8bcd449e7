"""The real corpus: every note parses and follows the format; labels name real notes."""

from __future__ import annotations

from collections import Counter

from gpiot.retrieval.corpus import EVAL_DIR, MODALITIES, NOTES_DIR, load_notes
from gpiot.retrieval.evaluate import check_labels, load_queries

REQUIRED_SECTIONS = ("Summary", "Steps", "Parameters", "Implementation notes", "Pitfalls")


def test_every_note_parses() -> None:
    load = load_notes(NOTES_DIR)
    assert [str(e) for e in load.errors] == []
    assert len(load.notes) >= 80  # the minimum corpus


def test_every_note_has_the_contract_sections_and_references() -> None:
    problems = []
    for note in load_notes(NOTES_DIR).notes:
        titles = {s.title for s in note.sections}
        missing = [s for s in REQUIRED_SECTIONS if s not in titles]
        if missing:
            problems.append(f"{note.source}: lacks {', '.join(missing)}")
        if not note.references:
            problems.append(f"{note.source}: no references")
    assert problems == []


def test_every_modality_is_covered() -> None:
    counts = Counter(n.modality for n in load_notes(NOTES_DIR).notes)
    assert [m for m in MODALITIES if counts[m] == 0] == []


def test_every_labelled_query_names_existing_notes() -> None:
    queries, problems = load_queries(EVAL_DIR)
    assert problems == []
    assert len(queries) >= 60  # the minimum labelled set
    ids = {n.id for n in load_notes(NOTES_DIR).notes}
    assert check_labels(queries, ids) == []
    assert {q.modality for q in queries} <= set(MODALITIES)
