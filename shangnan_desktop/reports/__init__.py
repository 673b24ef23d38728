"""Annex tables described once, rendered to xlsx and PDF."""
