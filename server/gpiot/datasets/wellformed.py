"""Rule-based well-formedness checks for TD and CG samples (seeds and augmented alike)."""

from __future__ import annotations

import json
import re

from gpiot.datasets.cgseeds import CgSeed
from gpiot.datasets.records import td_answer
from gpiot.pipeline.decomposition import Decomposition
from gpiot.pipeline.prompts import MAX_SUBTASKS, PARAM_TYPES
from gpiot.pipeline.spec import Spec, SpecFormatError
from gpiot.validate import (
    conformance_problems,
    import_problems,
    parse,
    static_problems,
    syntax_problems,
)

MIN_SUBTASKS = 3
MAX_NAME_WORDS = 6
MAX_STEPS = 4
_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_LOAD_VERBS = ("load", "take", "read", "collect", "prepare")
# Topics the TD prompt excludes from decompositions.
_OUT_OF_SCOPE = re.compile(
    r"\b(database|cloud|deploy\w*|user interface|GUI|dashboard|install\w*|wiring|solder\w*)\b",
    re.IGNORECASE,
)
# The CG grammar (runtime/grammars.py): imports or blank lines, a one-line def, indented body.
_HEAD_LINE = re.compile(r"^((import |from )[^\n`]*)?$")
_HINT = re.compile(r"^[A-Za-z0-9_.| \[\]]+$")
_RET = re.compile(r"^[A-Za-z0-9_.,| \[\]]+$")
_BODY_LINE = re.compile(r"^([ \t][^\n`]*)?$")


def td_problems(decomposition: Decomposition) -> list[str]:
    """Why a decomposition is not a well-formed TD target (empty when it is)."""
    problems: list[str] = []
    tasks = decomposition.subtasks
    statement = decomposition.statement
    if not MIN_SUBTASKS <= len(tasks) <= MAX_SUBTASKS:
        problems.append(f"{len(tasks)} sub-tasks; expected {MIN_SUBTASKS}-{MAX_SUBTASKS}")
    if len(statement) < 20 or "{" in statement or "}" in statement:
        problems.append("statement too short or with an unresolved placeholder")
    slugs = [t.slug for t in tasks]
    if len(set(slugs)) != len(slugs):
        problems.append("two sub-tasks have the same name")
    for i, task in enumerate(tasks, 1):
        if not 3 <= len(task.name) <= 60 or len(task.name.split()) > MAX_NAME_WORDS:
            problems.append(f"sub-task {i} name {task.name!r}: 3-60 characters, <= 6 words")
        if not 1 <= len(task.steps) <= MAX_STEPS:
            problems.append(f"sub-task {i} has {len(task.steps)} steps; expected 1-{MAX_STEPS}")
        if "{" in task.name or "}" in task.name:
            problems.append(f"sub-task {i} name has an unresolved placeholder: {task.name!r}")
        for step in task.steps:
            if not 3 <= len(step) <= 160:
                problems.append(f"sub-task {i} step of {len(step)} characters (3-160)")
            if "{" in step or "}" in step:
                problems.append(f"sub-task {i} step has an unresolved placeholder: {step!r}")
        text = " ".join([task.name, *task.steps])
        if _OUT_OF_SCOPE.search(text):
            problems.append(f"sub-task {i} is out of scope for TD: {text[:60]!r}")
    if tasks and not tasks[0].name.lower().startswith(_LOAD_VERBS):
        problems.append(f"the first sub-task does not load the input: {tasks[0].name!r}")
    answer = json.loads(td_answer(decomposition))
    if [t["name"] for t in answer["subtasks"]] != [t.name for t in tasks]:
        problems.append("the TD answer does not round-trip")
    return problems


def spec_problems(spec: Spec) -> list[str]:
    """Whether RT could have produced this spec (its JSON schema's limits)."""
    problems: list[str] = []
    if not _IDENT.match(spec.function):
        problems.append(f"function name {spec.function!r} does not match {_IDENT.pattern}")
    if not 10 <= len(spec.target) <= 320:
        problems.append(f"target of {len(spec.target)} characters (10-320)")
    if not 1 <= len(spec.inputs) <= 6 or not 1 <= len(spec.outputs) <= 4:
        problems.append("1-6 inputs and 1-4 outputs expected")
    for param in (*spec.inputs, *spec.outputs):
        if param.type not in PARAM_TYPES:
            problems.append(f"{param.name}: type {param.type!r} is not one of RT's types")
        if not _IDENT.match(param.name):
            problems.append(f"parameter name {param.name!r} does not match {_IDENT.pattern}")
        if not 3 <= len(param.description) <= 160:
            problems.append(f"{param.name}: description of {len(param.description)} characters")
    return problems


def grammar_problems(module: str, spec: Spec) -> list[str]:
    """Whether the CG grammar for ``spec`` can produce ``module`` (as the fenced answer)."""
    lines = module.rstrip("\n").split("\n")
    def_at = next((i for i, line in enumerate(lines) if line.startswith("def ")), None)
    if def_at is None:
        return ["no top-level def"]
    problems = [f"head line {line!r}" for line in lines[:def_at] if not _HEAD_LINE.match(line)]
    match = re.match(rf"^def {re.escape(spec.function)}\((.*)\)( -> (.+))?:$", lines[def_at])
    if not match:
        return [*problems, f"def line {lines[def_at]!r} is not for {spec.function}"]
    params = [p.strip() for p in match.group(1).split(", ")] if match.group(1) else []
    names = [p.split(":")[0].strip() for p in params]
    if names != [p.name for p in spec.inputs]:
        problems.append(f"parameters {names} are not the spec's {[p.name for p in spec.inputs]}")
    for p in params:
        hint = p.partition(":")[2].strip()
        if hint and not _HINT.match(hint):
            problems.append(f"type hint {hint!r} is outside the grammar")
    if match.group(3) and not _RET.match(match.group(3)):
        problems.append(f"return hint {match.group(3)!r} is outside the grammar")
    problems += [
        f"body line {line!r}" for line in lines[def_at + 1 :] if not _BODY_LINE.match(line)
    ]
    return problems


def cg_problems(seed: CgSeed) -> list[str]:
    """Spec limits, CG grammar and the runtime's static validation of the answer module."""
    try:
        spec = seed.spec
    except SpecFormatError as exc:
        return [f"docstring is not a spec: {exc}"]
    problems = spec_problems(spec) + grammar_problems(seed.module, spec)
    tree = parse(seed.module)
    found = syntax_problems(seed.module, tree)
    if not found:
        found = conformance_problems(seed.module, spec, tree)
        found += import_problems(seed.module, tree) + static_problems(seed.module)
    return problems + [f"validation: {p.message}" for p in found]
