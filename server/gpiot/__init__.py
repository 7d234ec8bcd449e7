"""GPIoT: local IoT program synthesis with small language models."""

__version__ = "0.1.0"
