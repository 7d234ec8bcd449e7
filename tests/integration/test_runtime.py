"""The runtime with the real default model through llama.cpp."""

import json
import threading
import time

import pytest

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled
from gpiot.pipeline import prompts
from gpiot.pipeline.stages import parse_decomposition, parse_spec
from gpiot.runtime.engine import Runtime
from gpiot.runtime.grammars import json_grammar
from gpiot.runtime.llama import Message
from gpiot.runtime.sampling import Role

pytestmark = pytest.mark.model


def test_one_model_three_role_contexts(runtime: Runtime) -> None:
    roles = {info.role for info in runtime.roles()}
    assert roles == set(Role)
    contexts = [runtime.context(role) for role in Role]
    assert len({id(c) for c in contexts}) == 3
    assert all(c.model is runtime.model for c in contexts)
    assert runtime.info.architecture == "qwen2"


@pytest.mark.parametrize(
    "statement",
    [
        "Count steps from a wrist accelerometer sampled at 50 Hz and report the cadence.",
        "Detect speech segments in a 16 kHz microphone recording with an energy-based VAD.",
    ],
)
def test_decomposition_is_well_formed_by_construction(runtime: Runtime, statement: str) -> None:
    gen = runtime.generate(
        Role.TD, prompts.td_messages(statement), grammar=json_grammar(prompts.TD_SCHEMA)
    )
    data = json.loads(gen.text)
    assert 2 <= len(data["subtasks"]) <= prompts.MAX_SUBTASKS
    dec = parse_decomposition(statement, gen.text)
    assert all(task.name and task.steps for task in dec.subtasks)


def test_spec_output_always_parses(runtime: Runtime) -> None:
    dec = parse_decomposition(
        "Detect R-peaks in an ECG at 360 Hz.",
        '{"subtasks": [{"name": "Band-pass filter the ECG", "steps": ["5-15 Hz Butterworth"]},'
        ' {"name": "Detect R-peaks", "steps": ["Pan-Tompkins"]}]}',
    )
    gen = runtime.generate(
        Role.RT, prompts.rt_messages(dec, 0, [], []), grammar=json_grammar(prompts.rt_schema())
    )
    spec = parse_spec(gen.text, (), set())
    assert spec.inputs and spec.outputs
    assert all(p.type in prompts.PARAM_TYPES for p in (*spec.inputs, *spec.outputs))


def test_cancel_stops_a_real_generation(runtime: Runtime) -> None:
    token = CancelToken()
    messages = [Message("user", "Write a very long essay about signal processing. " * 20)]
    seen: list[str] = []
    future = runtime.submit(Role.CG, messages, cancel=token, on_text=seen.append, max_tokens=2000)
    while not seen:  # wait until decoding has started
        time.sleep(0.01)
    token.cancel("test")
    with pytest.raises(Cancelled):
        future.result(timeout=30)
    assert len(seen) < 2000
    # the context is free again: the next request on the same role runs normally
    after = runtime.generate(Role.CG, [Message("user", "Say OK.")], max_tokens=5)
    assert after.generated_tokens > 0


def test_requests_for_one_role_are_serialised(runtime: Runtime) -> None:
    messages = [Message("user", "Name one IoT sensor.")]
    futures = [runtime.submit(Role.TD, messages, max_tokens=12) for _ in range(3)]
    texts = [f.result(timeout=120).text for f in futures]
    assert texts[0] == texts[1] == texts[2]  # greedy decoding on a fresh cache each time


def test_cancel_before_start_never_decodes(runtime: Runtime) -> None:
    token = CancelToken()
    token.cancel()
    started = threading.Event()
    future = runtime.submit(
        Role.RT, [Message("user", "hi")], cancel=token, on_text=lambda _: started.set()
    )
    with pytest.raises(Cancelled):
        future.result(timeout=30)
    assert not started.is_set()
