"""Fuzzing: arbitrary text and mutated documents through parse, lint, fix, split and serialize."""
