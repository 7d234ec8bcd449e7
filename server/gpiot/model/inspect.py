"""Read a GGUF's header and tensor table without loading it, turning damage into ModelError.

`gguf.GGUFReader` materialises every array (150k tokenizer strings) and takes seconds; this reader
skips arrays it does not need and reads only the scalars below, in well under a second.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from gpiot import gguf_names as keys
from gpiot.errors import ModelError

# GGUF value types: fixed-size scalars by struct format, then string (8) and array (9).
_SCALARS = {
    0: "B",
    1: "b",
    2: "H",
    3: "h",
    4: "I",
    5: "i",
    6: "f",
    7: "?",
    10: "Q",
    11: "q",
    12: "d",
}
_STRING, _ARRAY = 8, 9
_DEFAULT_ALIGNMENT = 32


@dataclass(frozen=True)
class GgufInfo:
    path: Path
    size: int
    version: int
    file_type: str  # "model" or "adapter"
    architecture: str
    name: str
    block_count: int | None
    embedding_length: int | None
    context_length: int | None
    has_chat_template: bool
    tensor_names: tuple[str, ...]
    metadata: dict[str, Any]  # scalar and string values only


class _Truncated(Exception):
    pass


def _read(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise _Truncated
    return data


def _unpack(f: BinaryIO, fmt: str) -> Any:
    return struct.unpack("<" + fmt, _read(f, struct.calcsize(fmt)))[0]


def _string(f: BinaryIO) -> str:
    return _read(f, _unpack(f, "Q")).decode("utf-8", errors="replace")


def _value(f: BinaryIO, vtype: int) -> Any:
    if vtype in _SCALARS:
        return _unpack(f, _SCALARS[vtype])
    if vtype == _STRING:
        return _string(f)
    if vtype == _ARRAY:
        itype, count = _unpack(f, "I"), _unpack(f, "Q")
        if itype in _SCALARS:  # skip fixed-size arrays in one seek
            f.seek(count * struct.calcsize(_SCALARS[itype]), 1)
        else:
            for _ in range(count):
                _value(f, itype)
        return None  # arrays are not kept
    raise ValueError(f"unknown GGUF value type {vtype}")


def _tensor_bytes(shape: list[int], ggml_type: int) -> int:
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    n = 1
    for d in shape:
        n *= d
    return n // block * type_size


def read_gguf(path: Path) -> GgufInfo:
    """Parse header and tensor table; a missing, foreign, truncated or damaged file raises."""
    if not path.is_file():
        raise ModelError(f"model file not found: {path}", "check the --model path or GPIOT_MODEL")
    size = path.stat().st_size
    try:
        with path.open("rb") as f:
            magic = f.read(4)
            if magic != keys.MAGIC:
                raise ModelError(
                    f"{path} is not a GGUF file (starts with {magic!r})",
                    "point --model at a .gguf file converted for llama.cpp",
                )
            version, n_tensors, n_kv = _unpack(f, "I"), _unpack(f, "Q"), _unpack(f, "Q")
            meta: dict[str, Any] = {}
            for _ in range(n_kv):
                key = _string(f)
                value = _value(f, _unpack(f, "I"))
                if value is not None:
                    meta[key] = value
            tensors: list[tuple[str, int, int]] = []
            for _ in range(n_tensors):
                name = _string(f)
                shape = [_unpack(f, "Q") for _ in range(_unpack(f, "I"))]
                ggml_type, offset = _unpack(f, "I"), _unpack(f, "Q")
                tensors.append((name, offset, _tensor_bytes(shape, ggml_type)))
            align = int(meta.get("general.alignment", _DEFAULT_ALIGNMENT))
            data_start = -(-f.tell() // align) * align
    except _Truncated:
        raise ModelError(
            f"{path} is truncated inside its header", "delete it and provide a complete copy"
        ) from None
    except (ValueError, KeyError, UnicodeError, struct.error) as exc:
        raise ModelError(
            f"{path} has a damaged GGUF header ({exc})", "provide a good copy"
        ) from exc
    end = max((data_start + off + n for _, off, n in tensors), default=data_start)
    if end > size:
        raise ModelError(
            f"{path} is truncated: its tensors need {end:,} bytes, the file has {size:,}",
            "delete it and provide a complete copy",
        )
    arch = str(meta.get(keys.ARCHITECTURE, ""))
    if not arch:
        raise ModelError(f"{path} has no {keys.ARCHITECTURE} key", "use a llama.cpp GGUF")

    def arch_int(template: str) -> int | None:
        value = meta.get(keys.arch_key(template, arch))
        return int(value) if value is not None else None

    return GgufInfo(
        path=path,
        size=size,
        version=version,
        file_type=str(meta.get(keys.TYPE, "model")),
        architecture=arch,
        name=str(meta.get(keys.NAME, path.stem)),
        block_count=arch_int(keys.BLOCK_COUNT),
        embedding_length=arch_int(keys.EMBEDDING_LENGTH),
        context_length=arch_int(keys.CONTEXT_LENGTH),
        has_chat_template=keys.CHAT_TEMPLATE in meta,
        tensor_names=tuple(t[0] for t in tensors),
        metadata=meta,
    )
