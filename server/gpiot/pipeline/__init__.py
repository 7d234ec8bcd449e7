"""TD → RT → CG pipeline: formats, prompts, orchestration and file output."""
