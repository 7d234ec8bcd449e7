import json
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
