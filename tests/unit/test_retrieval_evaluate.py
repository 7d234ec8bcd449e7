"""Retrieval metrics and the labelled-query loader (pure)."""

import json
from pathlib import Path

import pytest

from gpiot.retrieval.evaluate import (
    Query,
    best_mode,
    check_labels,
    evaluate_mode,
    load_queries,
    percentile,
    recall_at,
    reciprocal_rank,
    score,
    score_any,
)


def q(relevant: tuple[str, ...], modality: str = "ecg", text: str = "t") -> Query:
    return Query(text, relevant, modality, "queries-x.jsonl:1")


def test_recall_counts_the_fraction_of_relevant_notes_in_the_top_k() -> None:
    ranking = ["a", "b", "c", "d", "e", "f"]
    assert recall_at(ranking, ["a"], 1) == 1.0
    assert recall_at(ranking, ["c", "f"], 3) == 0.5
    assert recall_at(ranking, ["c", "f"], 5) == 0.5
    assert recall_at(ranking, ["z"], 5) == 0.0


def test_reciprocal_rank_of_the_first_relevant_note() -> None:
    assert reciprocal_rank(["a", "b", "c"], ["c", "b"]) == 0.5
    assert reciprocal_rank(["a"], ["z"]) == 0.0


def test_score_averages_over_queries() -> None:
    scores = score([["a", "b"], ["x", "y", "b"]], [q(("a",)), q(("b",))])
    assert scores.queries == 2
    assert scores.recall[1] == 0.5
    assert scores.recall[3] == 1.0
    assert scores.mrr == pytest.approx((1 + 1 / 3) / 2)


def test_percentile_interpolates() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert percentile([7.0], 95) == 7.0


def test_evaluate_mode_scores_per_modality_and_lists_misses() -> None:
    rankings = {"heart": ["ecg-a", "ecg-b"], "steps": ["imu-x", "imu-y"]}
    queries = [q(("ecg-b",), "ecg", "heart"), q(("imu-z",), "imu", "steps")]
    result = evaluate_mode(lambda text, k, mode: rankings[text][:k], queries, "dense")
    assert result.overall.recall[5] == 0.5
    assert result.by_modality["ecg"].mrr == 0.5
    assert result.by_modality["imu"].recall[5] == 0.0
    assert [m["query"] for m in result.misses] == ["steps"]
    assert len(result.latency_ms) == 2


def test_best_mode_prefers_recall_then_mrr() -> None:
    queries = [q(("a",)), q(("b",))]
    perfect = evaluate_mode(lambda t, k, m: ["a", "b"], queries, "hybrid")
    late = evaluate_mode(lambda t, k, m: ["b", "a"], queries, "dense")
    worse = evaluate_mode(lambda t, k, m: ["c"], queries, "sparse")
    assert best_mode([worse, late, perfect]) == "hybrid"
    assert best_mode([worse, late]) == "dense"


def test_load_queries_reports_bad_lines(tmp_path: Path) -> None:
    good = {"query": "find R peaks", "relevant": ["ecg-pan-tompkins"], "modality": "ecg"}
    (tmp_path / "queries-ecg.jsonl").write_text(
        json.dumps(good) + "\n\n{not json\n" + json.dumps({"query": "x", "relevant": []}) + "\n"
    )
    (tmp_path / "other.jsonl").write_text(json.dumps(good) + "\n")  # not a queries-* file
    queries, problems = load_queries(tmp_path)
    assert [x.text for x in queries] == ["find R peaks"]
    assert queries[0].source == "queries-ecg.jsonl:1"
    assert [p.split(":")[1] for p in problems] == ["3", "4"]


def test_check_labels_names_unknown_note_ids() -> None:
    problems = check_labels([q(("ecg-a", "ecg-missing"))], {"ecg-a"})
    assert problems == ["queries-x.jsonl:1: unknown note id 'ecg-missing'"]


def test_any_of_labels_score_a_hit_for_any_acceptable_entry() -> None:
    queries = [q(("scipy.signal.butter", "scipy.signal.sosfiltfilt")), q(("sklearn.svm.SVC",))]
    rankings = [["numpy.diff", "scipy.signal.sosfiltfilt"], ["a", "b", "c", "sklearn.svm.SVC"]]
    assert score_any(rankings, queries) == {"queries": 2, "hit@1": 0.0, "hit@3": 0.5, "mrr": 0.375}
