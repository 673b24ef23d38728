"""``shangnan-desktop notice PERIOD --format docx|pdf|both -o DIR [--no-annexes]`` in a real process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shangnan_desktop.domain import Period
from shangnan_desktop.storage import Store


def notice_cli(db, *args):
    return subprocess.run(
        [sys.executable, "-m", "shangnan_desktop", "--db", str(db), "notice", *args],
        capture_output=True, text=True, encoding="utf-8",
    )


def pdf_pages_text(path):
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")


@pytest.fixture
def seeded(db_path):
    Store.open(db_path).close()
    return db_path


def test_both_writes_the_whole_notice_with_annexes(seeded, tmp_path):
    out = tmp_path / "通报"
    proc = notice_cli(seeded, "2021Q2", "--format", "both", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    docx_files = list(out.glob("*.docx"))
    pdf_files = list(out.glob("*.pdf"))
    assert len(docx_files) == 1 and len(pdf_files) == 1
    assert "商南政办函〔2021〕56号" in pdf_files[0].name and "_正文" not in pdf_files[0].name
    assert "已导出通报及附件" in proc.stdout and "共8页" in proc.stdout

    from docx import Document

    doc = Document(str(docx_files[0]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "共发布各类信息2315条" in text and "附件1" in text
    assert len(doc.tables) >= 3  # 附件1, 附件2, 附件3 as real Word tables
    pages = [p for p in pdf_pages_text(pdf_files[0]) if p.strip()]
    assert len(pages) == 8
    assert "各镇（办）" in "".join(pages[4:]) and "2315" in pages[0]


def test_docx_alone_and_pdf_alone(seeded, tmp_path):
    proc = notice_cli(seeded, "2021Q2", "--format", "docx", "-o", str(tmp_path / "a"))
    assert proc.returncode == 0, proc.stderr
    assert [p.suffix for p in (tmp_path / "a").iterdir()] == [".docx"]
    proc = notice_cli(seeded, "2021Q2", "--format", "pdf", "-o", str(tmp_path / "b"))
    assert proc.returncode == 0, proc.stderr
    assert [p.suffix for p in (tmp_path / "b").iterdir()] == [".pdf"]


def test_no_annexes_writes_the_body_alone(seeded, tmp_path):
    out = tmp_path / "body"
    proc = notice_cli(seeded, "2021Q2", "--format", "both", "-o", str(out), "--no-annexes")
    assert proc.returncode == 0, proc.stderr
    assert "已导出通报正文" in proc.stdout
    pdf = next(out.glob("*.pdf"))
    assert pdf.stem.endswith("_正文")
    pages = [p for p in pdf_pages_text(pdf) if p.strip()]
    assert len(pages) == 4  # the body only: the annexes start on page 5 of the whole notice
    assert "排名" not in "".join(pages)
    from docx import Document

    assert len(Document(str(next(out.glob("*.docx")))).tables) == 0


def test_count_change_changes_the_exported_numbers(seeded, tmp_path):
    store = Store.open(seeded)
    period = Period.parse("2021Q2")
    unit = store.load_sheet(period).groups[0].rows[0]
    values = list(unit.counts)
    values[0] += 10
    values[1] += 10  # adopted: the total published goes from 2315 to 2325
    store.set_counts(period, unit.unit_id, values)
    store.close()
    proc = notice_cli(seeded, "2021Q2", "--format", "pdf", "-o", str(tmp_path), "--no-annexes")
    assert proc.returncode == 0, proc.stderr
    first = pdf_pages_text(next(tmp_path.glob("*.pdf")))[0]
    assert "2325" in first and "2315" not in first


def test_next_period_is_derived_and_said_so(seeded, tmp_path):
    store = Store.open(seeded)
    store.create_period(Period.parse("2021Q3"))
    store.close()
    proc = notice_cli(seeded, "2021Q3", "--format", "pdf", "-o", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "尚未保存" in proc.stdout and "三季度" in next(tmp_path.glob("*.pdf")).name
    assert "发文字号的序号尚未填写" in proc.stdout


def test_bad_input_is_a_chinese_message(seeded, tmp_path):
    proc = notice_cli(seeded, "2021Q2", "--format", "xlsx", "-o", str(tmp_path))
    assert proc.returncode == 2 and "参数错误" in proc.stderr and "Traceback" not in proc.stderr
    proc = notice_cli(seeded, "2030Q1", "-o", str(tmp_path))
    assert proc.returncode == 2 and "错误" in proc.stderr and "Traceback" not in proc.stderr
    afile = tmp_path / "f.txt"
    afile.write_text("x")
    proc = notice_cli(seeded, "2021Q2", "-o", str(afile))
    assert proc.returncode == 2 and "不是文件夹" in proc.stderr
