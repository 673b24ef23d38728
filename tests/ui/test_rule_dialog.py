"""统计期 → 评分规则 (issue 16): presets, the side-by-side preview, refusals, saving from a period on."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialogButtonBox

from shangnan_desktop.domain import Period, ScoringRule
from shangnan_desktop.domain.rule import COMPETITION, preset
from shangnan_desktop.ui.rule_dialog import RuleDialog

Q2 = Period(2021, "Q", 2)


def cells(view, row):
    return [view.item(row, c).text() for c in range(view.columnCount())]


def test_preview_shows_the_current_table_under_both_rules_and_saving_applies_it(qtbot, store):
    dialog = RuleDialog(store, Q2)
    qtbot.addWidget(dialog)
    assert dialog.new_rule() == ScoringRule.default()
    dialog.preset.setCurrentIndex(dialog.preset.findData("adopt_only"))
    dialog._apply_preset()
    dialog.rank.setCurrentIndex(dialog.rank.findData(COMPETITION))
    old, new = cells(dialog.old_view, 0), cells(dialog.new_view, 0)
    assert old[0] == new[0] == "过风楼镇"
    assert old[3] == "30.4" and new[3] == str(3 * int(new[2]))  # 27 × 0.2 + 25 vs 3 × 25
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saved is not None and dialog.saved.periods == (Q2,)
    want, got = preset("adopt_only"), store.rule(Q2)
    shape = lambda rule: [(m.key, m.label, m.weight, m.bounded_by, m.value_kind) for m in rule.metrics]  # noqa: E731
    assert shape(got) == shape(want) and got.rank_method == COMPETITION
    assert got.note_line() == "注：采用一条信息计3分。"  # the old wording kept; 报送 at weight 0 left out


def test_a_bad_weight_is_explained_and_cannot_be_saved(qtbot, store):
    dialog = RuleDialog(store, Q2)
    qtbot.addWidget(dialog)
    dialog.table.item(0, 1).setText("0.12345")
    assert "最多保留4位小数" in dialog.message.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    dialog.table.item(0, 1).setText("0.1234")
    assert dialog.message.text() == ""
    assert dialog.new_rule().metrics[0].weight == Decimal("0.1234")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert store.rule(Q2) == ScoringRule.default()  # nothing saved until 保存


def test_a_decimal_metric_and_the_rate_column_in_the_preview(qtbot, store):
    dialog = RuleDialog(store, Q2)
    qtbot.addWidget(dialog)
    dialog._add_row("考核分", "1", None, True)
    dialog.rate.setChecked(True)
    header = [dialog.new_view.horizontalHeaderItem(c).text() for c in range(dialog.new_view.columnCount())]
    assert header == ["镇办", "报送信息", "采用信息", "考核分", "得分", "采用率", "排名"]
    assert cells(dialog.new_view, 0)[5] == "92.6%"  # 25 ÷ 27
