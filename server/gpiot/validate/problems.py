"""Problems found in a generated module, and the report that collects them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, get_args

ProblemKind = Literal[
    "syntax",
    "signature",
    "module-code",
    "import",
    "undefined-name",
    "call",
    "unsafe",
    "runtime",
    "timeout",
    "memory",
    "output",
]
KINDS: Final[frozenset[str]] = frozenset(get_args(ProblemKind))

SmokeStatus = Literal["passed", "failed", "skipped", "timeout", "memory", "cancelled"]
SMOKE_STATUSES: Final[frozenset[str]] = frozenset(get_args(SmokeStatus))

# How far a module got, by the worst kind of problem it has: it does not load at all, it loads but
# names something undefined or calls a library function with arguments it rejects, it raises or
# runs out of time or memory, it returns the wrong outputs.
_STAGE: Final[dict[str, int]] = {
    "syntax": 0,
    "signature": 0,
    "module-code": 0,
    "import": 0,
    "unsafe": 0,
    "undefined-name": 1,
    "call": 1,
    "runtime": 2,
    "timeout": 2,
    "memory": 2,
    "output": 3,
}
_VALID: Final = 4
MESSAGE_LIMIT: Final = 400
FEEDBACK_LIMIT: Final = 12


def trim(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Collapse whitespace runs and cut ``text`` to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Problem:
    """One finding; ``line`` is 1-based and refers to the generated module."""

    kind: str
    message: str
    line: int | None = None

    def render(self) -> str:
        return f"line {self.line}: {self.message}" if self.line is not None else self.message


@dataclass(frozen=True)
class SmokeResult:
    """Outcome of running the function once on synthesised arguments.

    ``kind`` is the problem kind of a failed run ("runtime", "output" or "unsafe") and ``line``
    the last line of the generated module in the traceback, when there is one.
    """

    status: str
    detail: str
    seconds: float
    kind: str | None = None
    line: int | None = None

    @property
    def ok(self) -> bool:
        """True unless the run found a problem ("skipped" is not a problem)."""
        return self.status in ("passed", "skipped")


@dataclass
class ValidationReport:
    """All problems of one module; ``smoke`` is None when the smoke run did not happen."""

    problems: list[Problem] = field(default_factory=list)
    smoke: SmokeResult | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def rank(self) -> tuple[int, int]:
        """Orders attempts, higher is better: how far the module got (valid beats wrong outputs
        beats an exception beats an undefined name beats not loading), then fewer problems."""
        stage = min((_STAGE.get(p.kind, 0) for p in self.problems), default=_VALID)
        return stage, -len(self.problems)

    def feedback(self, limit: int = FEEDBACK_LIMIT) -> str:
        """A compact problem list for a repair prompt; empty when there is nothing to fix."""
        if not self.problems:
            return ""
        lines = ["The code has these problems:"]
        for problem in self.problems[:limit]:
            where = f"line {problem.line}, " if problem.line is not None else ""
            lines.append(f"- [{where}{problem.kind}] {trim(problem.message)}")
        if len(self.problems) > limit:
            lines.append(f"- … and {len(self.problems) - limit} more")
        return "\n".join(lines)
