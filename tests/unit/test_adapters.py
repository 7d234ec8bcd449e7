import json
from dataclasses import replace
from pathlib import Path

import pytest

from gpiot.errors import ModelError
from gpiot.runtime.adapters import AdapterManifest
from gpiot.runtime.sampling import Role

REPO_ADAPTERS = Path(__file__).resolve().parents[2] / "adapters"


def test_no_manifest_means_plain_base(tmp_path: Path) -> None:
    assert AdapterManifest.load(tmp_path).roles == {}


def test_repository_manifest_loads() -> None:
    manifest = AdapterManifest.load(REPO_ADAPTERS)
    assert manifest.base_sha256.startswith("1d9614")


def test_roles_resolve_to_files(tmp_path: Path) -> None:
    (tmp_path / "td.gguf").write_bytes(b"GGUF")
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format": 1, "roles": {"td": {"file": "td.gguf", "scale": 0.5}}})
    )
    manifest = AdapterManifest.load(tmp_path)
    assert manifest.roles[Role.TD].path == tmp_path / "td.gguf"
    assert manifest.roles[Role.TD].scale == 0.5


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"format": 2}),
        json.dumps({"format": 1, "roles": {"xx": {"file": "a.gguf"}}}),
        json.dumps({"format": 1, "roles": {"cg": {"file": "missing.gguf"}}}),
    ],
)
def test_bad_manifests_give_clear_errors(tmp_path: Path, content: str) -> None:
    (tmp_path / "manifest.json").write_text(content)
    with pytest.raises(ModelError):
        AdapterManifest.load(tmp_path)


def test_adapters_for_another_base_are_set_aside_with_the_reason(tmp_path: Path) -> None:
    import hashlib

    from gpiot.runtime.engine import fitting_adapters
    from gpiot.settings import Settings

    shipped = AdapterManifest.load(REPO_ADAPTERS)
    model = tmp_path / "other.gguf"
    model.write_bytes(b"GGUF other weights")
    kept, why = fitting_adapters(shipped, Settings(), model)  # the packaged default: known hash
    assert kept is shipped and why is None
    unused, why = fitting_adapters(shipped, Settings(model=str(model)), model)
    assert unused.roles == {} and unused.shared_delta is None
    assert why is not None and "other.gguf" in why and shipped.base_name in why
    fitting = replace(shipped, base_sha256=hashlib.sha256(model.read_bytes()).hexdigest())
    assert fitting_adapters(fitting, Settings(model=str(model)), model) == (fitting, None)
    bigger = Settings(model="qwen2.5-coder-1.5b")
    assert fitting_adapters(shipped, bigger, model)[0].roles == {}
