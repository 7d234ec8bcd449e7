"""A thread-safe cancel token shared by every stage of a request."""

from __future__ import annotations

import threading

from gpiot.errors import Cancelled


class CancelToken:
    """Set once by whoever owns the request; checked between tokens and between stages."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = "cancelled"

    def cancel(self, reason: str = "cancelled") -> None:
        self.reason = reason
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled(self.reason)

    def wait(self, timeout: float) -> bool:
        """Sleep up to ``timeout`` seconds; return True as soon as the token is cancelled."""
        return self._event.wait(timeout)
