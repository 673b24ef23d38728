"""The notice as data: every bound figure of 商南政办函〔2021〕56号, live re-binding, the next quarter."""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import replace

import pytest

from shangnan_desktop.domain import Period, ValidationError
from shangnan_desktop.domain import notice as dn
from shangnan_desktop.resources import resource_path

Q2 = Period.parse("2021Q2")
SEED_TEXT = "data/notice-2021Q2-text.json"


@pytest.fixture
def reference():
    return dn.Notice.from_dict(json.loads(resource_path(SEED_TEXT).read_text(encoding="utf-8")))


@pytest.fixture
def sheet(store):
    return store.load_sheet(Q2)


def _compact(text: str) -> str:
    return text.replace("\n", "")


def test_every_bound_figure_matches_the_seed_readme(reference, sheet):
    resolved = dn.bind(reference, sheet)
    v = resolved.values
    assert (v["镇办报送"], v["镇办采用"], v["部门报送"], v["部门采用"]) == ("132", "107", "528", "439")
    assert v["采用总数"] == "546" and v["中心发布"] == "1769" and v["发布总数"] == "2315"
    assert 546 + 1769 == 2315
    assert v["零报送单位数"] == "16"
    assert (v["重点领域信息"], v["依申请公开"], v["问政受理"], v["问政办结"], v["办结率"]) == (
        "174", "8", "44", "44", "100%")
    text = _compact(resolved.text)
    # The sentences of the seed notice, with its figures, now produced from the data.
    assert "4—6月份，县政府网站运行安全、平稳、有序，共发布各类信息2315条。" in text
    assert "其中，镇办报送信息132条、部门报送信息528条，共采用546条，县电子政务中心采编发布1769条；" in text
    assert "重点领域信息174条；办理依申请公开信息8件，共受理网上问政信件44件，现已处理44件，办结率100%。" in text
    assert "其中16个单位为信息零报送（附件1、2）。" in text
    assert "在网上问政办理工作中，县卫健局、试马镇等单位能够克服困难" in text
    assert "于7月23日前报县电子政务中心125室" in text
    assert resolved.missing == ()
    assert dn.check(reference, sheet) == []


def test_praised_units_default_to_top_three_townships_and_top_eight_departments(reference, sheet):
    resolved = dn.bind(reference, sheet)
    towns = resolved.values["表扬镇办"].split("、")
    depts = resolved.values["表扬部门"].split("、")
    assert towns == ["过风楼镇", "赵川镇", "清油河镇"]
    assert depts == [r.name for r in sheet.group("县直部门").ranked()[:8]]
    # The seed names the same eleven units (with two short names and another order).
    seed = ("过风楼镇、赵川镇、清油河镇、县融媒体中心、县文旅局、县司法局、金丝峡景区管委会、县科教体局、县卫健局、"
            "公路段、县人社局").split("、")
    aliases = {"金丝峡景区管委会": "金丝峡景区管理委员会", "公路段": "县公路段"}
    assert {aliases.get(u, u) for u in seed} == set(towns + depts)
    assert "从信息报送情况看，过风楼镇、赵川镇、清油河镇、县融媒体中心、" in _compact(resolved.text)


def test_edited_praise_list_replaces_the_default(reference, sheet):
    edited = replace(reference, praised={"镇办": ("试马镇",)})
    resolved = dn.bind(edited, sheet)
    assert resolved.values["表扬镇办"] == "试马镇"
    assert "从信息报送情况看，试马镇、县融媒体中心" in _compact(resolved.text)
    assert dn.check(replace(reference, praised={"镇办": ("不存在镇",)}), sheet) == [
        "表扬名单中的“不存在镇”不在本期镇办名单中。"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2021, 7, 16), None),  # the seed's: after the quarter, as it should be
        (datetime.date(2022, 6, 30), None),  # late, but within a year
        (datetime.date(2021, 6, 30), "不晚于2021年二季度的最后一天（2021年6月30日）"),
        (datetime.date(1900, 1, 1), "成文日期1900年1月1日不晚于"),
        (datetime.date(2022, 7, 2), "比2021年二季度结束晚一年以上"),
    ],
)
def test_an_implausible_date_of_issue_is_listed_for_checking(reference, sheet, day, expected):
    problems = dn.check(replace(reference, date=day), sheet)
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in problems[0] and problems[0].endswith("请核对。")


def test_period_days_cover_every_kind():
    assert Period.parse("2021Q2").days == (datetime.date(2021, 4, 1), datetime.date(2021, 6, 30))
    assert Period.parse("2020M02").days == (datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))
    assert Period.parse("2021H2").days == (datetime.date(2021, 7, 1), datetime.date(2021, 12, 31))
    assert Period.parse("2021").days == (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    assert Period.parse("2021M12").days[1] == datetime.date(2021, 12, 31)


def test_bound_runs_are_marked_for_highlighting(reference, sheet):
    resolved = dn.bind(reference, sheet)
    bound = {r.name: r.text for r in resolved.bound_runs()}
    assert bound["发布总数"] == "2315" and bound["零报送单位数"] == "16" and bound["期间"] == "2021年二季度"
    body = next(p for p in resolved.by_role(dn.BODY) if "2315" in p.text)
    plain = [r for r in body.runs if not r.bound]
    assert all("2315" not in r.text and "1769" not in r.text for r in plain)
    # Title lines: the period is bound inside the second line.
    titles = resolved.by_role(dn.TITLE)
    assert [p.text for p in titles] == ["商南县人民政府办公室", "关于2021年二季度县政府网站信息报送及", "采用情况的通报"]


def test_a_count_change_in_the_store_changes_the_notice(reference, store):
    before = _compact(dn.bind(reference, store.load_sheet(Q2)).text)
    unit = next(u for u in store.units() if u.name == "试马镇")
    store.set_counts(Q2, unit.id, [12, 10])  # was 2 / 2
    after = _compact(dn.bind(reference, store.load_sheet(Q2)).text)
    assert "镇办报送信息132条" in before and "镇办报送信息142条" in after
    assert "共采用546条" in before and "共采用554条" in after
    assert "共发布各类信息2323条" in after


def test_a_count_change_in_the_domain_sheet_changes_the_notice(reference, sheet):
    depts = sheet.group("县直部门")
    row = next(i for i, r in enumerate(depts.rows) if r.name == "县烟草局")
    depts.set_counts(row, (5, 5))  # one zero-submission unit fewer, and it enters the top eight
    resolved = dn.bind(reference, sheet)
    text = _compact(resolved.text)
    assert "其中15个单位为信息零报送" in text
    assert "部门报送信息533条" in text and "共采用551条" in text
    assert "县烟草局" not in resolved.values["表扬部门"]  # 6 points: not in the top eight
    depts.set_counts(row, (80, 80))
    assert dn.bind(reference, sheet).values["表扬部门"].startswith("县烟草局、")


def test_missing_figures_stay_visible_and_are_reported(reference, sheet):
    blank = replace(reference, figures=dn.NoticeFigures())
    resolved = dn.bind(blank, sheet)
    assert "重点领域信息" in resolved.missing and "办结率" in resolved.missing
    assert "{重点领域信息}" in resolved.text  # the token stays, never a silent empty
    run = next(r for r in resolved.bound_runs() if r.name == "重点领域信息")
    assert run.missing
    problems = dn.check(blank, sheet)
    assert "“重点领域信息”尚未录入（主动公开重点领域信息条数）。" in problems


def test_unknown_placeholder_is_reported(reference, sheet):
    section = reference.sections[0]
    broken = replace(reference, sections=(replace(section, paragraphs=("共{不存在}条。",)),))
    assert "未知的占位符“{不存在}”，请从列表中选择或删除。" in dn.check(broken, sheet)


def test_letters_rate_is_exact(reference):
    f = dn.NoticeFigures(letters_received=44, letters_handled=43)
    assert str(f.letters_rate()) == "97.7"
    assert dn.NoticeFigures(letters_received=3, letters_handled=1).letters_rate() == dn.Decimal("33.3")
    assert dn.NoticeFigures(letters_received=0, letters_handled=0).letters_rate() is None
    assert dn.NoticeFigures(letters_received=44, letters_handled=44).letters_rate() == 100


def test_next_quarter_rebinds_the_same_text(reference, store):
    q3 = Period.parse("2021Q3")
    store.create_period(q3)
    nxt = dn.next_notice(reference)
    assert nxt.period == q3 and nxt.date == datetime.date(2021, 10, 16)
    assert nxt.number == "商南政办函〔2021〕\u3000号" and nxt.number_serial is None
    assert nxt.sections == reference.sections and nxt.title == reference.title
    assert nxt.figures.reply_deadline == "10月23日" and nxt.figures.key_area_published is None
    resolved = dn.bind(nxt, store.load_sheet(q3))
    assert resolved.by_role(dn.TITLE)[1].text == "关于2021年三季度县政府网站信息报送及"
    assert "7—9月份" in resolved.text and "现将三季度县政府门户网站" in resolved.text
    assert "发文字号的序号尚未填写。" in dn.check(nxt, store.load_sheet(q3))
    q4 = replace(nxt, period=Period.parse("2021Q4"), date=datetime.date(2022, 1, 14))
    q1 = dn.next_notice(q4)
    assert q1.period == Period.parse("2022Q1") and q1.date == datetime.date(2022, 4, 14)
    assert q1.number.startswith("商南政办函〔2022〕")
    assert dn.months_label(q1.period) == "1—3月份"


def test_round_trip_and_corrupt_data(reference):
    again = dn.Notice.from_dict(json.loads(json.dumps(reference.to_dict(), ensure_ascii=False)))
    assert again == reference
    data = reference.to_dict()
    data["number_serial"] = -3
    with pytest.raises(ValidationError, match="通报数据损坏"):
        dn.Notice.from_dict(data)
    del data["sections"]
    with pytest.raises(ValidationError):
        dn.Notice.from_dict(data)


ASCII_NEXT_TO_CJK = re.compile(r"[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]")


def test_reference_text_uses_full_width_punctuation(reference, sheet):
    raw = resource_path(SEED_TEXT).read_text(encoding="utf-8")
    assert not ASCII_NEXT_TO_CJK.search(raw)
    assert '"' not in "".join(reference.texts())  # quotes are “ ”
    resolved = dn.bind(reference, sheet)
    assert not ASCII_NEXT_TO_CJK.search(resolved.text)
    assert resolved.annex_titles[0] == "2021年二季度各镇（办）向县政府网站报送政务信息情况统计表"
    assert resolved.by_role(dn.PUBLICATION)[0].text == "（此件公开发布）"
    assert resolved.by_role(dn.ANNEX_LIST)[0].text.startswith("附件：1.2021年二季度")
    assert resolved.by_role(dn.DATE)[0].text == "2021年7月16日"
    assert resolved.by_role(dn.NUMBER)[0].text == "商南政办函〔2021〕56号"


@pytest.mark.parametrize("text, expected", [
    ("各镇(办)", "各镇（办）"),
    ("注:每上报一条信息计0.2分,采用一条信息计1分。", "注：每上报一条信息计0.2分，采用一条信息计1分。"),
    ("单位名称\n(加盖公章)", "单位名称\n（加盖公章）"),
    ("10:30 (a) 3,5", "10:30 (a) 3,5"),
    ("联系人:张群", "联系人：张群"),
    ("是吗?好!", "是吗？好！"),
])
def test_full_width(text, expected):
    assert dn.full_width(text) == expected


def test_placeholder_spans_for_the_editor():
    text = "共发布{发布总数}条，其中{零报送单位数}个"
    spans = dn.placeholder_spans(text)
    assert [(text[a:b], name) for a, b, name in spans] == [("{发布总数}", "发布总数"), ("{零报送单位数}", "零报送单位数")]
    assert set(dn.PLACEHOLDERS) >= {name for _a, _b, name in spans}


def test_every_listed_placeholder_resolves(reference, sheet):
    values = dn.values_for(reference, sheet)
    assert set(dn.PLACEHOLDERS) <= set(values)
    assert all(values[name] is not None for name in dn.PLACEHOLDERS)
    used = {name for text in reference.texts() for name in dn.placeholders_in(text)}
    assert used <= set(dn.PLACEHOLDERS)
    assert not ASCII_NEXT_TO_CJK.search("".join(dn.PLACEHOLDERS.values()))
