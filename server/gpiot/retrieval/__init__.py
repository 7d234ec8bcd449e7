"""Knowledge retrieval for RT and CG: notes and API reference in a Qdrant index.

Modules: ``hook`` (the contract the pipeline calls), ``corpus`` (notes → sections), ``apiref``
(installed packages' docstrings → API entries), ``chunks`` (what is indexed, with stable ids),
``sparse`` (our BM25 keyword vectors), ``embedder`` (packaged MiniLM, lazily loaded), ``store``
(Qdrant client, embedded or server), ``index`` (incremental build), ``search`` (the retriever),
``evaluate`` (recall/MRR/latency) and ``commands`` (``gpiot knowledge …``). Importing this package
is cheap: torch, sentence-transformers and qdrant-client load only when retrieval is used.
"""
