"""Writes for genre suggestions (suggestions) and genre-model experiments (experiments)."""
