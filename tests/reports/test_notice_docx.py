"""The notice .docx: named styles with East Asian fonts, PAGE fields, Word tables, and LibreOffice's reading of it."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from shangnan_desktop.reports import notice_docx as nd

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def doc(notice_files):
    import docx

    return docx.Document(str(notice_files["docx"]))


def _east_asia(style) -> str:
    fonts = style.element.find(f"{W}rPr/{W}rFonts")
    return fonts.get(f"{W}eastAsia") if fonts is not None else ""


def test_styles_carry_the_gbt9704_fonts(doc):
    expected = {
        nd.STYLE_BODY: ("仿宋_GB2312", 16), nd.STYLE_TITLE: ("方正小标宋简体", 22), nd.STYLE_H1: ("黑体", 16),
        nd.STYLE_H2: ("楷体_GB2312", 16), nd.STYLE_MASTHEAD: ("方正小标宋简体", 32),
        nd.STYLE_ANNEX_LABEL: ("黑体", 16), nd.STYLE_PAGE_NUMBER: ("宋体", 14),
    }
    for name, (font, size) in expected.items():
        style = doc.styles[name]
        assert _east_asia(style) == font, name
        assert style.font.size.pt == size, name
    assert str(doc.styles[nd.STYLE_MASTHEAD].font.color.rgb) == "E60012"
    # fallbacks for PCs without the GB2312-era fonts
    font_table = next(p for p in doc.part.package.parts if str(p.partname) == "/word/fontTable.xml").blob.decode()
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in font_table


def test_paragraphs_use_the_styles(doc, notice_files):
    by_style: dict[str, list[str]] = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style[nd.STYLE_TITLE] == ["商南县人民政府办公室\n关于2021年二季度县政府网站信息报送及\n采用情况的通报"]
    assert by_style[nd.STYLE_H1] == ["一、总体情况", "二、存在问题", "三、下一步工作要求"]
    assert by_style[nd.STYLE_NUMBER] == ["商南政办函〔2021〕56号"]
    assert by_style[nd.STYLE_DATE] == ["2021年7月16日"] and by_style[nd.STYLE_PUBLICATION] == ["（此件公开发布）"]
    assert by_style[nd.STYLE_ANNEX_LABEL] == ["附件1", "附件2", "附件3"]
    body = "".join(by_style[nd.STYLE_BODY])
    for sentence in ("共发布各类信息2315条", "镇办报送信息132条、部门报送信息528条，共采用546条",
                     "县电子政务中心采编发布1769条", "其中16个单位为信息零报送", "办结率100%"):
        assert sentence in body
    # （一）…。 leads in 楷体 (character style), the rest of the paragraph in the body style
    lead = [r.text for p in doc.paragraphs for r in p.runs if r.style.name == nd.STYLE_H2]
    assert lead[:2] == ["（一）思想重视程度不够。", "（二）信息报送不够及时。"]
    # each annex starts on a new page
    labels = [p for p in doc.paragraphs if p.style.name == nd.STYLE_ANNEX_LABEL]
    assert all(p.paragraph_format.page_break_before for p in labels)


def test_page_setup_grid_and_page_fields(doc):
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (37, 35)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    grid = section._sectPr.find(f"{W}docGrid")
    assert grid.get(f"{W}linePitch") == "579"  # 22 lines in 225 mm
    assert len(doc.sections) == 1  # one section: the numbering runs on into the annexes
    assert section.different_first_page_header_footer and doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        xml = footer._element.xml
        assert "PAGE" in "".join(t.text for t in footer._element.iter(f"{W}instrText"))
        assert "— " in xml and " —" in xml
        assert footer.paragraphs[0].alignment.name.lower() == align
    assert not list(section.first_page_footer._element.iter(f"{W}instrText"))  # 首页不显示页码
    masthead = section.first_page_header.paragraphs[0]
    assert masthead.text == "商南县人民政府办公室" and masthead.style.name == nd.STYLE_MASTHEAD
    border = masthead._p.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert border.get(f"{W}color") == "E60012" and border.get(f"{W}val") == "thickThinSmallGap"


def test_annex_tables_are_word_tables_with_repeated_headers(doc, notice_files):
    assert len(doc.tables) == 3
    towns, depts, register = doc.tables
    assert [c.text for c in towns.rows[0].cells] == ["镇办", "报送信息", "采用信息", "得分", "排名"]
    assert [c.text for c in towns.rows[1].cells] == ["过风楼镇", "27", "25", "30.4", "1"]
    assert len(depts.rows) == 53
    assert [c.text for c in depts.rows[-1].cells][-1] == "28"  # the corrected rank of the zero units
    for table in (towns, depts):
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
        assert table.rows[1]._tr.find(f"{W}trPr/{W}tblHeader") is None
    # 附件3: two header rows, both repeated; merged 分管领导 across three columns
    assert all(register.rows[r]._tr.find(f"{W}trPr/{W}tblHeader") is not None for r in (0, 1))
    assert "（加盖公章）" in register.rows[0].cells[1].text
    assert register.rows[0].cells[2].text == register.rows[0].cells[4].text == "分管领导"


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice/libreoffice) is not installed")
def test_libreoffice_reads_the_docx_like_the_pdf(notice_files, tmp_path):
    from tests.reports.test_notice_pdf import PDFTOTEXT, page_number_on

    out = tmp_path / "lo"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(notice_files["docx"])],
        capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr
    pdf = out / "notice.pdf"
    from pypdf import PdfReader

    lo_pages = len(PdfReader(str(pdf)).pages)
    assert abs(lo_pages - notice_files["result"].pages) <= 1, (lo_pages, notice_files["result"].pages)
    if PDFTOTEXT:
        assert page_number_on(pdf, 1) is None
        numbers = [page_number_on(pdf, n) for n in range(2, lo_pages + 1)]
        assert [n for n, _x in numbers] == list(range(2, lo_pages + 1))


def test_paragraph_properties_follow_the_schema(notice_files):
    """Word refuses a file whose w:pPr holds an element twice or out of order; check every part."""
    import zipfile

    from lxml import etree

    order = {f"{W}{t}": i for i, t in enumerate(nd._PPR_ORDER)}
    with zipfile.ZipFile(notice_files["docx"]) as z:
        for name in z.namelist():
            if not name.endswith(".xml") or not name.startswith("word/"):
                continue
            root = etree.fromstring(z.read(name))
            for ppr in root.iter(f"{W}pPr"):
                tags = [c.tag for c in ppr]
                assert len(tags) == len(set(tags)), (name, tags)
                ranks = [order.get(t, len(order)) for t in tags]
                assert ranks == sorted(ranks), (name, tags)
