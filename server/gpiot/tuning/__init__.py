"""PECT co-tuning (issue 6): per-role LoRA paths, projection layers, training and exact export.

Modules that import torch: ``modules``, ``base``, ``train``, ``export``, ``check``. The merged-base
builder (``merged_base``) needs only numpy and ``gguf`` so the runtime can call it without torch.
Training code never runs inside the server process.
"""
