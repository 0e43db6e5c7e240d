"""Reusable layout pieces: KPI cards, empty states."""
