"""Where the base model comes from and how it is checked."""
