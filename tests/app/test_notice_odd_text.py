"""Odd text reaching the notice (pasted control characters, bidi marks, absurd figures): cleaned or refused
before the database, so the export never fails on it."""

from __future__ import annotations

import pytest

from shangnan_desktop.app import notice as notice_app
from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain.notice import Section
from shangnan_desktop.storage.notice_store import NoticeStore

Q2 = Period.parse("2021Q2")
ODD = "\x07响铃\x0b竖表\x00空\ufeff\u202e反向\ud800"


def test_control_characters_never_reach_the_stored_notice_and_the_export_works(store, tmp_path):
    notice_app.update_notice(
        store, Q2, office="商南县人民政府办公室" + ODD, opening="开头" + ODD, title="第一行" + ODD + "\n第二行",
        sections=[Section("一、总体情况" + ODD, ("段落\t一" + ODD,))], letters_praised=["县卫健局" + ODD],
    )
    stored = NoticeStore(store).get(Q2)
    texts = [stored.office, stored.opening, stored.title, stored.sections[0].heading,
             *stored.sections[0].paragraphs, *stored.figures.letters_praised]
    for text in texts:
        assert not any(ch in text for ch in "\x07\x0b\x00\ufeff\u202e\ud800"), repr(text)
    assert stored.title == "第一行响铃竖表空反向\n第二行"  # the title's line break stays
    assert stored.sections[0].paragraphs[0] == "段落 一响铃竖表空反向"  # a tab draws as □ in the PDF
    files = notice_app.write_notice(notice_app.notice_doc(store, Q2), notice_app.FORMATS, tmp_path)
    assert sorted(f.path.suffix for f in files) == [".docx", ".pdf"]


@pytest.mark.parametrize("field", ["letters_received", "number_serial", "key_area_published"])
def test_an_absurd_figure_is_refused(store, field):
    before = NoticeStore(store).get(Q2)
    with pytest.raises(ValidationError):
        notice_app.update_notice(store, Q2, **{field: 10**20})
    with pytest.raises(ValidationError):
        notice_app.update_notice(store, Q2, **{field: -1})
    assert NoticeStore(store).get(Q2) == before
