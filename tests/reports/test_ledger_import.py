"""Article lists (.xlsx, .xls, .csv in UTF-8/BOM/GB18030) read into a ledger preview; nothing stored."""

import datetime as dt
import hashlib

import pytest

from shangnan_desktop.domain import DomainError, Period, ValidationError
from shangnan_desktop.domain.ledger import ALIAS, UnitMatcher
from shangnan_desktop.domain.rule import ADOPTED, SUBMITTED
from shangnan_desktop.reports import ledger_import as li
from shangnan_desktop.reports.ledger_import import parse_date, preview_ledger_import
from shangnan_desktop.reports.xlsx_guard import UnsafeFileError
from tests.reports.ledger_files import HEADERS, write_csv, write_xls, write_xlsx

Q2 = Period.parse("2021Q2")
UNITS = [(1, "县文旅局"), (2, "金丝峡景区管委会"), (3, "县公安局"), (4, "金丝峡镇"), (5, "试马镇")]
T = dt.datetime

SPEC = [
    ("县文旅局开展“五一”文化和旅游市场安全检查", "县文旅局", T(2021, 4, 28, 9, 30), T(2021, 4, 29, 10, 0), "已采用", "部门动态"),
    ("我县举办非遗展演活动", "商南县文化和旅游广电局", T(2021, 5, 6, 15, 2), T(2021, 5, 7, 8, 0), "已采用", "部门动态"),
    ("县公安局开展反诈宣传", "县公安局", T(2021, 5, 10, 11, 0), None, "未采用", "部门动态"),
    ("县公安局开展反诈宣传", "县公安局", T(2021, 5, 12, 11, 0), T(2021, 5, 12, 16, 0), "已采用", "部门动态"),
    ("金丝峡景区迎来客流高峰", "金丝峡景区管理委员会", T(2021, 6, 30, 23, 59), T(2021, 7, 1, 9, 0), "已采用", "景区"),
    ("试马镇召开防汛工作会", "试马镇", T(2021, 6, 2, 8, 0), None, "退回", "镇办动态"),
    ("试马镇七月工作安排", "试马镇", T(2021, 7, 2, 8, 0), T(2021, 7, 3, 8, 0), "已采用", "镇办动态"),
    ("县公安局三月工作总结", "县公安局", T(2021, 3, 31, 18, 0), T(2021, 4, 1, 9, 0), "已采用", "部门动态"),
]


def matcher(aliases=None):
    return UnitMatcher(UNITS, aliases)


def resolve_known(preview):
    preview.choose("商南县文化和旅游广电局", 1)
    preview.choose("金丝峡景区管理委员会", 2)
    return preview


def make(kind, tmp_path, spec=SPEC, **kw):
    if kind == "xlsx":
        return write_xlsx(tmp_path / "文章列表.xlsx", spec, **kw)
    if kind == "xls":
        return write_xls(tmp_path / "文章列表.xls", spec, **kw)
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-gb18030": "gb18030"}[kind]
    return write_csv(tmp_path / f"文章列表-{kind}.csv", spec, encoding=encoding, **kw)


KINDS = ["xlsx", "xls", "csv-utf8", "csv-bom", "csv-gb18030"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_format_and_encoding_gives_the_same_ledger(kind, tmp_path):
    path = make(kind, tmp_path)
    preview = preview_ledger_import(path, Q2, matcher())
    assert preview.problems == []
    assert [h for h in preview.headers if h] == list(HEADERS)
    assert sorted(preview.mapping.values()) == sorted(["标题", "单位", "报送日期", "发布日期", "状态", "栏目"])
    assert preview.encoding == {"csv-utf8": "UTF-8", "csv-bom": "UTF-8", "csv-gb18030": "GB18030"}.get(kind, "")
    assert len(preview.rows) == len(SPEC)
    first = preview.rows[0]
    assert (first.title, first.unit_name, first.submitted_on, first.status, first.published_on, first.column) == (
        SPEC[0][0], "县文旅局", dt.date(2021, 4, 28), "采用", dt.date(2021, 4, 29), "部门动态"
    )
    assert [u.name for u in preview.unresolved()] == ["商南县文化和旅游广电局", "金丝峡景区管理委员会"]
    assert not preview.can_apply
    resolve_known(preview)
    assert preview.can_apply
    # 县文旅局: 2 adopted; 县公安局: the repeat counts once (adopted), March is outside;
    # 金丝峡景区管委会: submitted on the last day (published in July: the submission date decides);
    # 试马镇: one returned in June, July outside.
    assert preview.counts() == {
        1: {SUBMITTED: 2, ADOPTED: 2},
        3: {SUBMITTED: 1, ADOPTED: 1},
        2: {SUBMITTED: 1, ADOPTED: 1},
        5: {SUBMITTED: 1, ADOPTED: 0},
    }
    assert [(d.repeat.source_row, d.counted.source_row) for d in preview.duplicates()] == [
        (_row(kind, 3), _row(kind, 4))  # the adopted copy is the one counted
    ]
    assert [i.title for i in preview.outside()] == ["试马镇七月工作安排", "县公安局三月工作总结"]
    assert preview.signature == li.header_signature(list(HEADERS))


def _row(kind, n):
    """The file row of the n-th data row: xlsx has a banner line above the header."""
    return n + (2 if kind == "xlsx" else 1)


def test_unknown_name_mapped_once_then_matched_as_alias(tmp_path):
    path = make("csv-gb18030", tmp_path)
    first = preview_ledger_import(path, Q2, matcher())
    unknown = {u.name: u for u in first.unknown()}
    assert unknown["商南县文化和旅游广电局"].candidates[0].name == "县文旅局"
    assert unknown["金丝峡景区管理委员会"].candidates[0].name == "金丝峡景区管委会"
    assert unknown["金丝峡景区管理委员会"].rows == [6]
    resolve_known(first)
    aliases = first.new_aliases()
    assert sorted(aliases) == [(1, "商南县文化和旅游广电局"), (2, "金丝峡景区管理委员会")]
    text = first.as_text()
    assert "“商南县文化和旅游广电局”（1条）：已选“县文旅局”" in text
    assert "可导入8条信息（文件中共8条）。\n其中计入2021年二季度的5条，采用4条。" in text
    assert "未选择单位" not in text

    remembered = matcher()
    for unit_id, name in aliases:  # what the storage does with the import
        remembered.add_alias(unit_id, name)
    second = preview_ledger_import(path, Q2, remembered)
    assert second.unknown() == [] and second.new_aliases() == []
    assert remembered.match("商南县文化和旅游广电局").how == ALIAS
    assert second.counts() == first.counts()


def test_skipping_an_unknown_name_leaves_its_rows_out(tmp_path):
    preview = preview_ledger_import(make("xlsx", tmp_path), Q2, matcher())
    preview.choose("金丝峡景区管理委员会", 2)
    assert [u.name for u in preview.unresolved()] == ["商南县文化和旅游广电局"]
    assert "还有1个名称未选择单位" in preview.as_text()
    preview.choose("商南县文化和旅游广电局", None)
    assert 1 in preview.counts() and preview.counts()[1][SUBMITTED] == 1
    with pytest.raises(ValidationError, match="不是本次导入中未匹配的名称"):
        preview.choose("县文旅局", 1)
    with pytest.raises(ValidationError, match="没有这个单位"):
        preview.choose("商南县文化和旅游广电局", 99)


def test_duplicates_against_items_already_in_the_ledger(tmp_path):
    from shangnan_desktop.domain.ledger import LedgerItem

    existing = [LedgerItem.create(1, "县文旅局开展“五一”文化和旅游市场安全检查。", dt.date(2021, 4, 27), "未采用")]
    preview = resolve_known(preview_ledger_import(make("csv-utf8", tmp_path), Q2, matcher(), existing=existing))
    pairs = [(d.repeat.source_row, d.repeat_new, d.counted.source_row) for d in preview.duplicates()]
    assert pairs == [(None, False, 2), (4, True, 5)]
    assert preview.counts()[1] == {SUBMITTED: 2, ADOPTED: 2}  # the adopted copy counts, once
    assert "台账中已有的一条与第2行重复，计第2行" in preview.as_text()


def test_bad_dates_reported_per_row_rest_imported(tmp_path):
    spec = [
        ("正常的一条", "县文旅局", "2021-04-03", "", "已采用", ""),
        ("月份不对", "县文旅局", "2021-13-03", "", "已采用", ""),
        ("不是日期", "县公安局", "上周三", "", "已采用", ""),
        ("二月三十日", "县公安局", "2021年2月30日", "", "已采用", ""),
        ("状态不认识", "县公安局", "2021/4/5", "", "待定吧", ""),
        ("", "县公安局", "2021/4/5", "", "已采用", ""),
    ]
    preview = preview_ledger_import(make("csv-utf8", tmp_path, spec), Q2, matcher())
    assert [p.text() for p in preview.problems] == [
        "第3行：报送日期“2021-13-03”不是有效日期，请核对年月日。",
        "第4行：报送日期“上周三”无法识别，请写成如2021-04-03或2021年4月3日的日期。",
        "第5行：报送日期“2021年2月30日”不是有效日期，请核对年月日。",
        "第6行：状态“待定吧”无法识别，请改为“采用”“未采用”或“退回”。",
        "第7行：没有标题。",
    ]
    assert preview.counts() == {1: {SUBMITTED: 1, ADOPTED: 1}}
    assert "有5行无法导入（其余照常导入）" in preview.as_text()


@pytest.mark.parametrize("value, expected", [
    ("2021-04-03", dt.date(2021, 4, 3)),
    ("2021/4/3", dt.date(2021, 4, 3)),
    ("2021年4月3日", dt.date(2021, 4, 3)),
    ("2021.04.03", dt.date(2021, 4, 3)),
    ("2021-04-03 14:05:09", dt.date(2021, 4, 3)),
    ("2021/4/3 9:05", dt.date(2021, 4, 3)),
    ("2021-04-03T14:05:09", dt.date(2021, 4, 3)),
    ("2021年4月3日 14时05分", dt.date(2021, 4, 3)),
    ("２０２１－０４－０３", dt.date(2021, 4, 3)),
    ("20210403", dt.date(2021, 4, 3)),
    (44289, dt.date(2021, 4, 3)),  # an Excel serial number
    (44289.6, dt.date(2021, 4, 3)),
    ("44289", dt.date(2021, 4, 3)),
    (dt.datetime(2021, 4, 3, 23, 59), dt.date(2021, 4, 3)),
    (dt.date(2021, 4, 3), dt.date(2021, 4, 3)),
    ("", None),
    (None, None),
])
def test_date_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2021-02-29", "4/3/2021", "明天", 12, 3.5, "2021-4", True])
def test_not_dates(value):
    with pytest.raises(ValidationError):
        parse_date(value)


def test_explicit_mapping_overrides_the_guess(tmp_path):
    headers = ("题名", "作者单位", "日期", "结果", "发布时间", "所属栏目")
    spec = [("甲", "县文旅局", "2021-04-03", "2021-04-04", "采用", "动态")]
    path = write_csv(tmp_path / "l.csv", [r[:1] + r[1:] for r in spec], headers=("序号", *headers))
    with pytest.raises(ValidationError, match="没有找到文章列表的表头"):
        preview_ledger_import(path, Q2, matcher())
    # the rows are (序号, 题名, 作者单位, 日期, 结果(=发布时间 value), 发布时间(=状态 value), 所属栏目)
    preview = preview_ledger_import(
        path, Q2, matcher(), mapping=["题名=标题", "作者单位=单位", "日期=报送日期", "发布时间=状态", "结果=不导入"],
    )
    assert preview.mapping_by_header() == {"题名": "标题", "作者单位": "单位", "日期": "报送日期", "发布时间": "状态",
                                           "所属栏目": "栏目"}
    assert preview.counts() == {1: {SUBMITTED: 1, ADOPTED: 1}}  # 发布时间 holds the status (采用)
    assert preview.rows[0].published_on is None  # 结果 (the publication dates) left out


def test_remembered_mapping_is_keyed_by_the_header_signature(tmp_path):
    a = preview_ledger_import(make("xlsx", tmp_path), Q2, matcher())
    b = preview_ledger_import(make("csv-bom", tmp_path), Q2, matcher())
    assert a.signature == b.signature  # the same platform's lists, whatever the format

    odd = ("序号", "题名", "作者单位", "日期", "结果", "栏目")
    spec = [("甲", "县文旅局", "2021-04-03", "已采用", "动态")]
    first_file = write_csv(tmp_path / "first.csv", spec, headers=odd)
    first = preview_ledger_import(first_file, Q2, matcher(), mapping=["题名=标题", "作者单位=单位", "日期=报送日期",
                                                                         "结果=状态"])
    assert first.signature != a.signature
    remembered = {first.signature: first.mapping_by_header()}  # what the storage keeps

    later_file = write_csv(tmp_path / "later.csv", [("乙", "县公安局", "2021-05-03", "退回", "动态")], headers=odd)
    later = preview_ledger_import(later_file, Q2, matcher(), remembered=remembered)
    assert later.remembered and later.mapping == first.mapping
    assert later.counts() == {3: {SUBMITTED: 1, ADOPTED: 0}}
    assert "列对应（沿用上次的选择）：“题名”→标题" in later.as_text()
    # an explicit --map still wins over the remembered choice
    override = preview_ledger_import(later_file, Q2, matcher(), remembered=remembered, mapping=["栏目=备注"])
    assert override.mapping_by_header()["栏目"] == "备注"
    assert not preview_ledger_import(make("xlsx", tmp_path), Q2, matcher(), remembered=remembered).remembered


@pytest.mark.parametrize("pairs, message", [
    (["标题"], "格式不对"),
    (["=标题"], "缺少列名"),
    (["文章标题=题目"], "“题目”不是台账的字段"),
    (["文章标题=标题", "信息来源=标题"], "字段“标题”对应了两列"),
])
def test_bad_mapping_pairs(pairs, message):
    with pytest.raises(ValidationError, match=message):
        li.parse_mapping(pairs)


def test_mapping_naming_a_missing_header(tmp_path):
    with pytest.raises(ValidationError, match="文件中没有“题名”列"):
        preview_ledger_import(make("csv-utf8", tmp_path), Q2, matcher(), mapping=["题名=标题"])


def test_missing_required_columns_say_what_to_do(tmp_path):
    path = write_csv(tmp_path / "l.csv", [r[:5] for r in SPEC], headers=("序号", "文章标题", "信息来源", "报送时间", "发布时间"))
    with pytest.raises(ValidationError, match="没有找到“状态”列.*请用“列名=字段”指定"):
        preview_ledger_import(path, Q2, matcher())


def test_tab_separated_and_gb18030_rare_characters(tmp_path):
    spec = [("𠀀字与镕字：商南县召开会议", "县文旅局", "2021-04-03", "", "已采用", "")]
    path = write_csv(tmp_path / "l.txt", spec, encoding="gb18030", delimiter="\t")
    preview = preview_ledger_import(path, Q2, matcher())
    assert preview.rows[0].title == "𠀀字与镕字：商南县召开会议"
    assert preview.encoding == "GB18030"


def test_cell_text_is_capped(tmp_path):
    spec = [("长" * 5000, "县文旅局", "2021-04-03", "", "已采用", "栏" * 5000)]
    preview = preview_ledger_import(make("csv-utf8", tmp_path, spec), Q2, matcher())
    assert preview.rows == [] and "标题过长（1000个字" in preview.problems[0].message


# ---- hostile and broken files ------------------------------------------------------------------
def test_html_saved_as_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "文章列表.xls"
    path.write_text("<html><table><tr><td>标题</td></tr></table></html>", encoding="utf-8")
    with pytest.raises(UnsafeFileError, match="网页（HTML）格式.*另存为"):
        preview_ledger_import(path, Q2, matcher())


def test_csv_saved_as_xls_is_read(tmp_path):
    path = write_csv(tmp_path / "文章列表.xls", SPEC, encoding="gb18030")
    assert len(preview_ledger_import(path, Q2, matcher()).rows) == len(SPEC)


@pytest.mark.parametrize("name, data, message", [
    ("a.xlsx", b"PK\x03\x04 not a zip at all", "不是有效的Excel"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "无法读取"),
    ("a.csv", b"", "空文件"),
    ("a.csv", "标题,来源\n".encode("utf-16"), "UTF-16"),
    ("a.pdf", b"%PDF-1.4", "不支持"),
])
def test_broken_files_are_refused_in_chinese(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DomainError, match=message):
        preview_ledger_import(path, Q2, matcher())


def test_too_big_and_too_long_files_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(li, "MAX_ROWS", 5)
    path = make("csv-utf8", tmp_path, SPEC)
    with pytest.raises(UnsafeFileError, match="超过5条"):
        preview_ledger_import(path, Q2, matcher())
    monkeypatch.setattr(li, "MAX_FILE_BYTES", 100)
    with pytest.raises(UnsafeFileError, match="过大"):
        preview_ledger_import(path, Q2, matcher())


def test_xlsx_goes_through_the_guard(tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (2**20 * 50))
    with pytest.raises(UnsafeFileError, match="压缩比异常|解压后过大"):
        preview_ledger_import(path, Q2, matcher())


def test_a_preview_stores_nothing(store, tmp_path):
    """Previews, good or refused, leave the database byte-identical: the module has no way to store."""
    db_path = store.path
    store.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    preview_ledger_import(make("xlsx", tmp_path), Q2, matcher())
    bad = tmp_path / "bad.xls"
    bad.write_text("<html></html>")
    with pytest.raises(DomainError):
        preview_ledger_import(bad, Q2, matcher())
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


# ---- the lean .xlsx reader agrees with openpyxl ------------------------------------------------
def _trimmed(rows):
    out = []
    for number, values in rows:
        values = list(values)
        while values and values[-1] is None:
            values.pop()
        out.append((number, tuple(values)))
    return out


def test_lean_xlsx_reader_matches_openpyxl(tmp_path):
    path = make("xlsx", tmp_path)
    lean = li._read_xlsx_lean(path)
    full = li._read_xlsx_openpyxl(path)
    assert lean.sheet == full.sheet == "文章列表"
    assert _trimmed(lean.rows) == _trimmed(full.rows)
    assert lean.rows[2][1][3] == dt.datetime(2021, 4, 28, 9, 30)


def test_lean_xlsx_reader_shared_and_rich_strings_dates_1904(tmp_path):
    """A workbook as Excel writes it: shared strings (with rich runs and phonetic hints), a date style, 1904 dates."""
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{rel}"><workbookPr date1904="1"/><sheets>'
                           '<sheet name="列表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="/xl/sharedStrings.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst {ns}><si><t>标题</t></si><si><t>来源</t></si><si><t>状态</t></si>'
                                '<si><t>报送时间</t></si><si><r><t>县文旅局</t></r><r><t>召开会议</t></r>'
                                '<rPh><t>フリガナ</t></rPh></si><si><t>县文旅局</t></si><si><t>已采用</t></si></sst>',
        "xl/styles.xml": f'<styleSheet {ns}><numFmts><numFmt numFmtId="170" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
                         '<numFmt numFmtId="171" formatCode="0.00&quot;d&quot;"/></numFmts>'
                         '<cellXfs><xf numFmtId="0"/><xf numFmtId="170"/><xf numFmtId="171"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": f'<worksheet {ns}><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
            '<c r="D1" t="s"><v>3</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>5</v></c><c r="C3" t="s"><v>6</v></c>'
            '<c r="D3" s="1"><v>42826.5</v></c><c r="F3" s="2"><v>1.5</v></c><c r="G3" t="inlineStr"><is><r><t>甲</t></r><r><t>乙</t></r></is></c>'
            '<c r="H3" t="b"><v>1</v></c><c r="I3" t="e"><v>#N/A</v></c><c r="J3" s="3"><f>TODAY()</f><v>42827</v></c></row>'
            '</sheetData></worksheet>',
    }
    path = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    table = li._read_xlsx_lean(path)
    assert table.sheet == "列表"
    assert table.rows[1] == (3, ("县文旅局召开会议", "县文旅局", "已采用", dt.datetime(2021, 4, 2, 12, 0), None, 1.5,
                                 "甲乙", True, "#错误", dt.datetime(2021, 4, 3)))
    preview = preview_ledger_import(path, Q2, matcher())
    assert preview.counts() == {1: {SUBMITTED: 1, ADOPTED: 1}}


def test_lean_reader_refuses_a_dtd(tmp_path):
    import zipfile

    path = write_xlsx(tmp_path / "a.xlsx", SPEC)
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data.split(b"?>", 1)[-1]
            dst.writestr(info, data)
    with pytest.raises(UnsafeFileError, match="不安全的XML内容"):
        preview_ledger_import(evil, Q2, matcher())


def test_unusual_workbook_falls_back_to_openpyxl(tmp_path, monkeypatch):
    path = make("xlsx", tmp_path)
    calls = []
    real = li._read_xlsx_openpyxl
    monkeypatch.setattr(li, "_read_xlsx_lean", lambda p: (_ for _ in ()).throw(li._NotLean("test")))
    monkeypatch.setattr(li, "_read_xlsx_openpyxl", lambda p: calls.append(p) or real(p))
    assert len(preview_ledger_import(path, Q2, matcher()).rows) == len(SPEC)
    assert calls == [path]
