"""Knowledge retrieval for RT and CG (the knowledge-base issue fills the index)."""
