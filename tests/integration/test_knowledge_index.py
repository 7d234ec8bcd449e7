"""The knowledge index with the real packaged MiniLM embedder and real embedded Qdrant."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gpiot.retrieval import store
from gpiot.retrieval.apiref import collect_api
from gpiot.retrieval.chunks import API_COLLECTION, NOTES_COLLECTION, api_chunks
from gpiot.retrieval.corpus import NOTES_DIR
from gpiot.retrieval.embedder import Embedder, load_embedder
from gpiot.retrieval.errors import KnowledgeError
from gpiot.retrieval.hook import NoRetrieval
from gpiot.retrieval.index import build_index, update_collection
from gpiot.retrieval.search import KnowledgeRetriever, open_retriever
from gpiot.settings import Settings

NOTES = [
    "ecg/ecg-pan-tompkins.md",
    "ecg/ecg-christov.md",
    "imu/imu-step-counting-peaks.md",
    "csi/csi-hampel-filter.md",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return load_embedder()


@pytest.fixture
def notes_dir(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge" / "notes"
    for rel in NOTES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(NOTES_DIR / rel, root / rel)
    return root


@pytest.fixture
def location(tmp_path: Path) -> Iterator[store.StoreLocation]:
    where = store.StoreLocation("local", str(tmp_path / "index"))
    yield where
    store.close_store(where)


def _build(location: store.StoreLocation, embedder: Embedder, notes_dir: Path) -> dict[str, int]:
    client = store.open_store(location, create=True)
    report = build_index(client, embedder, location.where, notes_dir, api=False)
    assert report.problems == []
    notes = report.collections[0]
    return {
        "chunks": notes.chunks,
        "embedded": notes.embedded,
        "kept": notes.kept,
        "removed": notes.removed,
    }


def test_whole_corpus_ranks_pan_tompkins_first_for_noisy_heartbeats(
    location: store.StoreLocation, embedder: Embedder
) -> None:
    """The knowledge issue's acceptance query, against every shipped note."""
    _build(location, embedder, NOTES_DIR)
    retriever = KnowledgeRetriever(store.open_store(location), embedder)
    for mode in ("hybrid", "dense", "sparse"):
        hits = retriever.search_notes("detect heartbeats in noisy ECG", 3, mode)
        assert hits[0].note_id == "ecg-pan-tompkins", (mode, [h.note_id for h in hits])
        assert all(h.payload["modality"] == "ecg" for h in hits)


def test_build_query_and_rebuild_incrementally(
    location: store.StoreLocation, embedder: Embedder, notes_dir: Path
) -> None:
    first = _build(location, embedder, notes_dir)
    assert first["chunks"] == first["embedded"] > len(NOTES) * 4
    client = store.open_store(location)
    assert store.count(client, NOTES_COLLECTION) == first["chunks"]

    retriever = KnowledgeRetriever(client, embedder)
    hits = retriever.search_notes("detect heartbeats in a noisy ECG", 4)
    assert hits[0].note_id in ("ecg-pan-tompkins", "ecg-christov")
    assert {h.note_id for h in hits[:2]} == {"ecg-pan-tompkins", "ecg-christov"}
    snippets = retriever.methods("count steps from a wrist accelerometer", 3)
    assert snippets[0].source.startswith("knowledge/notes/imu/imu-step-counting-peaks.md#")
    assert len({s.source.split("#")[0] for s in snippets}) == 3  # one snippet per note
    assert snippets[0].modality == "imu" and snippets[0].score is not None
    assert all(len(s.text) <= 820 for s in snippets)
    for mode in ("dense", "sparse"):
        top = retriever.search_notes("Hampel filter for CSI amplitude outliers", 1, mode)
        assert top[0].note_id == "csi-hampel-filter"

    again = _build(location, embedder, notes_dir)
    assert again == {
        "chunks": first["chunks"],
        "embedded": 0,
        "kept": first["chunks"],
        "removed": 0,
    }

    note = notes_dir / "imu" / "imu-step-counting-peaks.md"
    text = note.read_text()
    head, sep, rest = text.partition("## Pitfalls\n")
    assert sep, "the note has a Pitfalls section"
    note.write_text(head + sep + "- Counting steps while the device lies still.\n" + rest)
    edited = _build(location, embedder, notes_dir)
    assert edited == {
        "chunks": first["chunks"],
        "embedded": 1,
        "kept": first["chunks"] - 1,
        "removed": 1,
    }


def test_a_deleted_note_is_removed_from_the_index(
    location: store.StoreLocation, embedder: Embedder, notes_dir: Path
) -> None:
    first = _build(location, embedder, notes_dir)
    client = store.open_store(location)
    retriever = KnowledgeRetriever(client, embedder)
    assert "csi-hampel-filter" in [h.note_id for h in retriever.search_notes("hampel csi", 4)]

    (notes_dir / "csi" / "csi-hampel-filter.md").unlink()
    after = _build(location, embedder, notes_dir)
    assert after["embedded"] == 0
    assert after["removed"] == first["chunks"] - after["chunks"] > 0
    assert store.count(client, NOTES_COLLECTION) == after["chunks"]
    ranked = [h.note_id for h in retriever.search_notes("hampel csi", 10)]
    assert "csi-hampel-filter" not in ranked and len(ranked) == 3


def test_api_reference_entries_are_retrieved_for_code_generation(
    location: store.StoreLocation, embedder: Embedder
) -> None:
    entries, problems = collect_api(["scipy.signal"], ["sklearn.model_selection.GroupKFold"])
    assert problems == []
    client = store.open_store(location, create=True)
    report = update_collection(client, API_COLLECTION, api_chunks(entries), embedder)
    assert report.embedded == len(entries) > 100
    retriever = KnowledgeRetriever(client, embedder)
    found = retriever.api("find the local maxima (peaks) of a 1-D signal", 3)
    assert "scipy.signal.find_peaks" in [s.title for s in found]
    peaks = next(s for s in found if s.title == "scipy.signal.find_peaks")
    assert peaks.source == "api/scipy.signal.find_peaks"
    assert "find_peaks(x, height=None" in peaks.text
    split = retriever.api("cross-validation folds that keep each subject's groups together", 3)
    assert split[0].title == "sklearn.model_selection.GroupKFold"


def test_a_store_locked_by_another_process_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from qdrant_client import QdrantClient; "
            f"c = QdrantClient(path={str(folder)!r}); print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(KnowledgeError) as caught:
            store.open_store(store.StoreLocation("local", str(folder)))
        assert "in use by another process" in caught.value.message
        assert "Qdrant server" in caught.value.hint
        retriever, why = open_retriever(Settings(knowledge_store=str(folder)))
        assert isinstance(retriever, NoRetrieval)
        assert why is not None and "in use by another process" in why
    finally:
        holder.communicate("", timeout=30)


def test_a_corrupt_store_is_a_clear_error(
    location: store.StoreLocation, embedder: Embedder, notes_dir: Path
) -> None:
    _build(location, embedder, notes_dir)
    store.close_store(location)
    database = Path(location.where) / "collection" / NOTES_COLLECTION / "storage.sqlite"
    database.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnowledgeError) as caught:
        store.open_store(location)
    assert "cannot be opened" in caught.value.message
    assert "gpiot knowledge build" in caught.value.hint


def test_no_index_means_no_retrieval_with_a_reason(tmp_path: Path) -> None:
    retriever, why = open_retriever(Settings(knowledge_store=str(tmp_path / "never-built")))
    assert isinstance(retriever, NoRetrieval)
    assert why is not None and "gpiot knowledge build" in why
    assert not (tmp_path / "never-built").exists()  # opening to read never creates a store


def _gpiot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gpiot.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_builds_queries_and_reports_status(tmp_path: Path, notes_dir: Path) -> None:
    index = str(tmp_path / "cli-index")
    built = _gpiot(
        "knowledge",
        "build",
        "--store",
        index,
        "--notes",
        str(notes_dir),
        "--no-api",
        "--json",
        cwd=tmp_path,
    )
    assert built.returncode == 0, built.stderr
    report = json.loads(built.stdout)
    assert report["notes"] == len(NOTES) and report["collections"][0]["embedded"] > 0
    found = _gpiot(
        "knowledge",
        "search",
        "detect heartbeats in noisy ECG",
        "--store",
        index,
        "--k",
        "2",
        "--json",
        cwd=tmp_path,
    )
    assert found.returncode == 0, found.stderr
    sources = [s["source"] for s in json.loads(found.stdout)]
    assert all(s.startswith("knowledge/notes/ecg/") for s in sources)
    status = _gpiot(
        "knowledge", "status", "--store", index, "--notes", str(notes_dir), "--json", cwd=tmp_path
    )
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["index up to date"] == "yes"
    missing = _gpiot("knowledge", "search", "x", "--store", str(tmp_path / "none"), cwd=tmp_path)
    assert missing.returncode == 1
    assert "no knowledge index" in missing.stderr and "Traceback" not in missing.stderr
