"""Errors that reach the user: each carries a one-line reason and, where there is one, a fix."""

from __future__ import annotations


class GpiotError(Exception):
    """Base class for failures that are reported to the user rather than crashing."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ModelError(GpiotError):
    """The model file is missing, truncated, corrupt or cannot be loaded."""


class SettingsError(GpiotError):
    """A setting has an invalid value."""


class Cancelled(GpiotError):
    """The request was cancelled by the user or superseded by a newer one."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


class WorkspaceError(GpiotError):
    """A file operation would leave the workspace or overwrite a user's change."""
