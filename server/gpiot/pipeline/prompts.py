"""Prompts and output schemas for the three roles.

They are written against the base model's typical IoT failures: samples left where seconds are
asked for, undefined names, example code at module level, wrong array shapes, and generic methods
where a domain method exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gpiot.pipeline.decomposition import Decomposition, SubTask
from gpiot.pipeline.spec import Param, Spec
from gpiot.runtime.llama import Message

MAX_SUBTASKS = 6
PARAM_TYPES = (
    "np.ndarray",
    "float",
    "int",
    "bool",
    "str",
    "list[float]",
    "list[int]",
    "list[str]",
    "list[np.ndarray]",
    "dict",
)
_IDENT = "^[a-z][a-z0-9_]{0,39}$"

TD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subtasks": {
            "type": "array",
            "minItems": 2,
            "maxItems": MAX_SUBTASKS,
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 3, "maxLength": 60},
                    "steps": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 4,
                        "items": {"type": "string", "minLength": 3, "maxLength": 160},
                    },
                },
                "required": ["name", "steps"],
            },
        }
    },
    "required": ["subtasks"],
}


def _param_schema(max_items: int) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": 1,
        "maxItems": max_items,
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "pattern": _IDENT},
                "type": {"type": "string", "enum": list(PARAM_TYPES)},
                "description": {"type": "string", "minLength": 3, "maxLength": 160},
            },
            "required": ["name", "type", "description"],
        },
    }


# Field order is the chain of thought: name the function, choose a retrieved method, state the
# target (method, parameter values, units), then the inputs, then the outputs.
NO_METHOD = "no listed method fits"


def rt_schema(methods: Sequence[str] = ()) -> dict[str, Any]:
    """RT's JSON; ``method`` must be one of the retrieved notes' titles or ``NO_METHOD``."""
    return {
        "type": "object",
        "properties": {
            "function_name": {"type": "string", "pattern": _IDENT},
            "method": {"enum": [*dict.fromkeys(methods), NO_METHOD]},
            "target": {"type": "string", "minLength": 10, "maxLength": 320},
            "inputs": _param_schema(6),
            "outputs": _param_schema(4),
        },
        "required": ["function_name", "method", "target", "inputs", "outputs"],
    }


TD_SYSTEM = """You are the task decomposer of GPIoT, a tool that writes Python programs for IoT \
sensing applications (ECG, PPG, IMU, audio, radar, WiFi CSI, environmental sensors).
Split the application into 2 to 6 ordered sub-tasks. Each sub-task becomes ONE Python function \
that takes arrays and numbers and returns arrays and numbers; together they form a pipeline.
Rules:
- A sub-task name is a short imperative phrase (at most 6 words), e.g. "Band-pass filter the ECG".
- Steps are concrete implementation steps that name the established method for the modality and \
its parameter values (e.g. "Pan-Tompkins: 5-15 Hz band-pass, derivative, squaring, 150 ms moving \
window integration", "Madgwick filter with beta 0.1"), and state units (samples or seconds, \
Hz, bpm).
- The first sub-task loads or prepares the input data; the last one computes what the user asked \
for. No hardware setup, databases, user interfaces, cloud or deployment steps.
Answer with JSON only."""

TD_EXAMPLE_USER = (
    "Estimate the heart rate in beats per minute from a 25 Hz wrist PPG signal stored as a CSV "
    "column, ignoring segments corrupted by motion."
)
TD_EXAMPLE_ANSWER = (
    '{"subtasks": ['
    '{"name": "Load the PPG signal", "steps": ["Read the CSV column into a 1-D float array", '
    '"Keep the 25 Hz sampling rate with the signal"]}, '
    '{"name": "Band-pass filter the PPG", "steps": ["Zero-phase Butterworth band-pass 0.5-4 Hz, '
    'order 2 (scipy.signal.butter + filtfilt)"]}, '
    '{"name": "Detect systolic peaks", "steps": ["scipy.signal.find_peaks with a minimum distance '
    'of 0.3 s converted to samples", "Reject peaks in windows whose amplitude exceeds 3 median '
    'absolute deviations (motion artefacts)"]}, '
    '{"name": "Compute heart rate in bpm", "steps": ["Inter-beat intervals in seconds = np.diff('
    'peaks) / fs", "Heart rate = 60 / median interval"]}]}'
)

RT_SYSTEM = """You are the requirement transformer of GPIoT. You turn one sub-task of an IoT \
application into the specification of ONE Python function.
Think in this order and write the JSON fields in this order:
1. function_name: a snake_case verb phrase.
2. method: the title of the knowledge method this function implements (one of "Methods to \
choose from"), or "no listed method fits".
3. target: one or two sentences saying what THIS sub-task's function computes (never restate the \
whole application), with the established method for the signal (name it) and its parameter \
values, and the units of the result.
4. inputs: only the values this sub-task's computation needs (usually one or two of the values \
produced earlier, not all of them), as name, type and a short description: shape for arrays and \
units for numbers, e.g. "signal samples, shape (n_samples,)", "sampling rate in Hz". Reuse the \
exact names of earlier values.
5. outputs: only the new values this sub-task returns (not the values it receives), with shapes \
and units (seconds, not samples, when a time is meant).
Answer with JSON only."""

CG_SYSTEM = """You are the code generator of GPIoT. Write one complete, correct Python module \
for the specification you are given.
Rules:
- Define exactly the function in the specification, with exactly its input parameters in that \
order (add type hints), and return exactly its outputs: a single value for one output, a tuple in \
the listed order for several.
- Put all imports at the top. Use only numpy, scipy and the Python standard library.
- Write a docstring in Markdown with a summary, the method, `Parameters` and `Returns` (types, \
shapes, units).
- Implement the named method with its real parameter values; convert between samples and \
seconds with the sampling rate; handle short or empty inputs without crashing.
- Define every name you use. No code at module level other than imports and constants: no \
prints, no examples, no `if __name__ == "__main__":` block. No files, network or processes.
Answer with the module in one ```python block."""


def td_messages(statement: str) -> list[Message]:
    return [
        Message("system", TD_SYSTEM),
        Message("user", TD_EXAMPLE_USER),
        Message("assistant", TD_EXAMPLE_ANSWER),
        Message("user", statement),
    ]


def rt_request(
    decomposition: Decomposition,
    index: int,
    available: list[Param],
    knowledge: list[str],
    methods: Sequence[str] = (),
) -> str:
    """The sub-task first; the whole application only as context (a small model copies it)."""
    subtask = decomposition.subtasks[index]
    lines = [f"Specify sub-task {index + 1}: {subtask.name}", *(f"- {s}" for s in subtask.steps)]
    if available:
        lines += [
            "",
            "Values produced by earlier sub-tasks:",
            *(f"- {p.render()}" for p in available),
        ]
    if knowledge:
        lines += ["", "IoT knowledge (use what fits this sub-task):", *knowledge]
    if methods:
        lines += ["", "Methods to choose from:", *(f"- {m}" for m in dict.fromkeys(methods))]
    others = "; ".join(
        f"{i + 1}. {t.name}" + (" <- this one" if i == index else "")
        for i, t in enumerate(decomposition.subtasks)
    )
    lines += [
        "",
        "The whole application, as context only (specify just the sub-task above):",
        decomposition.statement,
        f"Sub-tasks: {others}",
    ]
    return "\n".join(lines)


def rt_messages(
    decomposition: Decomposition,
    index: int,
    available: list[Param],
    knowledge: list[str],
    methods: Sequence[str] = (),
) -> list[Message]:
    return [
        Message("system", RT_SYSTEM),
        Message("user", rt_request(decomposition, index, available, knowledge, methods)),
    ]


def cg_request(spec: Spec, subtask: SubTask | None, api_notes: list[str]) -> str:
    lines = [f"Function: {spec.signature}", "", spec.to_markdown()]
    if subtask is not None and subtask.steps:
        lines += ["", "Implementation steps:", *(f"- {s}" for s in subtask.steps)]
    if api_notes:
        lines += ["", "API reference:", *api_notes]
    return "\n".join(lines)


def cg_messages(spec: Spec, subtask: SubTask | None, api_notes: list[str]) -> list[Message]:
    return [Message("system", CG_SYSTEM), Message("user", cg_request(spec, subtask, api_notes))]


def repair_messages(
    spec: Spec, subtask: SubTask | None, api_notes: list[str], code: str, feedback: str
) -> list[Message]:
    return [
        *cg_messages(spec, subtask, api_notes),
        Message("assistant", f"```python\n{code.rstrip()}\n```"),
        Message(
            "user",
            "Checking that module found these problems:\n"
            f"{feedback}\n"
            "Fix every problem and answer with the complete corrected module in one ```python "
            "block.",
        ),
    ]
