"""llama.cpp runtime: one base model, one context per role, grammar-constrained decoding."""
