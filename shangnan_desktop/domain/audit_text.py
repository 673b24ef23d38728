"""The audit log (修改记录) as sentences: actions, old and new values in the glossary's words."""

from __future__ import annotations

import datetime as _dt

from shangnan_desktop.domain.register import FIELD_LABELS

# Actions recorded under earlier wording, shown in today's words (docs/glossary.md).
ACTION_WORDS = {
    "撤销单位": "停用单位",  # legacy-word
    "恢复单位": "启用单位",  # legacy-word
    "修改数量": "修改条数",  # legacy-word
    "撤销修改数量": "撤销修改条数",  # legacy-word
    "恢复修改数量": "恢复修改条数",  # legacy-word
    "新建期间": "新建统计期",  # legacy-word
    "删除期间": "删除统计期",  # legacy-word
    "修改登记表": "修改登记信息",  # legacy-word
    "改名": "更名",  # legacy-word
    "单位改名": "单位更名",  # legacy-word
}

# Actions whose old/new values are booleans, with the words for True and False.
BOOL_WORDS = {
    "定稿": ("已定稿", "未定稿"),
    "解除定稿": ("已定稿", "未定稿"),
    "停用单位": ("在用", "已停用"),
    "启用单位": ("在用", "已停用"),
}

# Keys of a logged 登记信息 entry, in the order the 登记表 lists them.
ENTRY_LABELS = {**FIELD_LABELS, "confirmed_on": "确认日期"}
EMPTY_ENTRY = "（空白）"


def action_text(action: str) -> str:
    """An action as the window shows it: older wording (撤销单位, 修改数量) in today's words."""
    return ACTION_WORDS.get(action, action)


def _date_text(value: str) -> str:
    try:
        day = _dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day.year}年{day.month}月{day.day}日"


def entry_text(values: dict) -> str:
    """A logged register entry as one sentence: ``分管领导姓名：李明；管理人员联系电话：13912345678``.

    Fields in the 登记表's order, blank ones left out; keys nobody knows keep their own name last.
    """
    parts = []
    known = [k for k in ENTRY_LABELS if k in values] + [k for k in values if k not in ENTRY_LABELS]
    for key in known:
        value = values[key]
        if value in (None, "", [], ()):
            continue
        if isinstance(value, (list, tuple)):
            value = "、".join(str(v) for v in value)
        text = _date_text(str(value)) if key == "confirmed_on" else str(value)
        parts.append(f"{ENTRY_LABELS.get(key, key)}：{text}")
    return "；".join(parts) if parts else EMPTY_ENTRY


def value_text(action: str, value: object, labels: list[str] | None = None) -> str:
    """A value from the log as words: ``报送信息12条，采用信息3条``, ``已定稿``, a name, a sentence."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = BOOL_WORDS.get(action_text(action), ("是", "否"))
        return yes if value else no
    if isinstance(value, dict):
        return entry_text(value)
    if isinstance(value, list):
        if labels and len(labels) == len(value):
            return "，".join(f"{label}{v}条" for label, v in zip(labels, value))
        return "、".join(str(v) for v in value)
    return str(value)
