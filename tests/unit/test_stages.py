import json
from dataclasses import replace

from gpiot.pipeline.decomposition import SubTask
from gpiot.pipeline.spec import Spec
from gpiot.pipeline.stages import (
    extract_code,
    names_note,
    parse_decomposition,
    parse_spec,
    restates,
    subtask_target,
    with_method,
)
from gpiot.retrieval.hook import Snippet


def test_decomposition_drops_repeated_subtasks() -> None:
    text = json.dumps(
        {
            "subtasks": [
                {"name": "Filter ECG", "steps": ["5-15 Hz band-pass"]},
                {"name": "Filter  ecg", "steps": ["again"]},
                {"name": "Detect R-peaks", "steps": ["Pan-Tompkins"]},
            ]
        }
    )
    dec = parse_decomposition("s", text)
    assert [t.name for t in dec.subtasks] == ["Filter ECG", "Detect R-peaks"]


def test_spec_names_are_made_unique_repeats_dropped_and_array_types_fixed() -> None:
    text = json.dumps(
        {
            "function_name": "detect",
            "target": "Detect  R-peaks.",
            "inputs": [
                {"name": "ecg", "type": "float", "description": "1-D numpy array of the ECG"},
                {"name": "ecg", "type": "float", "description": "sampling rate in Hz"},
                {"name": "fs", "type": "float", "description": "the sampling rate in Hz"},
                {"name": "fs", "type": "float", "description": "the sampling rate in Hz"},
            ],
            "outputs": [{"name": "n", "type": "int", "description": "number of samples"}],
        }
    )
    spec = parse_spec(text, ("src",), {"detect"})
    assert spec.function == "detect_2"
    assert [p.name for p in spec.inputs] == ["ecg", "ecg_2", "fs"]  # fs twice is one fs
    assert [p.type for p in spec.inputs] == ["np.ndarray", "float", "float"]
    assert spec.outputs[0].type == "int"
    assert spec.target == "Detect R-peaks."
    assert spec.sources == ("src",)


def test_extract_code_from_fence_or_plain() -> None:
    assert extract_code("```python\nx = 1\n```") == "x = 1\n"
    assert extract_code("x = 2") == "x = 2\n"
    assert extract_code("```python\nx = 3\n") == "x = 3\n"


def test_a_target_that_restates_the_application_is_replaced_by_the_subtasks_own() -> None:
    statement = (
        "Detect every heartbeat in a single-lead ECG recorded at 360 Hz and report, for the "
        "recording, how many R-peaks were found and the mean heart rate in beats per minute."
    )
    assert restates(statement, statement)
    assert restates(
        "Detect every heartbeat in a single-lead ECG recorded at 360 Hz and report "
        "how many R-peaks were found",
        statement,
    )
    assert not restates(
        "Band-pass the ECG between 5 and 15 Hz with a zero-phase Butterworth "
        "filter before the Pan-Tompkins derivative and squaring",
        statement,
    )
    task = SubTask("Compute R-R intervals", ("np.diff of the R-peak times in seconds.",))
    assert subtask_target(task) == "Compute R-R intervals: np.diff of the R-peak times in seconds."


def test_rt_asks_for_the_subtask_first_and_gives_the_application_only_as_context() -> None:
    from gpiot.pipeline.decomposition import Decomposition
    from gpiot.pipeline.prompts import rt_messages
    from gpiot.pipeline.spec import Param

    dec = Decomposition(
        "Count steps from a 50 Hz wrist accelerometer and report the cadence.",
        (SubTask("Load the data", ("read",)), SubTask("Detect steps", ("find peaks",))),
    )
    earlier = [Param("acc", "np.ndarray", "samples in m/s^2, shape (n, 3)")]
    system, user = rt_messages(
        dec, 1, earlier, ["[notes/imu.md#steps] Steps: ..."], ["Step counting", "Step counting"]
    )
    assert system.role == "system" and user.role == "user"
    text = user.content
    assert text.startswith("Specify sub-task 2: Detect steps\n- find peaks")
    assert text.index("- acc (np.ndarray)") < text.index("[notes/imu.md#steps]")
    assert text.index("[notes/imu.md#steps]") < text.index(dec.statement)
    assert "2. Detect steps <- this one" in text
    assert "Methods to choose from:\n- Step counting\n\n" in text  # each title once


def test_rt_method_is_one_of_the_retrieved_titles_or_none() -> None:
    from gpiot.pipeline.prompts import NO_METHOD, rt_schema
    from gpiot.runtime.grammars import json_grammar

    schema = rt_schema(["Pan-Tompkins QRS detection", "Pan-Tompkins QRS detection"])
    assert schema["properties"]["method"] == {"enum": ["Pan-Tompkins QRS detection", NO_METHOD]}
    assert list(schema["properties"])[:3] == ["function_name", "method", "target"]
    grammar = json_grammar(schema)
    assert "Pan-Tompkins QRS detection" in grammar and NO_METHOD in grammar
    assert rt_schema()["properties"]["method"] == {"enum": [NO_METHOD]}


def _note(method: str, parameters: str) -> Snippet:
    return Snippet(
        "knowledge/notes/ecg/x.md#steps",
        f"{method} — Steps",
        "...",
        0.5,
        "ecg",
        "Steps",
        method,
        parameters,
    )


def test_the_chosen_method_and_its_parameters_are_written_into_the_target() -> None:
    spec = Spec("detect_r_peaks", "Find R peaks with find_peaks.", (), ())
    note = _note("Pan-Tompkins QRS detection", "band_pass_hz=5-15; refractory_ms=200")
    grounded = with_method(spec, note)
    assert grounded.target == (
        "Find R peaks with find_peaks. Method: Pan-Tompkins QRS detection. "
        "Key parameters: band_pass_hz=5-15; refractory_ms=200."
    )
    named = with_method(replace(spec, target="Pan-Tompkins QRS detection on the ECG."), note)
    assert named.target.count("Pan-Tompkins") == 1 and named.target.endswith("refractory_ms=200.")
    assert with_method(spec, None) == spec
    long = with_method(spec, _note("M", "; ".join(f"p{i}=" + "x" * 20 for i in range(30))))
    params = long.target.split("Key parameters: ")[1]
    assert len(params) <= 241 and params.endswith("x.") and "; p" in params


def test_a_note_is_named_by_its_file_stem_without_the_modality() -> None:
    source = "knowledge/notes/ecg/ecg-pan-tompkins.md#steps"
    assert names_note("Pan-Tompkins: 5-15 Hz band-pass", source)
    assert names_note("run the pan tompkins detector", source)
    assert not names_note("scipy.signal.find_peaks with a distance", source)
    assert not names_note("pan", source)
    assert names_note("Madgwick filter, beta 0.1", "knowledge/notes/imu/imu-madgwick.md#summary")
    assert not names_note("Madgwickian", "knowledge/notes/imu/imu-madgwick.md#summary")


class _ScriptedCG:
    """A stand-in for the runtime's CG (unit test of the repair rounds): sample 0 writes valid
    code at once, sample 1 on its first repair, sample 2 never: an undefined name, then code that
    does not parse."""

    def __init__(self) -> None:
        self.rounds: list[tuple[list[int], float | None, list[str]]] = []

    def generate_many(self, role, conversations, *, seed_offsets, grammar, sampling, cancel):  # type: ignore[no-untyped-def]
        from gpiot.runtime.llama import Generation

        last_user = [c[-1].content for c in conversations]
        self.rounds.append((seed_offsets, sampling and sampling.temperature, last_user))
        good = "def scale(x):\n    return x * 2\n"
        bad = "def scale(x):\n    return x * factor\n"
        broken = "def scale(x):\n    return (x * 2\n"
        attempt = len(self.rounds)
        texts = [
            good if s == 0 or (s == 1 and attempt == 2) else bad if attempt == 1 else broken
            for s in seed_offsets
        ]
        return [Generation(f"```python\n{t}```", 10, 5, 0.5, 1.5, "eog", 3) for t in texts]


def test_samples_still_failing_are_repaired_together_each_with_its_own_feedback() -> None:
    from gpiot.cancel import CancelToken
    from gpiot.pipeline.spec import Param
    from gpiot.pipeline.stages import generate_code_samples
    from gpiot.retrieval.hook import NoRetrieval
    from gpiot.settings import Settings

    spec = Spec(
        "scale", "Double x.", (Param("x", "float", "a value"),), (Param("y", "float", "2x"),)
    )
    cg = _ScriptedCG()
    settings = Settings(smoke_run=False, repair_attempts=2)
    results = generate_code_samples(cg, spec, None, settings, NoRetrieval(), CancelToken(), 3)  # type: ignore[arg-type]
    assert [r[0] for r in cg.rounds] == [[0, 1, 2], [1, 2], [2]]  # seeds: seed + sample number
    assert [r[1] for r in cg.rounds] == [None, 0.4, 0.4]  # role default first, then repair
    assert all("factor" in text for text in cg.rounds[1][2])  # the undefined name is fed back
    assert [r.attempts for r in results] == [1, 2, 3]
    assert [r.code is not None for r in results] == [True, True, False]
    # sample 2's repairs broke the syntax: the attempt that got further is kept
    assert "factor" in results[2].best_attempt and len(results[2].generations) == 3
    assert [p.kind for p in results[2].report.problems] == ["undefined-name"]
    assert results[1].model_s == 4.0  # two attempts, 0.5 + 1.5 s each
