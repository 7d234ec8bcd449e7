"""Model provisioning and GGUF inspection on small real files (no 0.5 GB download needed)."""

import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest
from gguf import GGUFWriter

from gpiot.errors import ModelError
from gpiot.model import provision
from gpiot.model.inspect import read_gguf
from gpiot.model.sources import PackagedModel


def _fake_dist(site: Path, name: str, rel: str, data: bytes) -> None:
    """An installed distribution as importlib.metadata sees it: dist-info + RECORD + file."""
    module = name.replace("-", "_")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "RECORD").write_text(f"{module}/{rel},,\n")
    target = site / module / rel
    target.parent.mkdir(parents=True)
    target.write_bytes(data)


@pytest.fixture
def packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PackagedModel:
    site = tmp_path / "site"
    chunks = [b"GGUF" + b"a" * 1000, b"b" * 777, b"c" * 5]
    for i, chunk in enumerate(chunks, 1):
        _fake_dist(site, f"fake-model-part{i}", f"data/part{i:02d}.bin", chunk)
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    whole = b"".join(chunks)
    return PackagedModel(
        key="fake",
        description="fake model",
        filename="fake.gguf",
        distributions=tuple(f"fake-model-part{i}" for i in range(1, 4)),
        part_files=tuple(f"data/part{i:02d}.bin" for i in range(1, 4)),
        size=len(whole),
        sha256=hashlib.sha256(whole).hexdigest(),
        extra="fake",
    )


def test_assemble_concatenates_verifies_and_reports_progress(
    packaged: PackagedModel, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    path = provision.assemble(packaged, tmp_path / "cache", lambda d, t: seen.append((d, t)))
    assert path.stat().st_size == packaged.size
    assert provision.file_sha256(path) == packaged.sha256
    assert seen[-1] == (packaged.size, packaged.size)
    assert provision.is_verified(path, packaged)
    assert not list((tmp_path / "cache").glob("*.partial"))


def test_damaged_cache_is_rebuilt(packaged: PackagedModel, tmp_path: Path) -> None:
    path = provision.assemble(packaged, tmp_path / "cache")
    path.write_bytes(b"x" * packaged.size)  # same size, wrong content
    assert not provision.is_verified(path, packaged)
    rebuilt = provision.assemble(packaged, tmp_path / "cache")
    assert provision.file_sha256(rebuilt) == packaged.sha256


def test_wrong_hash_is_a_clear_error(packaged: PackagedModel, tmp_path: Path) -> None:
    bad = PackagedModel(**{**packaged.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelError, match="SHA-256"):
        provision.assemble(bad, tmp_path / "cache")
    assert not (tmp_path / "cache" / bad.filename).exists()


def test_missing_package_names_the_fix(packaged: PackagedModel, tmp_path: Path) -> None:
    missing = PackagedModel(
        **{**packaged.__dict__, "distributions": ("no-such-part-xyz", *packaged.distributions[1:])}
    )
    with pytest.raises(ModelError) as info:
        provision.assemble(missing, tmp_path / "cache")
    assert "no-such-part-xyz" in info.value.message
    assert "pip install" in info.value.hint


def _write_gguf(path: Path) -> None:
    writer = GGUFWriter(str(path), "qwen2")
    writer.add_block_count(2)
    writer.add_embedding_length(8)
    writer.add_chat_template("{{ messages }}")
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    writer.add_tensor("blk.0.attn_q.weight", np.ones((8, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def test_read_gguf_header(tmp_path: Path) -> None:
    path = tmp_path / "tiny.gguf"
    _write_gguf(path)
    info = read_gguf(path)
    assert info.architecture == "qwen2"
    assert info.block_count == 2
    assert info.embedding_length == 8
    assert info.has_chat_template
    assert info.tensor_names == ("token_embd.weight", "blk.0.attn_q.weight")


@pytest.mark.parametrize("cut", [10, 200, -16])
def test_truncated_gguf_is_detected(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "tiny.gguf"
    _write_gguf(path)
    data = path.read_bytes()
    path.write_bytes(data[:cut])
    with pytest.raises(ModelError, match="truncated"):
        read_gguf(path)


def test_foreign_and_missing_files(tmp_path: Path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"PK\x03\x04 not a gguf")
    with pytest.raises(ModelError, match="not a GGUF"):
        read_gguf(other)
    with pytest.raises(ModelError, match="not found"):
        read_gguf(tmp_path / "absent.gguf")
