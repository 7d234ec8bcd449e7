"""Knowledge notes: front matter, ``## `` sections, and errors that name the file."""

from pathlib import Path

import pytest

from gpiot.retrieval.corpus import load_notes, parse_note, slug, split_front_matter, split_sections
from gpiot.retrieval.errors import NoteError

NOTE = """---
id: ecg-pan-tompkins
title: Pan-Tompkins QRS detection
modality: ecg
task: beat detection            # a trailing comment
tags: [qrs, r-peak]
parameters:
  band_pass_hz: "5-15"
  refractory_ms: 200
references:
  - "Pan J, Tompkins WJ. A real-time QRS detection algorithm. 1985."
---
# Pan-Tompkins

## Summary
Pan-Tompkins finds QRS complexes.

## Steps
1. Band-pass 5-15 Hz.

```python
## not a heading inside code
x = 1
```

## Pitfalls
- Samples vs seconds.
"""


def test_front_matter_and_sections_are_parsed() -> None:
    note = parse_note(NOTE, "knowledge/notes/ecg/ecg-pan-tompkins.md")
    assert note.id == "ecg-pan-tompkins"
    assert note.task == "beat detection"
    assert note.tags == ("qrs", "r-peak")
    assert note.parameters == (("band_pass_hz", "5-15"), ("refractory_ms", "200"))
    assert note.parameter_line() == "band_pass_hz=5-15; refractory_ms=200"
    assert len(note.references) == 1
    assert [s.anchor for s in note.sections] == ["summary", "steps", "pitfalls"]
    steps = note.section("steps")
    assert steps is not None and "## not a heading inside code" in steps.text


def test_text_before_the_first_section_becomes_an_overview() -> None:
    sections = split_sections("# Title\nSome intro.\n\n## Steps\n1. a\n")
    assert [(s.title, s.text) for s in sections] == [("Overview", "Some intro."), ("Steps", "1. a")]


def test_repeated_headings_get_unique_anchors_and_empty_sections_are_dropped() -> None:
    sections = split_sections("## Notes\na\n## Notes\nb\n## Empty\n\n## Implementation notes\nc\n")
    assert [s.anchor for s in sections] == ["notes", "notes-1", "implementation-notes"]


def test_slug_matches_github_anchors() -> None:
    assert slug("Implementation notes") == "implementation-notes"
    assert slug("Pitfalls (units!)") == "pitfalls-units"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no front matter\n## Summary\nx\n", "no front matter"),
        ("---\nid: x\n## Summary\n", "not closed"),
        ("---\nid: [unclosed\n---\n## Summary\nx\n", "not valid YAML"),
        ("---\n- a list\n---\n## Summary\nx\n", "must be a mapping"),
        ("---\nid: ecg-x\ntitle: X\nmodality: ecg\n---\n## Summary\nx\n", "lacks task"),
        ("---\nid: Ecg_X\ntitle: X\nmodality: ecg\ntask: t\n---\n## S\nx\n", "kebab-case"),
        ("---\nid: ecg-x\ntitle: X\nmodality: sonar\ntask: t\n---\n## S\nx\n", "unknown modality"),
        ("---\nid: ecg-x\ntitle: X\nmodality: ecg\ntask: t\n---\n", "no '## ' sections"),
    ],
)
def test_bad_notes_are_reported_with_the_file_name(text: str, fragment: str) -> None:
    name = "knowledge/notes/ecg/ecg-x.md"
    with pytest.raises(NoteError) as caught:
        parse_note(text, name)
    assert caught.value.message.startswith(name)
    assert fragment in str(caught.value)


def test_id_must_match_the_file_name_and_modality_the_folder() -> None:
    with pytest.raises(NoteError, match="differs from the file name"):
        parse_note(NOTE, "knowledge/notes/ecg/pan-tompkins.md")
    with pytest.raises(NoteError, match="differs from its folder"):
        parse_note(NOTE, "knowledge/notes/imu/ecg-pan-tompkins.md")


def test_front_matter_keeps_the_body() -> None:
    data, body = split_front_matter("---\nid: a\n---\n## S\ntext\n", "n.md")
    assert data == {"id": "a"}
    assert body.strip() == "## S\ntext"


def test_load_notes_indexes_the_rest_when_one_note_is_bad(tmp_path: Path) -> None:
    notes = tmp_path / "knowledge" / "notes"
    (notes / "ecg").mkdir(parents=True)
    (notes / "ecg" / "ecg-pan-tompkins.md").write_text(NOTE)
    (notes / "ecg" / "ecg-broken.md").write_text("---\nid: [\n---\n## S\nx\n")
    (notes / "ecg" / "ecg-copy.md").write_text(NOTE.replace("id: ecg-pan-tompkins", "id: ecg-copy"))
    load = load_notes(notes)
    assert sorted(n.id for n in load.notes) == ["ecg-copy", "ecg-pan-tompkins"]
    assert load.notes[0].source.startswith("knowledge/notes/ecg/")
    assert len(load.errors) == 1
    assert "knowledge/notes/ecg/ecg-broken.md" in load.errors[0].message


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    for folder in ("a", "b"):
        (notes / folder).mkdir(parents=True)
        (notes / folder / "ecg-pan-tompkins.md").write_text(NOTE)
    load = load_notes(notes)
    assert len(load.notes) == 1
    assert "already used" in load.errors[0].message


def test_a_missing_notes_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoteError, match="no such notes folder"):
        load_notes(tmp_path / "nope")
