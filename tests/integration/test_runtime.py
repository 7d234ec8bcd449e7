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
from gpiot.runtime.grammars import function_grammar, json_grammar
from gpiot.runtime.llama import Message, RoleContext
from gpiot.runtime.sampling import ROLE_SAMPLING, Role, Sampling

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


def test_sequences_decoded_together_are_those_decoded_alone(runtime: Runtime) -> None:
    ctx = RoleContext(
        runtime.model,
        n_ctx=1024,
        n_batch=64,
        threads=runtime.settings.threads,
        kv_cache=runtime.settings.kv_cache,
        parallel=3,
    )
    try:
        chat = runtime.model.chat_prompt
        a = chat([Message("user", "Name three ECG leads.")])
        b = chat([Message("user", "Write a Python function that returns the mean of a list.")])
        greedy = ROLE_SAMPLING[Role.RT]
        alone = [ctx.generate(p, greedy, cancel=CancelToken(), max_tokens=24).text for p in (a, b)]
        together = ctx.generate_many(
            [a, b, a], greedy, seeds=[0, 0, 0], cancel=CancelToken(), max_tokens=24
        )
        assert [g.text for g in together] == [alone[0], alone[1], alone[0]]
        assert all(g.sequences == 3 and g.generated_tokens == 24 for g in together)
        assert together[0].prompt_tokens == len(runtime.model.tokenize(a))

        # sampled, under a grammar each sequence walks on its own: seeded, and reproducible
        code = chat([Message("user", "Write mean(values), the mean of a list of floats.")])
        sampled = Sampling(temperature=1.0, max_tokens=60)
        grammar = function_grammar("mean", ["values"])
        runs = [
            ctx.generate_many(
                [code, code], sampled, seeds=[1, 2], grammar=grammar, cancel=CancelToken()
            )
            for _ in range(2)
        ]
        assert [g.text for g in runs[0]] == [g.text for g in runs[1]]
        assert runs[0][0].text != runs[0][1].text
        assert all("def mean(values" in g.text for g in runs[0])
    finally:
        ctx.close()
