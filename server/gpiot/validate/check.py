"""The validation pipeline: syntax, conformance, imports, static checks, then a smoke run."""

from __future__ import annotations

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled
from gpiot.pipeline.spec import Spec
from gpiot.validate.conformance import conformance_problems
from gpiot.validate.imports import import_problems
from gpiot.validate.problems import Problem, SmokeResult, ValidationReport
from gpiot.validate.sandbox import smoke_run
from gpiot.validate.static import static_problems
from gpiot.validate.syntax import parse, syntax_problems


def smoke_problem(result: SmokeResult) -> Problem | None:
    """The problem a smoke result stands for; None for "passed" and "skipped"."""
    if result.status in ("passed", "skipped", "cancelled"):
        return None
    kind = result.status if result.status in ("timeout", "memory") else result.kind or "runtime"
    return Problem(kind, f"smoke run: {result.detail}", result.line)


def validate_code(
    source: str,
    spec: Spec,
    *,
    smoke: bool = True,
    timeout_s: float = 10.0,
    memory_mb: int = 1024,
    cancel: CancelToken | None = None,
) -> ValidationReport:
    """Check a generated module against its spec.

    Syntax comes first (nothing else runs on a broken module); conformance, imports and static
    checks are all reported together; the smoke run happens only when they found nothing.
    A "skipped" smoke run is not a problem; its reason stays in ``report.smoke.detail``.
    Raises :class:`gpiot.errors.Cancelled` when ``cancel`` is set before or during the checks.
    """
    if cancel is not None:
        cancel.raise_if_cancelled()
    tree = parse(source)
    problems = syntax_problems(source, tree)
    if problems:
        return ValidationReport(problems)
    problems = conformance_problems(source, spec, tree)
    problems += import_problems(source, tree)
    problems += static_problems(source)
    problems.sort(key=lambda p: -1 if p.line is None else p.line)
    if problems or not smoke:
        return ValidationReport(problems)
    if cancel is not None:
        cancel.raise_if_cancelled()
    result = smoke_run(source, spec, timeout_s=timeout_s, memory_mb=memory_mb, cancel=cancel)
    if result.status == "cancelled":
        raise Cancelled(cancel.reason if cancel is not None else "cancelled")
    problem = smoke_problem(result)
    return ValidationReport([problem] if problem else [], result)
