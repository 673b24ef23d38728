"""Files the clerk saves that are not reports (the audit CSV, a printed PDF): whole or not at all."""

from __future__ import annotations

from pathlib import Path

from shangnan_desktop.reports.safe_write import ExportError, write_bytes_atomic


def save_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically; never over the database or a backup (``ExportError`` says why)."""
    return write_bytes_atomic(Path(target), data)


__all__ = ["ExportError", "save_bytes"]
