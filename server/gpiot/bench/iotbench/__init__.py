"""IoTBench: executable spec-level, decomposition and application tasks, scored on the pipeline."""
