"""The three roles as functions: TD (decompose), RT (specify), CG (generate, validate, repair)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from gpiot.cancel import CancelToken
from gpiot.pipeline import prompts
from gpiot.pipeline.autofix import add_missing_imports, signature_hints
from gpiot.pipeline.decomposition import Decomposition, SubTask
from gpiot.pipeline.spec import Param, Spec
from gpiot.retrieval.hook import Retriever, Snippet
from gpiot.runtime.engine import Runtime
from gpiot.runtime.grammars import function_grammar, json_grammar
from gpiot.runtime.llama import Generation
from gpiot.runtime.sampling import REPAIR_SAMPLING, Role
from gpiot.settings import Settings
from gpiot.validate import ValidationReport, validate_code

_FENCE = re.compile(r"```(?:python)?\n(.*?)(?:```|\Z)", re.DOTALL)


def decompose(runtime: Runtime, statement: str, cancel: CancelToken) -> Decomposition:
    """TD: the grammar guarantees JSON of the decomposition schema."""
    gen = runtime.generate(
        Role.TD,
        prompts.td_messages(statement),
        grammar=json_grammar(prompts.TD_SCHEMA),
        cancel=cancel,
    )
    return parse_decomposition(statement, gen.text)


def parse_decomposition(statement: str, text: str) -> Decomposition:
    data = json.loads(text)
    subtasks: list[SubTask] = []
    seen: set[str] = set()
    for item in data["subtasks"]:
        task = SubTask.from_dict(item)
        if task.slug in seen:  # the model repeated a sub-task: keep the first
            continue
        seen.add(task.slug)
        subtasks.append(task)
    return Decomposition(statement, tuple(subtasks))


def specify(
    runtime: Runtime,
    decomposition: Decomposition,
    index: int,
    available: list[Param],
    retriever: Retriever,
    cancel: CancelToken,
    taken_names: set[str],
) -> Spec:
    """RT: one sub-task → a Spec, grounded by whatever the retriever finds."""
    subtask = decomposition.subtasks[index]
    # the application gives the modality a sub-task name lacks ("Compute R-R intervals": ECG)
    query = f"{subtask.name}. {' '.join(subtask.steps)} ({decomposition.statement})"
    snippets = retriever.methods(query, 3)
    methods = [s.method for s in snippets if s.method]
    gen = runtime.generate(
        Role.RT,
        prompts.rt_messages(
            decomposition, index, available, [s.render() for s in snippets], methods
        ),
        grammar=json_grammar(prompts.rt_schema(methods)),
        cancel=cancel,
    )
    spec = parse_spec(gen.text, tuple(s.source for s in snippets), taken_names)
    if restates(spec.target, decomposition.statement):
        spec = replace(spec, target=subtask_target(subtask))
    chosen = json.loads(gen.text).get("method")
    note = next((s for s in snippets if s.method == chosen), None)
    if note is None:  # RT said none: a note the sub-task or target names by its stem counts
        said = " ".join((subtask.name, *subtask.steps, spec.target))
        note = next((s for s in snippets if s.method and names_note(said, s.source)), None)
    return with_method(spec, note)


def names_note(text: str, source: str) -> bool:
    """Whether ``text`` names the note at ``source`` by its file stem without the modality prefix.

    ``knowledge/notes/ecg/ecg-pan-tompkins.md#steps`` is named by "Pan-Tompkins" or "pan tompkins";
    a generic stem such as ``heart-rate-from-rpeaks`` is rarely written out, so this errs on the
    side of not grounding.
    """
    path = source.split("#", 1)[0]
    folder, _, stem = path.rpartition("/")
    stem = stem.removesuffix(".md").removeprefix(folder.rpartition("/")[2] + "-")
    words = [re.escape(w) for w in stem.split("-") if w]
    pattern = r"\b" + r"[\s-]?".join(words) + r"\b"
    return bool(words) and re.search(pattern, text, re.IGNORECASE) is not None


PARAMETER_CHARS = 240  # of a note's key parameters written into a target


def with_method(spec: Spec, note: Snippet | None) -> Spec:
    """Write RT's chosen method and the note's key parameters into the target.

    The small model often names a generic routine (``find_peaks`` with a distance) even when it
    chose Pan-Tompkins; the target CG sees then still names the method and its parameter values.
    """
    if note is None:
        return spec
    target = spec.target.rstrip()
    if note.method.lower() not in target.lower():
        target = f"{target.rstrip('.')}. Method: {note.method}."
    if note.parameters:
        params = note.parameters
        if len(params) > PARAMETER_CHARS:
            params = params[:PARAMETER_CHARS].rsplit("; ", 1)[0]
        target = f"{target.rstrip('.')}. Key parameters: {params}."
    return replace(spec, target=target)


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def restates(target: str, statement: str) -> bool:
    """True when RT copied the application's statement instead of specifying its sub-task."""
    words, whole = _words(target), _words(statement)
    return bool(words) and len(words & whole) / len(words) > 0.8 and len(words) > 12


def subtask_target(subtask: SubTask) -> str:
    """A target from the sub-task itself, for when RT's own target restated the application."""
    steps = "; ".join(s.rstrip(".") for s in subtask.steps)
    return f"{subtask.name.rstrip('.')}: {steps}." if steps else f"{subtask.name.rstrip('.')}."


_ARRAY_HINT = re.compile(r"\barray\b|\bshape\s*\(", re.IGNORECASE)


def _param_type(declared: str, description: str) -> str:
    """The small model often declares ``float`` for what its own description calls an array."""
    if declared in ("float", "int") and _ARRAY_HINT.search(description):
        return "np.ndarray"
    return declared


def _unique_params(items: list[dict[str, str]]) -> tuple[Param, ...]:
    """A name listed again with the same type is the same parameter twice (RT repeats ``fs``) and
    is dropped; with another type it is another parameter and gets a suffix (``ecg_2``)."""
    params: list[Param] = []
    types: dict[str, str] = {}
    for item in items:
        description = " ".join(item["description"].split())
        kind = _param_type(item["type"], description)
        name = base = item["name"]
        if types.get(name) == kind:
            continue
        n = 2
        while name in types:
            name, n = f"{base}_{n}", n + 1
        types[name] = kind
        params.append(Param(name, kind, description))
    return tuple(params)


def parse_spec(text: str, sources: tuple[str, ...], taken_names: set[str]) -> Spec:
    """Build a Spec from RT's JSON; function names are made unique across the app."""
    data = json.loads(text)
    function, n = data["function_name"], 2
    while function in taken_names:
        function, n = f"{data['function_name']}_{n}", n + 1
    return Spec(
        function=function,
        target=" ".join(data["target"].split()),
        inputs=_unique_params(data["inputs"]),
        outputs=_unique_params(data["outputs"]),
        sources=sources,
    )


def extract_code(text: str) -> str:
    match = _FENCE.search(text)
    return (match.group(1) if match else text).strip() + "\n"


@dataclass
class CodeResult:
    code: str | None  # validated code, or None when every attempt failed
    best_attempt: str  # the validated code, or the failed attempt that got furthest (``rank``)
    report: ValidationReport
    attempts: int
    api_sources: list[str] = field(default_factory=list)
    generations: list[Generation] = field(default_factory=list)  # one per attempt

    @property
    def model_s(self) -> float:
        """Model time; with samples decoded together, this sample's share of the batches."""
        return sum(g.prompt_seconds + g.decode_seconds for g in self.generations)


def generate_code(
    runtime: Runtime,
    spec: Spec,
    subtask: SubTask | None,
    settings: Settings,
    retriever: Retriever,
    cancel: CancelToken,
) -> CodeResult:
    """CG with validation: generate, check, and feed the problems back for bounded repairs."""
    (result,) = generate_code_samples(runtime, spec, subtask, settings, retriever, cancel, 1)
    return result


def generate_code_samples(
    runtime: Runtime,
    spec: Spec,
    subtask: SubTask | None,
    settings: Settings,
    retriever: Retriever,
    cancel: CancelToken,
    n: int,
) -> list[CodeResult]:
    """``generate_code`` for ``n`` samples at once (sample i seeded with the seed + i): each round
    decodes the samples still failing together, checks each, and gives each its own feedback."""
    snippets = retriever.api(f"{spec.target} {' '.join(subtask.steps) if subtask else ''}", 3)
    notes = [s.render() for s in snippets]
    sources = [s.source for s in snippets]
    grammar = function_grammar(spec.function, [p.name for p in spec.inputs])
    first = prompts.cg_messages(spec, subtask, notes)
    pending = {sample: first for sample in range(n)}
    results: dict[int, CodeResult] = {}
    history: dict[int, list[Generation]] = {sample: [] for sample in range(n)}
    best: dict[int, tuple[str, ValidationReport]] = {}  # a later attempt wins a tie
    sampling = None
    attempts = 0
    while pending:
        attempts += 1
        samples = list(pending)
        generations = runtime.generate_many(
            Role.CG,
            [pending[sample] for sample in samples],
            seed_offsets=samples,
            grammar=grammar,
            sampling=sampling,
            cancel=cancel,
        )
        for sample, gen in zip(samples, generations, strict=True):
            history[sample].append(gen)
            code = add_missing_imports(extract_code(gen.text))
            report = validate_code(
                code,
                spec,
                smoke=settings.smoke_run,
                timeout_s=settings.smoke_timeout_s,
                memory_mb=settings.smoke_memory_mb,
                cancel=cancel,
            )
            cancel.raise_if_cancelled()
            if sample not in best or report.rank >= best[sample][1].rank:
                best[sample] = (code, report)
            if report.ok or attempts > settings.repair_attempts:
                del pending[sample]
                kept, kept_report = best[sample]
                valid = kept if report.ok else None
                results[sample] = CodeResult(
                    valid, kept, kept_report, attempts, sources, history[sample]
                )
                continue
            feedback = report.feedback()
            hints = signature_hints(feedback)
            feedback = f"{feedback}\n{hints}" if hints else feedback
            pending[sample] = prompts.repair_messages(spec, subtask, notes, code, feedback)
        sampling = REPAIR_SAMPLING
    return [results[sample] for sample in range(n)]
