"""Our keyword tokenizer and BM25 sparse vectors."""

import zlib

from gpiot.retrieval.sparse import (
    AVG_DOC_TOKENS,
    K1,
    document_vector,
    query_vector,
    term_index,
    tokenize,
)


def test_tokenize_drops_stop_words_and_stems_lightly() -> None:
    assert tokenize("Find the peaks of the filtered signals") == [
        "find",
        "peak",
        "filter",
        "signal",
    ]
    assert tokenize("frequencies, windowing, analysis") == ["frequency", "window", "analysis"]


def test_compounds_keep_the_whole_and_the_parts() -> None:
    assert tokenize("Pan-Tompkins") == ["pan-tompkin", "pan", "tompkin"]
    terms = tokenize("scipy.signal.find_peaks")
    assert terms[0] == "scipy.signal.find_peak"
    assert {"scipy", "signal", "find", "peak"} <= set(terms)


def test_numbers_and_units_are_kept_single_letters_are_not() -> None:
    assert tokenize("a 360 Hz ECG, 5 s windows") == ["360", "hz", "ecg", "5", "window"]


def test_term_index_is_stable_across_processes() -> None:
    assert term_index("ecg") == zlib.crc32(b"ecg") & 0x7FFFFFFF
    assert term_index("ecg") != term_index("ppg")
    assert 0 <= term_index("anything") < 2**31


def test_document_weights_saturate_with_term_frequency() -> None:
    once = document_vector("ecg " + "filler " * 9).as_dict()[term_index("ecg")]
    twice = document_vector("ecg ecg " + "filler " * 8).as_dict()[term_index("ecg")]
    many = document_vector("ecg " * 10).as_dict()[term_index("ecg")]
    assert once < twice < many < K1 + 1


def test_longer_documents_weigh_a_term_less() -> None:
    short = document_vector("ecg qrs").as_dict()[term_index("ecg")]
    long = document_vector("ecg " + " ".join(f"w{i}" for i in range(int(AVG_DOC_TOKENS * 2))))
    assert long.as_dict()[term_index("ecg")] < short


def test_query_vector_is_one_per_distinct_term_sorted_by_index() -> None:
    vector = query_vector("peak peaks PEAK ecg")
    assert vector.values == (1.0, 1.0)
    assert list(vector.indices) == sorted({term_index("peak"), term_index("ecg")})


def test_only_stop_words_give_an_empty_vector() -> None:
    assert query_vector("the of and").indices == ()
