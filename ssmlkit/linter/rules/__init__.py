"""Lint rules, one module per category; each module registers its rules on import."""
