"""Build the serving base: the shared PECT path merged into the base GGUF, FFNs widened.

Given the base GGUF and the shared delta (``adapters/shared.gguf``, a LoRA adapter GGUF with
``gpiot.pect.*`` keys), the merged base is the base file with

* every tensor the shared delta touches (``attn_k``, ``attn_v``) dequantised, the delta added,
  and written as **F32** (exact: the torch model computes on the same dequantised values;
  re-quantising would add an error the parity check could not tell from a bug, and F32 costs
  ~22 MB on the 0.5B model);
* ``ffn_gate`` / ``ffn_up`` given ``ffn_extra`` zero rows and ``ffn_down`` ``ffn_extra`` zero
  columns, in their own quantisation type (a block of zero bytes dequantises to 0 in every ggml
  type, and ``ffn_extra`` is a multiple of the type's block size), so the original bytes are kept
  and the role adapters can put their projection layers into those channels;
* every other tensor copied byte for byte, and all metadata copied, with
  ``feed_forward_length`` raised by ``ffn_extra``.

numpy and ``gguf`` only: the runtime may call ``ensure_merged_base`` without torch.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gguf
import numpy as np

from gpiot import gguf_names as names
from gpiot.errors import GpiotError, ModelError
from gpiot.model.provision import file_sha256
from gpiot.tuning.gguf_io import read_adapter

MERGED_SUFFIX = ".pect-merged.gguf"
STAMP_SUFFIX = ".stamp.json"


@dataclass(frozen=True)
class TensorRecord:
    name: str
    status: str  # "copied" | "merged" | "widened"
    sha256: str  # of the base tensor's bytes (for widened: of the preserved original bytes)


def _field_value(field: Any) -> tuple[Any, gguf.GGUFValueType, gguf.GGUFValueType | None]:
    main = field.types[0]
    sub = field.types[-1] if main == gguf.GGUFValueType.ARRAY else None
    return field.contents(), main, sub


def _raw(t: Any) -> np.ndarray[Any, Any]:
    """A tensor's bytes as uint8, in its numpy shape with the last axis in bytes."""
    return np.ascontiguousarray(np.asarray(t.data)).view(np.uint8)


def block_size(qtype: gguf.GGMLQuantizationType) -> int:
    return int(gguf.GGML_QUANT_SIZES[qtype][0])


def ffn_extra_for(base: Path, width: int) -> int:
    """The zero channels to add so ``width`` projection channels fit every ``ffn_down`` type."""
    if width <= 0:
        return 0
    reader = gguf.GGUFReader(str(base))
    step = 1
    for t in reader.tensors:
        parsed = names.parse_block_tensor(t.name)
        if parsed and parsed[1] == names.FFN_DOWN and parsed[2] == "weight":
            step = int(np.lcm(step, block_size(t.tensor_type)))
    return -(-width // step) * step


def build_merged_base(base: Path, delta: Path, out: Path) -> list[TensorRecord]:
    """Write the merged base to ``out``; returns what happened to each tensor."""
    shared = read_adapter(delta)
    extra = int(shared.metadata.get(names.PECT_FFN_EXTRA, 0))
    reader = gguf.GGUFReader(str(base))
    arch = str(reader.fields[names.ARCHITECTURE].contents())
    if arch != shared.architecture:
        raise ModelError(f"the shared delta is for {shared.architecture}, the base is {arch}")
    ff_key = names.arch_key(names.FEED_FORWARD_LENGTH, arch)
    tmp = out.with_name(out.name + ".part")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(str(tmp), arch)
    for key, field in reader.fields.items():
        if key.startswith("GGUF.") or key == names.ARCHITECTURE:
            continue
        value, vtype, sub = _field_value(field)
        if key == ff_key:
            value = int(value) + extra
        writer.add_key_value(key, value, vtype, sub_type=sub)
    records: list[TensorRecord] = []
    used: set[str] = set()
    for t in reader.tensors:
        raw = _raw(t)
        digest = hashlib.sha256(raw.tobytes()).hexdigest()
        parsed = names.parse_block_tensor(t.name)
        key = t.name.removesuffix(".weight")
        if key in shared.deltas:
            a, b = shared.deltas[key]
            weight = gguf.quants.dequantize(np.asarray(t.data), t.tensor_type).astype(np.float32)
            if weight.shape != (b.shape[0], a.shape[1]):
                raise ModelError(f"the shared delta for {t.name} does not fit the base's shape")
            merged = weight.astype(np.float64) + b.astype(np.float64) @ a.astype(np.float64)
            writer.add_tensor(t.name, merged.astype(np.float32))
            used.add(key)
            records.append(TensorRecord(t.name, "merged", digest))
            continue
        if (
            extra
            and parsed
            and parsed[2] == "weight"
            and parsed[1] in (names.FFN_GATE, names.FFN_UP)
        ):
            grown = np.concatenate([raw, np.zeros((extra, raw.shape[1]), np.uint8)])
            writer.add_tensor(t.name, grown, raw_dtype=t.tensor_type)
            records.append(TensorRecord(t.name, "widened", digest))
            continue
        if extra and parsed and parsed[2] == "weight" and parsed[1] == names.FFN_DOWN:
            blk = block_size(t.tensor_type)
            if extra % blk:
                raise ModelError(f"{t.name}: {extra} extra channels are not whole {blk}-blocks")
            type_size = gguf.GGML_QUANT_SIZES[t.tensor_type][1]
            pad = np.zeros((raw.shape[0], extra // blk * type_size), np.uint8)
            writer.add_tensor(t.name, np.concatenate([raw, pad], axis=1), raw_dtype=t.tensor_type)
            records.append(TensorRecord(t.name, "widened", digest))
            continue
        writer.add_tensor(t.name, raw, raw_dtype=t.tensor_type)
        records.append(TensorRecord(t.name, "copied", digest))
    missing = set(shared.deltas) - used
    if missing:
        raise ModelError(f"the shared delta names tensors the base lacks: {sorted(missing)[:3]}")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(tmp, out)
    return records


def verify_merged(base: Path, merged: Path, records: list[TensorRecord]) -> list[str]:
    """Re-read ``merged`` and check, by SHA-256, that every copied tensor is byte-identical to
    the base and every widened tensor keeps the base's bytes; returns the problems found."""
    out = {t.name: t for t in gguf.GGUFReader(str(merged)).tensors}
    base_tensors = {t.name: t for t in gguf.GGUFReader(str(base)).tensors}
    problems: list[str] = []
    for rec in records:
        t = out.get(rec.name)
        if t is None:
            problems.append(f"{rec.name} is missing")
            continue
        raw = _raw(t)
        if rec.status == "copied":
            kept = raw
        elif rec.status == "widened":
            parsed = names.parse_block_tensor(rec.name)
            base_raw = _raw(base_tensors[rec.name])
            if parsed and parsed[1] == names.FFN_DOWN:
                kept = raw[:, : base_raw.shape[1]]
                tail = raw[:, base_raw.shape[1] :]
            else:
                kept = raw[: base_raw.shape[0]]
                tail = raw[base_raw.shape[0] :]
            if tail.any():
                problems.append(f"{rec.name}: the added channels are not zero")
        else:
            continue
        if hashlib.sha256(np.ascontiguousarray(kept).tobytes()).hexdigest() != rec.sha256:
            problems.append(f"{rec.name}: bytes differ from the base")
    return problems


def ensure_merged_base(base: Path, delta: Path, cache_dir: Path) -> Path:
    """The merged base for ``delta``, built on first use and cached next to a stamp that holds
    its SHA-256 and the hashes of its inputs; a stamp that no longer matches rebuilds it."""
    delta_sha = file_sha256(delta)
    out = cache_dir / f"{base.stem}.{delta_sha[:12]}{MERGED_SUFFIX}"
    stamp = out.with_name(out.name + STAMP_SUFFIX)
    if out.is_file() and stamp.is_file():
        try:
            info: dict[str, Any] = json.loads(stamp.read_text())
        except ValueError:
            info = {}
        st = out.stat()
        if (
            info.get("delta_sha256") == delta_sha
            and info.get("size") == st.st_size
            and info.get("mtime_ns") == st.st_mtime_ns
        ):
            return out
    shared_meta = read_adapter(delta).metadata
    want = str(shared_meta.get(names.PECT_BASE_SHA256, ""))
    base_sha = file_sha256(base)
    if want and want != base_sha:
        raise ModelError(
            f"the shared delta {delta.name} was trained on another base model ({want[:12]}…)",
            "use the base it was trained on, or remove shared_delta from the adapter manifest",
        )
    records = build_merged_base(base, delta, out)
    problems = verify_merged(base, out, records)
    if problems:
        out.unlink(missing_ok=True)
        raise GpiotError("the merged base failed its byte check: " + "; ".join(problems[:3]))
    st = out.stat()
    stamp.write_text(
        json.dumps(
            {
                "base_sha256": base_sha,
                "delta_sha256": delta_sha,
                "sha256": file_sha256(out),
                "size": st.st_size,
                "mtime_ns": st.st_mtime_ns,
            },
            indent=2,
        )
    )
    return out
