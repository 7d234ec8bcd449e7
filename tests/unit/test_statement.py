import pytest

from gpiot.pipeline.statement import MAX_STATEMENT_CHARS, StatementError, extract_statement


def test_leading_comment_block() -> None:
    source = "#!/usr/bin/env python\n# Detect heartbeats in an ECG\n# sampled at 360 Hz.\n\nx = 1\n"
    assert extract_statement(source) == "Detect heartbeats in an ECG sampled at 360 Hz."


def test_module_docstring() -> None:
    source = '"""Count steps from a wrist\naccelerometer at 50 Hz."""\nimport numpy\n'
    assert extract_statement(source) == "Count steps from a wrist accelerometer at 50 Hz."


def test_comment_after_code_is_not_a_statement() -> None:
    with pytest.raises(StatementError, match="no problem statement"):
        extract_statement("import os\n# Detect heartbeats in an ECG at 360 Hz\n")


@pytest.mark.parametrize("source", ["", "# hi\n", "# " + "word " * MAX_STATEMENT_CHARS])
def test_unusable_statements_are_rejected_clearly(source: str) -> None:
    with pytest.raises(StatementError):
        extract_statement(source)


def test_broken_python_still_reads_the_comment() -> None:
    assert extract_statement("# Estimate SpO2 from red and IR PPG\ndef (:\n").startswith("Estimate")
