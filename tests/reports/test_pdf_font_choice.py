"""The PDF font choice is set per test by the ``pdf_fonts`` fixture (tests/conftest.py), not at import."""

from __future__ import annotations

import os

from shangnan_desktop.reports import fonts


def test_every_test_uses_the_bundled_fonts(pdf_fonts):
    assert os.environ[fonts.BUNDLED_ENV] == "1"
    assert fonts.font_set() is fonts.font_set(bundled_only=True)


def test_a_test_can_ask_for_this_pcs_own_fonts(monkeypatch):
    monkeypatch.delenv(fonts.BUNDLED_ENV)
    assert not fonts.bundled_only_requested()
