"""`gpiot tune data | train | export | check`: thin commands over the tuning package.

torch and transformers are imported only when a tune command runs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from gpiot.datasets.command import add_data_parser
from gpiot.errors import GpiotError

DEFAULT_OUT = "build/tune"
CHECK_PROMPTS = (
    "Detect R-peaks in a 360 Hz ECG and report the mean heart rate.",
    "Write a function that low-pass filters a 3-axis accelerometer signal at 50 Hz.",
    "Count steps from a wrist IMU recording.",
)


def add_tune_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("tune", help="PECT co-tuning: train, export, check")
    tune = p.add_subparsers(dest="tune", required=True)
    add_data_parser(tune)

    t = tune.add_parser("train", parents=[common], help="train the PECT paths (resumable)")
    t.add_argument("--tdd", default="knowledge/datasets/tdd.jsonl", help="TD dataset (JSONL)")
    t.add_argument("--cgd", default="knowledge/datasets/cgd.jsonl", help="CG dataset (JSONL)")
    t.add_argument("--out", default=DEFAULT_OUT, help="checkpoints, config, loss curves")
    t.add_argument("--steps", type=int, default=600, help="optimizer steps in all")
    t.add_argument("--stop-after", type=int, help="stop after this many more steps (resume later)")
    t.add_argument("--max-tokens", type=int, default=1024, help="tokens per sample at most")
    t.add_argument("--lr", type=float, default=2e-4)
    t.add_argument("--batch-size", type=int, default=1)
    t.add_argument("--grad-accum", type=int, default=1)
    t.add_argument("--checkpoint-every", type=int, default=25)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--fresh", action="store_true", help="ignore an existing checkpoint")
    t.add_argument("--shared-rank", type=int, default=8)
    t.add_argument("--role-rank", type=int, default=8)
    t.add_argument("--projection-width", type=int, default=8)
    t.add_argument("--mix", type=float, default=0.5, help="λ between shared and role paths")
    t.set_defaults(func=cmd_train)

    e = tune.add_parser("export", parents=[common], help="write shared delta + role adapters")
    e.add_argument("--checkpoint", default=DEFAULT_OUT, help="training folder")
    e.add_argument("--out", default="adapters", help="adapters folder (manifest updated)")
    e.set_defaults(func=cmd_export)

    c = tune.add_parser("check", parents=[common], help="llama.cpp vs torch logits per role")
    c.add_argument("--checkpoint", default=DEFAULT_OUT, help="training folder")
    c.add_argument("--prompt", action="append", help="prompt text (repeatable)")
    c.set_defaults(func=cmd_check)


def _base_path(args: argparse.Namespace) -> Path:
    from gpiot.cli import _settings
    from gpiot.runtime.engine import resolve_model_path

    return resolve_model_path(_settings(args))


def _threads(args: argparse.Namespace) -> int:
    return int(args.threads or 0)


def cmd_train(args: argparse.Namespace) -> int:
    from gpiot.tuning.base import load_base
    from gpiot.tuning.config import PectConfig, TrainConfig
    from gpiot.tuning.curves import plot_curves
    from gpiot.tuning.data import encode, read_jsonl
    from gpiot.tuning.llama_eval import LlamaReference
    from gpiot.tuning.modules import attach
    from gpiot.tuning.train import CURVES, StepRecord, train

    pect = PectConfig(
        shared_rank=args.shared_rank,
        role_rank=args.role_rank,
        projection_width=args.projection_width,
        mix=args.mix,
    )
    config = TrainConfig(
        tdd=args.tdd,
        cgd=args.cgd,
        out_dir=args.out,
        steps=args.steps,
        lr=args.lr,
        max_tokens=args.max_tokens,
        batch_size=args.batch_size,
        grad_accum=args.grad_accum,
        checkpoint_every=args.checkpoint_every,
        seed=args.seed,
        threads=_threads(args),
        pect=pect,
    )
    base = _base_path(args)
    paths = {"td": Path(args.tdd), "cg": Path(args.cgd)}
    with LlamaReference(base, vocab_only=True) as tok:
        data = {
            role: [encode(s, tok, config.max_tokens) for s in read_jsonl(path, (role,))]
            for role, path in paths.items()
        }
        pad = int(tok.tokenize("<|endoftext|>")[0])
    for role, samples in data.items():
        tokens = sum(e.trained_tokens for e in samples)
        print(f"{role}: {len(samples)} samples, {tokens} assistant tokens")
    t0 = time.perf_counter()
    model = attach(load_base(base), pect)
    print(f"base loaded in {time.perf_counter() - t0:.1f} s")

    def report(r: StepRecord) -> None:
        print(
            f"step {r.step:5d} {r.role} loss {r.loss:.4f} tokens {r.tokens} "
            f"{r.seconds:.1f} s wall, {r.cpu_seconds:.1f} s CPU"
        )

    out = Path(args.out)
    result = train(
        model,
        data,
        config,
        out,
        pad_id=pad,
        resume=not args.fresh,
        stop_after=args.stop_after,
        on_step=report,
    )
    plot_curves(result.history, out / CURVES)
    print(f"{result.steps_done}/{config.steps} steps; curves in {out / CURVES}")
    return 0


def _trained_model(base: Path, folder: Path) -> Any:
    from gpiot.tuning.base import load_base
    from gpiot.tuning.config import train_from_dict
    from gpiot.tuning.modules import attach
    from gpiot.tuning.train import CHECKPOINT, load_checkpoint

    ckpt_path = folder / CHECKPOINT
    if not ckpt_path.is_file():
        raise GpiotError(f"no checkpoint in {folder}", "run `gpiot tune train` first")
    ckpt = load_checkpoint(ckpt_path)
    config = train_from_dict(ckpt["config"])
    model = attach(load_base(base), config.pect)
    model.load_pect_state_dict(ckpt["pect"])
    model.eval()
    return model


def cmd_export(args: argparse.Namespace) -> int:
    from gpiot.model.provision import file_sha256
    from gpiot.runtime.adapters import write_manifest
    from gpiot.tuning.export import export_pect
    from gpiot.tuning.merged_base import ffn_extra_for

    base = _base_path(args)
    model = _trained_model(base, Path(args.checkpoint))
    out = Path(args.out)
    extra = ffn_extra_for(base, model.config.projection_width)
    result = export_pect(model, out, base, extra)
    write_manifest(
        out,
        base_name=base.stem,
        base_sha256=file_sha256(base),
        roles={role: path.name for role, path in result.roles.items()},
        shared_delta=result.shared.name,
    )
    print(
        json.dumps(
            {
                "shared": str(result.shared),
                "ffn_extra": extra,
                "roles": {r: str(p) for r, p in result.roles.items()},
            },
            indent=2,
        )
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from gpiot.cli import _settings
    from gpiot.runtime.adapters import AdapterManifest
    from gpiot.tuning.check import compare
    from gpiot.tuning.llama_eval import LlamaReference
    from gpiot.tuning.merged_base import ensure_merged_base

    settings = _settings(args)
    base = _base_path(args)
    manifest = AdapterManifest.load(settings.adapters_path)
    if manifest.shared_delta is None:
        raise GpiotError(f"{settings.adapters_path} has no shared delta", "run `gpiot tune export`")
    merged = ensure_merged_base(base, manifest.shared_delta, Path(settings.cache_dir))
    model = _trained_model(base, Path(args.checkpoint))
    with LlamaReference(base, vocab_only=True) as tok:
        prompts = [
            tok.tokenize(tok.chat([("user", text)], open_assistant=True))
            for text in (args.prompt or CHECK_PROMPTS)
        ]
    roles = {role.value: entry.path for role, entry in manifest.roles.items()}
    results = compare(model, merged, roles, prompts, plain_base=base, threads=settings.threads)
    for r in results:
        print(
            f"{r.label:8s} max |Δlogit| {r.max_abs_diff:.3g} (max |logit| {r.max_abs_logit:.3g}), "
            f"mean {r.mean_abs_diff:.3g}, same next token {r.top1_agreement:.1%}"
        )
    if args.json:
        print(json.dumps([r.__dict__ for r in results]))
    return 0
