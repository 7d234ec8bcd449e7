"""`gpiot model`: what is configured, where it is, whether it verifies, which adapters load."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gpiot.errors import GpiotError
from gpiot.model.inspect import read_gguf
from gpiot.model.provision import Progress, is_verified, verify
from gpiot.model.sources import DEFAULT_MODEL, PACKAGED_MODELS
from gpiot.settings import Settings


@dataclass
class ModelStatus:
    configured: str
    path: str = ""
    verified: str = ""
    info: str = ""
    adapters: dict[str, str] = field(default_factory=dict)
    loaded: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def rows(self) -> list[tuple[str, str]]:
        rows = [("configured", self.configured), ("path", self.path or "-")]
        rows += [("verified", self.verified or "-"), ("model", self.info or "-")]
        for role in ("td", "rt", "cg"):
            rows.append((f"adapter {role}", self.adapters.get(role, "none (plain base)")))
        rows.append(("llama.cpp", self.loaded or "-"))
        if self.error:
            rows.append(("error", self.error))
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "configured": self.configured,
            "path": self.path,
            "verified": self.verified,
            "info": self.info,
            "adapters": self.adapters,
            "loaded": self.loaded,
            "ok": self.ok,
            "error": self.error,
        }


def model_status(
    settings: Settings, *, verify: bool, load: bool, progress: Progress | None = None
) -> ModelStatus:
    from gpiot.runtime.adapters import AdapterManifest
    from gpiot.runtime.engine import Runtime, resolve_model_path

    packaged = PACKAGED_MODELS.get(settings.model.strip() or DEFAULT_MODEL.key)
    status = ModelStatus(
        configured=packaged.description + " (packaged)" if packaged else settings.model
    )
    try:
        path = resolve_model_path(settings, progress)
        status.path = str(path)
        if packaged is not None:
            if verify:
                _rehash(path, packaged, progress)
            status.verified = (
                f"size and SHA-256 match ({packaged.sha256[:12]}…)"
                if is_verified(path, packaged)
                else "no"
            )
        else:
            status.verified = "not a packaged model: header and tensor table checked only"
        info = read_gguf(path)
        status.info = (
            f"{info.name}: {info.architecture}, {info.block_count} blocks, embedding "
            f"{info.embedding_length}, {info.size / 2**20:.0f} MiB, chat template "
            f"{'yes' if info.has_chat_template else 'no'}"
        )
        manifest = AdapterManifest.load(settings.adapters_path)
        status.adapters = {r.value: str(a.path) for r, a in manifest.roles.items()}
        if load:
            with Runtime.load(settings) as runtime:
                roles = ", ".join(
                    f"{r.role.value}{' + adapter' if r.adapter else ''}" for r in runtime.roles()
                )
                status.loaded = f"loaded; role contexts ready: {roles}"
    except GpiotError as exc:
        status.error = str(exc)
    return status


def _rehash(path: Path, packaged: Any, progress: Progress | None) -> None:
    stamp = path.with_name(path.name + ".verified.json")
    stamp.unlink(missing_ok=True)
    verify(path, packaged, progress)
