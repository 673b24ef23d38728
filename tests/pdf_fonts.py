"""PDF font choice for tests: only the bundled fonts, so PDFs are identical on every machine.

Function-scoped tests get this from the autouse ``pdf_fonts`` fixture in ``tests/conftest.py``;
module- and session-scoped fixtures that export wrap their work in ``bundled_fonts()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from shangnan_desktop.reports.fonts import BUNDLED_ENV


@contextlib.contextmanager
def bundled_fonts() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(BUNDLED_ENV, "1")
        yield
