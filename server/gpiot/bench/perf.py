"""`gpiot bench perf`: load time, tokens/s per role, pipeline latency, memory for 1 vs 3 roles.

Memory is measured in fresh child processes (``python -m gpiot.bench.perf --memory CONFIG``) so one
configuration's pages never count towards another's. Resident memory (VmRSS) is read after every
role in the configuration has generated once, so the weights and caches it touches are resident.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from gpiot.cancel import CancelToken
from gpiot.pipeline import prompts
from gpiot.pipeline.events import Event, FileWritten
from gpiot.pipeline.spec import Param, Spec
from gpiot.pipeline.statement import extract_statement
from gpiot.pipeline.workspace import Workspace
from gpiot.runtime.engine import Runtime, resolve_model_path
from gpiot.runtime.grammars import function_grammar, json_grammar
from gpiot.runtime.llama import BaseModel, Message, RoleContext
from gpiot.runtime.sampling import ROLE_SAMPLING, Role
from gpiot.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[3] / "knowledge" / "examples"
_WARM = [Message("user", "Say OK.")]
BENCH_SPEC = Spec(
    function="moving_rms",
    target="Compute the moving root-mean-square envelope of a signal over a window given in "
    "seconds, using a centred window (np.convolve).",
    inputs=(
        Param("signal", "np.ndarray", "1-D signal, shape (n_samples,)."),
        Param("fs", "float", "sampling rate in Hz."),
        Param("window_s", "float", "window length in seconds."),
    ),
    outputs=(Param("envelope", "np.ndarray", "RMS envelope, shape (n_samples,)."),),
)


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _role_request(role: Role) -> tuple[list[Message], str]:
    statement = extract_statement((EXAMPLES / "ecg_heartbeats.py").read_text())
    if role is Role.TD:
        return prompts.td_messages(statement), json_grammar(prompts.TD_SCHEMA)
    if role is Role.RT:
        from gpiot.pipeline.stages import parse_decomposition

        dec = parse_decomposition(
            statement,
            '{"subtasks": [{"name": "Band-pass filter the ECG", "steps": ["5-15 Hz"]}, '
            '{"name": "Detect R-peaks", "steps": ["Pan-Tompkins"]}]}',
        )
        return prompts.rt_messages(dec, 1, [], []), json_grammar(prompts.rt_schema())
    spec = BENCH_SPEC
    grammar = function_grammar(spec.function, [p.name for p in spec.inputs])
    return prompts.cg_messages(spec, None, []), grammar


def memory_child(config: str, settings: Settings) -> dict[str, float]:
    """Runs in a child process: build one configuration, generate once per role, report RSS."""
    path = resolve_model_path(settings)
    base = _rss_mib()
    kw: dict[str, Any] = dict(
        n_ctx=settings.context_size,
        n_batch=settings.batch_size,
        threads=settings.threads,
        kv_cache=settings.kv_cache,
    )
    if config == "separate":  # what three independently loaded models would cost
        models = [BaseModel(path) for _ in Role]
        contexts = [RoleContext(m, **kw) for m in models]
    else:
        model = BaseModel(path)
        contexts = [RoleContext(model, **kw) for _ in range(1 if config == "one" else 3)]
    for ctx in contexts:
        ctx.generate(
            ctx.model.chat_prompt(_WARM), ROLE_SAMPLING[Role.TD], cancel=CancelToken(), max_tokens=8
        )
    return {"rss_mib": _rss_mib(), "baseline_mib": base}


def machine(settings: Settings) -> dict[str, Any]:
    """Where a benchmark ran, for its JSON and the README."""
    return {
        "cpu": _cpu_name(),
        "cores": settings.threads,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _memory(config: str, settings: Settings) -> dict[str, float]:
    cmd = [
        sys.executable,
        "-m",
        "gpiot.bench.perf",
        "--memory",
        config,
        json.dumps(asdict(settings)),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _role_speed(runtime: Runtime) -> dict[str, dict[str, float]]:
    speeds: dict[str, dict[str, float]] = {}
    for role in Role:
        messages, grammar = _role_request(role)
        gen = runtime.generate(role, messages, grammar=grammar, max_tokens=200)
        speeds[role.value] = {
            "prompt_tokens": gen.prompt_tokens,
            "prompt_tok_s": gen.prompt_tokens / gen.prompt_seconds,
            "generated_tokens": gen.generated_tokens,
            "decode_tok_s": gen.generated_tokens / gen.decode_seconds,
        }
    return speeds


def _pipeline(runtime: Runtime, settings: Settings, example: Path) -> dict[str, Any]:
    from gpiot.pipeline.run import run_app

    marks: dict[str, float] = {}
    start = time.perf_counter()

    def on_event(event: Event) -> None:
        kind = type(event).__name__
        if kind == "DecompositionReady":
            marks.setdefault("td_s", time.perf_counter() - start)
        if isinstance(event, FileWritten):
            marks.setdefault("first_file_s", time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / example.name
        app.write_text(example.read_text())
        result = run_app(
            runtime,
            settings,
            Workspace(tmp),
            app.name,
            extract_statement(app.read_text()),
            on_event=on_event,
        )
    return {
        "example": example.name,
        **marks,
        "total_s": result.seconds,
        "subtasks": len(result.outcomes),
        "validated": sum(o.status == "validated" for o in result.outcomes),
    }


def run_perf(settings: Settings, output: Path, *, quick: bool, console: Console) -> dict[str, Any]:
    t0 = time.perf_counter()
    runtime = Runtime.load(settings)
    load_s = time.perf_counter() - t0
    try:
        speeds = _role_speed(runtime)
        examples = sorted(EXAMPLES.glob("*.py"))[: 1 if quick else None]
        pipelines = [_pipeline(runtime, settings, ex) for ex in examples]
    finally:
        runtime.close()
    memory = {config: _memory(config, settings) for config in ("one", "three", "separate")}
    report: dict[str, Any] = {
        "machine": machine(settings),
        "model": settings.model or "default packaged",
        "context": {"tokens": settings.context_size, "kv_cache": settings.kv_cache},
        "load_s": load_s,
        "roles": speeds,
        "pipelines": pipelines,
        "memory": memory,
        "memory_ratio_three_vs_one": memory["three"]["rss_mib"] / memory["one"]["rss_mib"],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2))
    _print(report, console)
    console.print(f"wrote {output}")
    return report


def _cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _print(report: dict[str, Any], console: Console) -> None:
    table = Table(title="GPIoT runtime performance")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("model + 3 role contexts load", f"{report['load_s']:.2f} s")
    for role, s in report["roles"].items():
        table.add_row(f"{role} prompt", f"{s['prompt_tok_s']:.0f} tok/s ({s['prompt_tokens']} tok)")
        table.add_row(f"{role} decode", f"{s['decode_tok_s']:.1f} tok/s")
    for p in report["pipelines"]:
        name = p["example"]
        table.add_row(f"{name}: TD latency", f"{p.get('td_s', float('nan')):.1f} s")
        table.add_row(
            f"{name}: first sub-task file", f"{p.get('first_file_s', float('nan')):.1f} s"
        )
        table.add_row(
            f"{name}: total", f"{p['total_s']:.1f} s ({p['validated']}/{p['subtasks']} validated)"
        )
    mem = report["memory"]
    table.add_row("RSS, one role ready", f"{mem['one']['rss_mib']:.0f} MiB")
    table.add_row("RSS, three roles ready (shared base)", f"{mem['three']['rss_mib']:.0f} MiB")
    table.add_row("RSS, three separate models", f"{mem['separate']['rss_mib']:.0f} MiB")
    table.add_row("three roles / one role", f"{report['memory_ratio_three_vs_one']:.3f}")
    console.print(table)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--memory":
        base, _ = Settings().with_values(json.loads(sys.argv[3]))
        print(json.dumps(memory_child(sys.argv[2], base)))
