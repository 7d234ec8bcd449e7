"""The `adapters/manifest.json` format: which LoRA adapter GGUF each role uses.

```json
{
  "format": 1,
  "base": {"name": "qwen2.5-coder-0.5b", "sha256": "<sha256 of the base GGUF the adapters fit>"},
  "roles": {
    "td": {"file": "td.gguf", "scale": 1.0, "sha256": "<sha256 of td.gguf>"},
    "cg": {"file": "cg.gguf", "scale": 1.0, "sha256": "..."}
  },
  "shared_delta": null
}
```

A role missing from ``roles`` runs on the plain base. ``shared_delta`` names the file holding the
PECT shared path (``gpiot tune export``); ``serving_base`` merges it into the base once (cached)
and the role adapters are made for that merged base.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gpiot.errors import ModelError
from gpiot.runtime.sampling import Role

MANIFEST_NAME = "manifest.json"
FORMAT = 1


@dataclass(frozen=True)
class RoleAdapter:
    role: Role
    path: Path
    scale: float = 1.0
    sha256: str = ""


@dataclass(frozen=True)
class AdapterManifest:
    directory: Path
    base_name: str = ""
    base_sha256: str = ""
    roles: dict[Role, RoleAdapter] = field(default_factory=dict)
    shared_delta: Path | None = None

    @classmethod
    def load(cls, directory: Path) -> AdapterManifest:
        """Read the manifest; no directory or no manifest means no adapters (plain base)."""
        path = directory / MANIFEST_NAME
        if not path.is_file():
            return cls(directory)
        try:
            data: dict[str, Any] = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path} is not valid JSON ({exc})", "fix or remove it") from exc
        if data.get("format") != FORMAT:
            raise ModelError(f"{path} has format {data.get('format')!r}, expected {FORMAT}")
        roles: dict[Role, RoleAdapter] = {}
        for name, entry in (data.get("roles") or {}).items():
            try:
                role = Role(name)
            except ValueError:
                raise ModelError(f"{path}: unknown role {name!r} (use td, rt or cg)") from None
            file = directory / str(entry["file"])
            if not file.is_file():
                raise ModelError(f"{path}: adapter file {file} for role {name} is missing")
            roles[role] = RoleAdapter(
                role, file, float(entry.get("scale", 1.0)), str(entry.get("sha256", ""))
            )
        base = data.get("base") or {}
        delta = data.get("shared_delta")
        return cls(
            directory=directory,
            base_name=str(base.get("name", "")),
            base_sha256=str(base.get("sha256", "")),
            roles=roles,
            shared_delta=directory / delta if delta else None,
        )


def write_manifest(
    directory: Path,
    *,
    base_name: str,
    base_sha256: str,
    roles: dict[str, str],
    shared_delta: str | None,
) -> Path:
    """Write ``manifest.json`` (role -> adapter file name) with each file's SHA-256."""
    import hashlib

    def sha(name: str) -> str:
        return hashlib.sha256((directory / name).read_bytes()).hexdigest()

    data = {
        "format": FORMAT,
        "base": {"name": base_name, "sha256": base_sha256},
        "roles": {
            role: {"file": file, "scale": 1.0, "sha256": sha(file)} for role, file in roles.items()
        },
        "shared_delta": shared_delta,
    }
    path = directory / MANIFEST_NAME
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


def serving_base(manifest: AdapterManifest, base: Path, cache_dir: Path) -> Path:
    """The GGUF to load: ``base`` itself, or, when the manifest names a shared delta, the base
    with the PECT shared path merged in (built once into ``cache_dir``, hash-checked). The role
    adapters of a PECT export fit only that merged base."""
    if manifest.shared_delta is None:
        return base
    from gpiot.tuning.merged_base import ensure_merged_base  # numpy + gguf only, no torch

    if not manifest.shared_delta.is_file():
        raise ModelError(f"the shared delta {manifest.shared_delta} is missing")
    return ensure_merged_base(base, manifest.shared_delta, cache_dir)
