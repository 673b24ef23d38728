"""The 通报 tab: the notice's fields and sections, bound figures highlighted and atomic, a live page preview.

Every edit is saved within ``SAVE_DELAY_MS`` (and at once when a field loses focus) as one undo step on the
shown quarter's history. The figures follow the counts: when a count changes on the other tab, the bound
words change here and in the preview. The preview's PDF is rendered in a worker thread (plain data in,
bytes out), the newest request winning; QtPdf draws its pages.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
import threading
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shangnan_desktop.app import notice as notice_app
from shangnan_desktop.domain import DomainError, Period, ValidationError
from shangnan_desktop.domain.notice import PLACEHOLDERS, Notice, NoticeFigures, Section
from shangnan_desktop.domain.text import fold_digits
from shangnan_desktop.ui.busy import run_busy
from shangnan_desktop.ui.placeholder_edit import PlaceholderEdit

logger = logging.getLogger(__name__)

SAVE_DELAY_MS = 600
MAX_NOTICE_NUMBER = 99_999  # a quarter's letters, items or a document's serial: five digits at most
PREVIEW_DELAY_MS = 300
PREVIEW_DPI = 48
_SPLIT = re.compile(r"[、，,;；\s]+")


class PreviewRenderer:
    """Renders a notice description to PDF bytes in a worker thread, one at a time; the newest request wins.

    A request made while a render runs waits (only the newest one is kept) and starts when it ends, so
    two renders never share reportlab's state and an older result never hides a newer one.
    """

    def __init__(self, parent: QWidget, on_ready: Callable[[bytes], None]) -> None:
        self.on_ready = on_ready
        self._pending = None  # the newest description waiting for the worker
        self._outcome: tuple[bytes | None] | None = None  # set by the worker
        self._poll = QTimer(parent)
        self._poll.setInterval(30)
        self._poll.timeout.connect(self._check)
        self.busy = False

    def request(self, document) -> None:
        self._pending = document
        if not self.busy:
            self._start()

    def _start(self) -> None:
        document, self._pending = self._pending, None
        self.busy = True
        self._outcome = None

        def work() -> None:
            try:
                data = notice_app.notice_pdf_bytes(document)
            except Exception:  # noqa: BLE001 - a preview that fails only logs; export reports properly
                logger.exception("notice preview failed")
                data = None
            self._outcome = (data,)

        threading.Thread(target=work, name="notice-preview", daemon=True).start()
        self._poll.start()

    def _check(self) -> None:
        outcome = self._outcome
        if outcome is None:
            return
        self._outcome = None
        self._poll.stop()
        self.busy = False
        if self._pending is not None:
            self._start()  # the text changed meanwhile: this result is already old
            return
        if outcome[0] is not None:
            self.on_ready(outcome[0])


class NoticeTab(QWidget):
    """The notice of the shown period: fields, section texts, problems, export and print, page preview."""

    message = Signal(str)
    saved = Signal()

    def __init__(self, store, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.controller = controller
        self.period: Period | None = None
        self.bound: notice_app.BoundNotice | None = None
        self.pdf_data: bytes | None = None
        self._preview_stale = False
        self._loading = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._render_preview)
        self.renderer = PreviewRenderer(self, self._show_pages)
        self._section_edits: list[tuple[QLineEdit, PlaceholderEdit]] = []
        self._build()

    # ---- construction ----------------------------------------------------------------------
    def _line(self, tip: str = "", width: int | None = None) -> QLineEdit:
        edit = QLineEdit()
        edit.setToolTip(tip)
        if width:
            edit.setMaximumWidth(width)
        edit.textEdited.connect(self._edited)
        edit.editingFinished.connect(self.flush)
        return edit

    def _text(self, lines: int, single: bool = False) -> PlaceholderEdit:
        edit = PlaceholderEdit(single_line=single)
        edit.edited.connect(self._edited)
        edit.focusLeft.connect(self.flush)
        edit.undoRedoKey.connect(self.flush)
        edit.min_lines = lines
        edit._fit_height()
        return edit

    def _build(self) -> None:
        self.office = self._line("发文机关，如“商南县人民政府办公室”（红头）")
        self.prefix = self._line("发文机关代字，如“商南政办函”", 140)
        self.serial = self._line("序号，如 56；未编号时留空", 60)
        self.date = self._line("成文日期，如 2021年7月16日 或 2021-07-16", 150)
        self.addressees = self._line("主送机关")
        self.title = self._text(2)
        self.title.setToolTip("标题；换行处即标题的分行处")
        self.key_area = self._line("主动公开重点领域信息条数", 70)
        self.disclosure = self._line("办理依申请公开信息件数", 70)
        self.letters_received = self._line("受理网上问政信件数", 70)
        self.letters_handled = self._line("已处理网上问政信件数", 70)
        self.rate = QLabel()
        self.rate.setToolTip("办结率 = 已处理 ÷ 受理，自动计算")
        self.letters_praised = self._line("网上问政办理工作表扬的单位，用“、”分隔")
        self.praised_towns = self._line("信息报送表扬的镇办，用“、”分隔；留空即按排名前3位")
        self.praised_depts = self._line("信息报送表扬的部门，用“、”分隔；留空即按排名前8位")

        number = QHBoxLayout()
        number.addWidget(self.prefix)
        number.addWidget(QLabel("〔年份〕"))
        number.addWidget(self.serial)
        number.addWidget(QLabel("号"))
        number.addSpacing(12)
        number.addWidget(QLabel("成文日期："))
        number.addWidget(self.date)
        number.addStretch(1)
        figures = QHBoxLayout()
        for label, edit in (("重点领域信息", self.key_area), ("依申请公开", self.disclosure),
                            ("问政受理", self.letters_received), ("已处理", self.letters_handled)):
            figures.addWidget(QLabel(label))
            figures.addWidget(edit)
        figures.addWidget(self.rate)
        figures.addStretch(1)

        fields = QFormLayout()
        fields.addRow("发文机关：", self.office)
        fields.addRow("发文字号：", number)
        fields.addRow("主送机关：", self.addressees)
        fields.addRow("标题：", self.title)
        fields.addRow("本期数字：", figures)
        fields.addRow("问政表扬：", self.letters_praised)
        fields.addRow("表扬镇办：", self.praised_towns)
        fields.addRow("表扬部门：", self.praised_depts)

        self.insert_box = QComboBox()
        self.insert_box.addItem("插入数据…", None)
        for name, tip in PLACEHOLDERS.items():
            self.insert_box.addItem(name, name)
            self.insert_box.setItemData(self.insert_box.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.insert_box.setToolTip("在正文光标处插入一个随数据变化的数字或名单")
        self.insert_box.activated.connect(self._insert_placeholder)
        self._last_text_edit: PlaceholderEdit | None = None

        self.opening = self._text(2)
        self.sections_box = QVBoxLayout()
        self.sections_box.setSpacing(4)
        body = QGroupBox("正文（蓝底的词随数据自动变化，不能直接改写；红底的尚未录入）")
        body_layout = QVBoxLayout(body)
        top = QHBoxLayout()
        top.addWidget(QLabel("开头："))
        top.addStretch(1)
        top.addWidget(self.insert_box)
        body_layout.addLayout(top)
        body_layout.addWidget(self.opening)
        body_layout.addLayout(self.sections_box)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.setContentsMargins(4, 4, 4, 4)
        form_layout.addLayout(fields)
        form_layout.addWidget(body)
        form_layout.addWidget(self.problems)
        form_layout.addStretch(1)
        form_scroll = QScrollArea()
        form_scroll.setWidget(form)
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QFrame.Shape.NoFrame)

        self.export_button = QPushButton("导出通报（含附件）…")
        self.export_button.setToolTip("导出Word（.docx）和PDF：通报正文和附件1—3，页码连续")
        self.export_button.clicked.connect(lambda: self.export(True))
        self.body_button = QPushButton("只导出正文…")
        self.body_button.clicked.connect(lambda: self.export(False))
        self.print_button = QPushButton("打印…")
        self.print_button.clicked.connect(self.print_notice)
        self.controller.lockChanged.connect(self._lock_changed)  # 定稿 while the tab is open: read-only at once
        self.page_info = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.export_button)
        bar.addWidget(self.body_button)
        bar.addWidget(self.print_button)
        bar.addStretch(1)
        bar.addWidget(self.page_info)

        pages = QWidget()
        pages.setStyleSheet("background: #808080;")
        self._pages_column = QVBoxLayout(pages)
        self._pages_column.setSpacing(10)
        self._pages_column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._page_labels: list[QLabel] = []
        self.preview = QScrollArea()
        self.preview.setWidget(pages)
        self.preview.setWidgetResizable(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.preview, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(form_scroll)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _set_sections(self, notice: Notice, values) -> None:
        while len(self._section_edits) < len(notice.sections):
            heading = self._line("一级标题，如“一、总体情况”")
            text = self._text(4)
            self.sections_box.addWidget(heading)
            self.sections_box.addWidget(text)
            self._section_edits.append((heading, text))
        for i, (heading, text) in enumerate(self._section_edits):
            shown = i < len(notice.sections)
            heading.setVisible(shown)
            text.setVisible(shown)
            if shown:
                heading.setText(notice.sections[i].heading)
                text.set_paragraphs(list(notice.sections[i].paragraphs), values)

    def text_edits(self) -> list[PlaceholderEdit]:
        return [self.title, self.opening, *(t for _h, t in self._section_edits if not t.isHidden())]

    # ---- loading ---------------------------------------------------------------------------
    def _frozen(self, period: Period | None) -> bool:
        """Nothing may be written: the quarter is 定稿, or this copy of the program opened the database read-only."""
        return period is None or self.controller.readonly or self.controller.is_locked(period)

    def show_period(self, period: Period | None) -> None:
        """Show the period's notice, creating it from the previous period's on first open."""
        self.flush()
        self.period = period
        if period is None:
            return
        try:
            if not self._frozen(period):
                created = notice_app.ensure_notice(self.store, period)
                if created.changed:
                    self.message.emit(f"已按上一期通报的文字新建{period.label}通报，数字随本期数据自动填入。")
            self.bound = notice_app.read_notice(self.store, period)
        except DomainError as exc:
            self.bound = None
            self.problems.setText(str(exc))
            self.setEnabled(True)
            for w in self._inputs():
                w.setEnabled(False)
            return
        for w in self._inputs():
            w.setEnabled(True)
        self._fill()

    def reload_if_shown(self, period: Period) -> None:
        if period == self.period:
            self.bound = notice_app.read_notice(self.store, period)
            self._fill()

    def counts_changed(self) -> None:
        """A count changed: the bound words follow (the text itself is unchanged)."""
        if self.period is None or self.bound is None:
            return
        self.flush()
        self.bound = notice_app.bind_notice(self.bound.notice, self.store.load_sheet(self.period),
                                            stored=self.bound.stored)
        self._loading = True
        try:
            for edit in self.text_edits():
                edit.rebind(self.bound.values)
        finally:
            self._loading = False
        self._show_state()

    def _apply_lock(self) -> None:
        locked = self._frozen(self.period)
        for w in [*self._inputs(), *(h for h, _t in self._section_edits)]:
            if isinstance(w, (QLineEdit, PlaceholderEdit)):
                w.setReadOnly(locked)
        self.insert_box.setEnabled(not locked)

    def _lock_changed(self, _locked: bool) -> None:
        if self.bound is not None:
            self._apply_lock()

    def _inputs(self) -> list[QWidget]:
        return [self.office, self.prefix, self.serial, self.date, self.addressees, self.key_area, self.disclosure,
                self.letters_received, self.letters_handled, self.letters_praised, self.praised_towns,
                self.praised_depts, *self.text_edits(), self.insert_box]

    def _fill(self) -> None:
        b = self.bound
        if b is None:
            return
        n, f, values = b.notice, b.notice.figures, b.values
        self._loading = True
        try:
            self.office.setText(n.office)
            self.prefix.setText(n.number_prefix)
            self.serial.setText(str(n.number_serial or ""))
            self.date.setText(f"{n.date.year}年{n.date.month}月{n.date.day}日" if n.date else "")
            self.addressees.setText(n.addressees)
            self.title.set_paragraphs(n.title.split("\n"), values)
            for edit, value in ((self.key_area, f.key_area_published), (self.disclosure, f.disclosure_handled),
                                (self.letters_received, f.letters_received), (self.letters_handled, f.letters_handled)):
                edit.setText("" if value is None else str(value))
            self.letters_praised.setText("、".join(f.letters_praised))
            groups = [g.name for g in b.sheet.groups]
            for edit, index, default in ((self.praised_towns, 0, "表扬镇办"), (self.praised_depts, 1, "表扬部门")):
                name = groups[index] if index < len(groups) else None
                edit.setText("、".join(n.praised.get(name, ())) if name else "")
                edit.setPlaceholderText(f"按排名：{values.get(default) or '无'}")
            self.opening.set_paragraphs([n.opening], values)
            self._set_sections(n, values)
            self._apply_lock()
        finally:
            self._loading = False
        self._show_state()

    def _show_state(self) -> None:
        b = self.bound
        if b is None:
            return
        self.rate.setText(f"办结率：{b.values.get('办结率') or '—'}")
        problems = list(b.problems)
        self.problems.setText("\n".join(f"• {p}" for p in problems) if problems else "通报内容完整。")
        self.problems.setStyleSheet("color: #b00020;" if problems else "color: #1b5e20;")
        self._preview_timer.start()

    # ---- saving ----------------------------------------------------------------------------
    def _edited(self, *_args) -> None:
        if self._loading:
            return
        sender = self.sender()
        if isinstance(sender, PlaceholderEdit):
            self._last_text_edit = sender
        self._save_timer.start()

    def flush(self) -> None:
        """Save the pending edit now (focus left a field, another tab, undo)."""
        if self._save_timer.isActive():
            self._save_timer.stop()
            self.save()

    def _number(self, edit: QLineEdit, label: str) -> int | None:
        text = fold_digits(edit.text().strip())
        if not text:
            return None
        if not (text.isascii() and text.isdigit()):
            raise ValidationError(f"{label}必须是不小于0的整数，或留空。")
        if len(text) > len(str(MAX_NOTICE_NUMBER)) or int(text) > MAX_NOTICE_NUMBER:
            raise ValidationError(f"{label}“{text}”过大（最多{MAX_NOTICE_NUMBER}），请核对。")
        return int(text)

    def _date(self) -> _dt.date | None:
        text = self.date.text().strip()
        if not text:
            return None
        m = re.fullmatch(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?", text)
        try:
            if not m:
                raise ValueError
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValidationError(f"成文日期“{text}”无法识别，请写成 2021年7月16日 或 2021-07-16。") from None

    def notice_from_fields(self) -> Notice:
        """The notice as the fields now say (a clear error for a field that can't be read)."""
        old = self.bound.notice
        serial = self._number(self.serial, "发文字号的序号")
        groups = [g.name for g in self.bound.sheet.groups]
        praised = dict(old.praised)
        for edit, index in ((self.praised_towns, 0), (self.praised_depts, 1)):
            if index < len(groups):
                names = tuple(u for u in _SPLIT.split(edit.text().strip()) if u)
                if names:
                    praised[groups[index]] = names
                else:
                    praised.pop(groups[index], None)
        sections = []
        visible = [(h, t) for h, t in self._section_edits if not t.isHidden()]
        for heading, text in visible:
            paragraphs = tuple(p for p in text.paragraphs() if p.strip())
            sections.append(Section(heading.text().strip(), paragraphs))
        return Notice(
            period=old.period,
            office=self.office.text().strip(),
            number_prefix=self.prefix.text().strip(),
            number_serial=serial,
            date=self._date(),
            addressees=self.addressees.text().strip(),
            title="\n".join(p for p in self.title.paragraphs() if p.strip()),
            opening="".join(self.opening.paragraphs()),
            sections=tuple(sections),
            figures=NoticeFigures(
                key_area_published=self._number(self.key_area, "重点领域信息条数"),
                disclosure_handled=self._number(self.disclosure, "依申请公开件数"),
                letters_received=self._number(self.letters_received, "受理网上问政信件数"),
                letters_handled=self._number(self.letters_handled, "已处理网上问政信件数"),
                letters_praised=tuple(u for u in _SPLIT.split(self.letters_praised.text().strip()) if u),
                reply_deadline=old.figures.reply_deadline,
            ),
            praised=praised,
            publication=old.publication,
            signature=old.signature,
        )

    def save(self) -> bool:
        """Store what the fields say as one step of the quarter's undo history; a clear message if it can't be."""
        if self.bound is None or self.period is None or self._loading:
            return False
        if self._frozen(self.period):
            return False
        period = self.period
        try:
            new = self.notice_from_fields()
            change = notice_app.update_notice(
                self.store, period, **{k: getattr(new, k) for k in (
                    "office", "number_prefix", "number_serial", "date", "addressees", "title", "opening",
                    "sections", "figures", "praised")}
            )
        except DomainError as exc:
            self.problems.setText(f"未保存：{exc}")
            self.problems.setStyleSheet("color: #b00020; font-weight: bold;")
            self.message.emit(f"通报未保存：{exc}")
            return False
        if not change.changed:
            return False
        command = notice_app.NoticeCommand(self.store, period, change.before, change.after)
        command.after_replay = lambda: self.reload_if_shown(period)  # the tab shows what undo/redo put back
        self.controller.push(self.controller.stack_for(period), command)
        self.bound = notice_app.bind_notice(change.after, self.bound.sheet)
        self._refresh_tokens()
        self._show_state()
        self.saved.emit()
        self.message.emit("已保存通报。")
        return True

    def _refresh_tokens(self) -> None:
        """A new figure typed (问政受理 …): tokens that show it update, the clerk's cursor stays."""
        self._loading = True
        try:
            for edit in self.text_edits():
                edit.rebind(self.bound.values)
        finally:
            self._loading = False

    def _insert_placeholder(self, index: int) -> None:
        name = self.insert_box.itemData(index)
        self.insert_box.setCurrentIndex(0)
        target = self._last_text_edit or self.opening
        if name and not target.isReadOnly():
            target.insert_placeholder(name)

    # ---- preview, export, print ------------------------------------------------------------
    def document(self, with_annexes: bool = True):
        return notice_app.describe_notice(self.bound.notice, self.bound.sheet, with_annexes=with_annexes)

    def _render_preview(self) -> None:
        if self.bound is None:
            return
        if not self.isVisible() and not self.property("renderHidden"):
            self._preview_stale = True  # drawn when the tab is shown again (undo on another tab …)
            return
        self._preview_stale = False
        self.renderer.request(self.document())

    def _show_pages(self, data: bytes) -> None:
        from shangnan_desktop.ui.print_preview import PdfPages  # lazy: QtPdf is not wanted at start-up

        self.pdf_data = data
        pages = PdfPages(data)
        try:
            while len(self._page_labels) < pages.count:
                label = QLabel()
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self._page_labels.append(label)
                self._pages_column.addWidget(label)
            ratio = self.devicePixelRatioF() or 1.0
            room = self.preview.width() - self.preview.verticalScrollBar().sizeHint().width() - 28
            dpi = max(30.0, min(96.0, room / (pages.point_size(0).width() / 72))) if pages.count else PREVIEW_DPI
            for i, label in enumerate(self._page_labels):
                label.setVisible(i < pages.count)
                if i < pages.count:
                    pixmap = QPixmap.fromImage(pages.render(i, dpi * ratio))
                    pixmap.setDevicePixelRatio(ratio)
                    label.setPixmap(pixmap)
            self.page_info.setText(f"共{pages.count}页")
        finally:
            pages.close()

    def export(self, with_annexes: bool = True, folder: str | None = None):
        if self.bound is None:
            return None
        self.flush()
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "导出通报到文件夹")
            if not folder:
                return None
        document = self.document(with_annexes)

        def done(files) -> None:
            names = "、".join(f.path.name for f in files)
            self.message.emit(f"已导出：{names}")

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, DomainError):
                raise exc
            QMessageBox.warning(self, "无法导出通报", str(exc))

        self.task = run_busy(self, "正在导出通报…",
                             lambda: notice_app.write_notice(document, notice_app.FORMATS, folder), done, failed)
        return self.task

    def print_notice(self) -> None:
        if self.bound is None:
            return
        self.flush()
        document = self.document()

        def ready(data: bytes) -> None:
            from shangnan_desktop.ui.print_preview import PrintPreviewDialog  # lazy: QtPdf

            PrintPreviewDialog(data, f"打印预览 — {self.period.label}通报", self).open()

        self.task = run_busy(self, "正在生成打印页面…", lambda: notice_app.notice_pdf_bytes(document), ready)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.bound is not None and (self.pdf_data is None or self._preview_stale):
            self._preview_timer.start()


__all__ = ["NoticeTab", "PreviewRenderer"]
