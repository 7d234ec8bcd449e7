"""Training data for PECT: TDD (statement → decomposition) and CGD (spec → function)."""

from gpiot.datasets.build import BuildReport, build, write_outputs
from gpiot.datasets.records import Record, cg_record, td_record

__all__ = ["BuildReport", "Record", "build", "cg_record", "td_record", "write_outputs"]
