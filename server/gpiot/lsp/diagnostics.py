"""Problems in a generated file as the editor shows them: syntax, spec conformance, imports."""

from __future__ import annotations

from gpiot.lsp.symbols import functions
from gpiot.pipeline.manifest import GeneratedFile
from gpiot.pipeline.spec import Spec
from gpiot.validate import Problem, conformance_problems, import_problems, parse, syntax_problems

MAX_DIAGNOSTIC_BYTES = 1_000_000  # larger files are not checked (the editor must stay fast)


def generated_file_problems(source: str, entry: GeneratedFile) -> list[Problem]:
    """What is wrong with a generated file now, against the spec in its docstring (or manifest).

    The docstring's spec wins: a spec the user edited is the one the next generation uses.
    """
    tree = parse(source)
    problems = syntax_problems(source, tree)
    if entry.kind == "subtask" and entry.function:
        site = next((f for f in functions(source) if f.name == entry.function), None)
        spec = site.spec if site is not None and site.spec is not None else None
        if spec is None and entry.spec:
            spec = Spec.from_dict(entry.spec)
        if spec is not None:
            problems += conformance_problems(source, spec, tree)
    problems += import_problems(source, tree)
    return problems


def problem_line(problem: Problem, functions_start: dict[str, int], function: str | None) -> int:
    """The 0-based line to show ``problem`` on: its own, else its function's ``def``, else 0."""
    if problem.line:
        return max(0, problem.line - 1)
    return functions_start.get(function or "", 0)
