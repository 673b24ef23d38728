"""Chinese as a county office writes it (docs/glossary.md): full-width punctuation next to Chinese in the
package's strings and in every exported page, and the retired words gone from what a user sees."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("SHANGNAN_BUNDLED_FONTS", "1")

import shangnan_desktop
from shangnan_desktop.domain.text import ascii_punct_next_to_chinese, is_chinese, to_fullwidth_punct

PACKAGE = Path(shangnan_desktop.__file__).parent
ROOT = PACKAGE.parent
HOLE = "\ufffc"  # a replacement field of an f-string: neither Chinese nor Latin
MARKER = "# punct-ok"  # a line whose strings are deliberately ASCII (patterns, data read from old files)
LEGACY = "# legacy-word"  # a line that names a retired word in order to translate it


# ---- reading the package's strings ------------------------------------------------------------


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _skipped_calls(tree: ast.AST) -> set[int]:
    """Strings passed to re.* (patterns) or to a logger (developer log, English)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in ("re", "logger", "logging"):
                for arg in node.args:
                    ids.update(id(n) for n in ast.walk(arg))
    return ids


def package_strings() -> list[tuple[str, int, str, str]]:
    """(file, line, text, source line) of every str constant and f-string, docstrings and patterns aside."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        skip = _docstrings(tree) | _skipped_calls(tree)
        inside_fstring = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                inside_fstring.update(id(v) for v in node.values)
        for node in ast.walk(tree):
            if id(node) in skip or id(node) in inside_fstring:
                continue
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if not any(is_chinese(ch) for ch in text):
                continue
            line = lines[node.lineno - 1]
            found.append((str(path.relative_to(ROOT)), node.lineno, text, line))
    return found


def _offenders(texts) -> list[str]:
    out = []
    for where, text in texts:
        for i in ascii_punct_next_to_chinese(text):
            out.append(f"{where}: …{text[max(0, i - 8): i + 8]}…")
            break
    return out


# ---- (a) the package's string constants ------------------------------------------------------


def test_no_ascii_punctuation_next_to_chinese_in_the_package():
    # A replacement field inside a Chinese sentence stands for Chinese text: "（{a},{b}）" is caught too.
    texts = [(f"{f}:{n}", t.replace(HOLE, "中")) for f, n, t, line in package_strings() if MARKER not in line]
    bad = _offenders(texts)
    assert not bad, f"{len(bad)} strings put ASCII : , ; ( ) ? ! next to Chinese:\n" + "\n".join(bad[:60])


# Files already converted: their strings must stay clean now, not only after the package-wide pass.
CONVERTED = (
    "shangnan_desktop/domain/text.py",
    "shangnan_desktop/domain/period.py",
    "shangnan_desktop/domain/audit_text.py",
    "shangnan_desktop/storage/audit.py",
    "shangnan_desktop/ui/audit_dialog.py",
    "shangnan_desktop/reports/annex.py",
    "shangnan_desktop/reports/register_export.py",
)


def test_converted_files_stay_clean():
    texts = [
        (f"{f}:{n}", t) for f, n, t, line in package_strings()
        if f.replace(os.sep, "/") in CONVERTED and MARKER not in line
    ]
    assert texts, "the scan found no strings at all"
    assert not _offenders(texts)


def test_the_scan_sees_fstrings_and_skips_docstrings_and_patterns():
    strings = {(f.replace(os.sep, "/"), t) for f, _n, t, _line in package_strings()}
    texts = {t for _f, t in strings}
    assert f"{HOLE}不能为空，请输入名称。" in texts  # an f-string with its field as a hole
    assert not any(t.startswith("Text normalisation") for t in texts)  # docstring of domain/text.py


# ---- (c) retired words ----------------------------------------------------------------------

# (word, pattern, where): 撤销 only for undo; a unit is 停用/启用.
RETIRED = (
    ("撤销 for a unit", re.compile(r"撤销(?:单位|该单位|的单位)|已撤销|撤销“"), None),
    ("改名", re.compile("改名"), None),
    ("期间 in the window", re.compile("期间"), "shangnan_desktop/ui/"),
    ("数量", re.compile("数量"), None),
)


def _retired_hits(strings):
    hits = []
    for name, pattern, where in RETIRED:
        for f, n, text, line in strings:
            if LEGACY in line or (where and not f.replace(os.sep, "/").startswith(where)):
                continue
            if pattern.search(text):
                hits.append(f"{name}: {f}:{n}: {text[:50]}")
    return hits


def test_retired_words_are_gone_from_user_visible_strings():
    hits = _retired_hits(package_strings())
    assert not hits, f"{len(hits)} strings use a retired word (docs/glossary.md):\n" + "\n".join(hits[:60])


def test_retired_words_are_gone_from_the_converted_files():
    strings = [s for s in package_strings() if s[0].replace(os.sep, "/") in CONVERTED]
    assert not _retired_hits(strings)


def test_the_retired_word_check_can_fail():
    fake = [("shangnan_desktop/ui/x.py", 1, "撤销单位(&X)", ""), ("shangnan_desktop/ui/x.py", 2, "期间：", ""),
            ("shangnan_desktop/cli.py", 3, "数量均为0", ""), ("shangnan_desktop/cli.py", 4, "撤销(&U)", "")]
    assert len(_retired_hits(fake)) == 3


# ---- (b) every exported page and workbook -----------------------------------------------------


def _xlsx_texts(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    texts = [path.name]
    for ws in wb.worksheets:
        texts.append(ws.title)
        for row in ws.iter_rows():
            texts.extend(c.value for c in row if isinstance(c.value, str))
        hf = ws.HeaderFooter
        for part in (hf.oddHeader, hf.evenHeader, hf.firstHeader, hf.oddFooter, hf.evenFooter, hf.firstFooter):
            for side in (part.left, part.center, part.right):
                if side.text:
                    texts.append(side.text)
    texts.append(wb.properties.title or "")
    return texts


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return path.name + "\n" + out.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def all_exports(tmp_path_factory):
    """2021 Q2: 附件1–3, the filled 汇总表 and the per-unit 核对表, as PDF and .xlsx."""
    from shangnan_desktop.app.exports import export_period
    from shangnan_desktop.app.register import export_filled, export_unit_forms
    from shangnan_desktop.storage import Store
    from shangnan_desktop.domain import Period
    from tests.register_data import fill_register

    root = tmp_path_factory.mktemp("chinese-text")
    store = Store.open(root / "q2.db")
    try:
        q2 = Period.parse("2021Q2")
        files = export_period(store, q2, "all", "both", root / "annexes")
        fill_register(store)
        files += export_filled(store, q2, ("xlsx", "pdf"), root / "filled", today=dt.date(2021, 7, 20))
        files += export_unit_forms(store, q2, ("xlsx", "pdf"), root / "forms", today=dt.date(2021, 7, 20))
    finally:
        store.close()
    return [f.path for f in files]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_exported_pdfs_and_workbooks_use_fullwidth_punctuation(all_exports):
    pdfs = [p for p in all_exports if p.suffix == ".pdf"]
    books = [p for p in all_exports if p.suffix == ".xlsx"]
    assert len(pdfs) >= 5 and len(books) >= 5
    texts = []
    for p in pdfs:
        texts += [(f"{p.name}:{i}", line) for i, line in enumerate(_pdf_text(p).splitlines(), start=1)]
    for p in books:
        texts += [(p.name, t) for t in _xlsx_texts(p)]
    joined = "\n".join(t for _w, t in texts)
    assert "注：每上报一条信息计0.2分，采用一条信息计1分。" in joined
    assert "各镇（办）" in joined
    assert "（手机和固话）" in joined
    bad = _offenders(texts)
    assert not bad, "\n".join(bad[:40])


# ---- the converter and the rewriting script ---------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        ("注:每上报一条信息计0.2分,采用一条信息计1分。", "注：每上报一条信息计0.2分，采用一条信息计1分。"),
        ("各镇(办)信息报送情况统计表", "各镇（办）信息报送情况统计表"),
        ("(加盖公章)", "（加盖公章）"),
        ("联系电话\n(手机和固话)", "联系电话\n（手机和固话）"),
        ("期间: ", "期间："),
        ("确定要解除定稿吗?", "确定要解除定稿吗？"),
        ("注意!", "注意！"),
        ("第一;第二", "第一；第二"),
        (f"已新建{HOLE}({HOLE}),单位名单沿用上一期", f"已新建{HOLE}（{HOLE}），单位名单沿用上一期"),
        ("请按“2021Q2”(季度)输入", "请按“2021Q2”（季度）输入"),
        ("撤销(&U)", "撤销(&U)"),  # a Qt mnemonic stays
        ("CSV 文件 (*.csv)", "CSV 文件 (*.csv)"),  # a Qt file filter stays
        ("Ctrl+C/Ctrl+V (A4, 0914-6322055)", "Ctrl+C/Ctrl+V (A4, 0914-6322055)"),
        ("0.2分", "0.2分"),
    ],
)
def test_to_fullwidth_punct(before, after):
    assert to_fullwidth_punct(before) == after
    assert not ascii_punct_next_to_chinese(after)
    assert to_fullwidth_punct(after) == after


def test_fix_punctuation_rewrites_string_literals_only(tmp_path):
    source = '''"""模块说明: docstring stays as written."""
import re
PATTERN = re.compile(r"[()（）:]单位")
def f(x, n, active, logger):
    logger.info("单位(%s): %d", x, n)
    a = f"已新建{x.label}({x.key}),条数均为{n:>3}。"
    b = "年份%(y)d不合理,请输入%(lo)s至2100(含)" % {"y": 1, "lo": "2000"}
    c = f"{'启用' if active else '停用'}单位“{x}”,{{字面}}(注)"
    d = "撤销(&U)"
    e = "数据,(原样)"  # punct-ok
    g = "{0:,}条(合计)".format(n)
    h = b"(,"
    x = {"a": 1}  # a dict: code, never touched: (中文)
    return (a, b, c, d, e, g, h, "多行"
            "第二段:说明")
'''
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    script = ROOT / "build" / "fix_punctuation.py"
    check = subprocess.run([sys.executable, str(script), "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 1 and "would fix" in check.stdout
    assert path.read_text(encoding="utf-8") == source  # --check writes nothing
    subprocess.run([sys.executable, str(script), str(path)], check=True, capture_output=True)
    fixed = path.read_text(encoding="utf-8")
    expected = (
        source.replace('f"已新建{x.label}({x.key}),条数均为{n:>3}。"', 'f"已新建{x.label}（{x.key}），条数均为{n:>3}。"')
        .replace('"年份%(y)d不合理,请输入%(lo)s至2100(含)"', '"年份%(y)d不合理，请输入%(lo)s至2100（含）"')
        .replace("单位“{x}”,{{字面}}(注)", "单位“{x}”，{{字面}}（注）")
        .replace('"{0:,}条(合计)"', '"{0:,}条（合计）"')
        .replace('"第二段:说明"', '"第二段：说明"')
    )
    assert fixed == expected
    compile(fixed, "sample.py", "exec")
    namespace: dict = {}
    exec(compile(fixed, "sample.py", "exec"), namespace)
    label = type("P", (), {"label": "2021年二季度", "key": "2021Q2"})()
    values = namespace["f"](label, 7, True, type("L", (), {"info": staticmethod(lambda *a: None)})())
    assert values[0] == "已新建2021年二季度（2021Q2），条数均为  7。"
    assert values[1] == "年份1不合理，请输入2000至2100（含）"
    assert values[2] == "启用单位“P”，{字面}（注）".replace("P", str(label))
    again = subprocess.run([sys.executable, str(script), "--check", str(path)], capture_output=True, text=True)
    assert again.returncode == 0  # idempotent


# ---- files exported by an earlier version (ASCII punctuation) still import ----------------------

_TO_ASCII = str.maketrans("：，；（）？！", ":,;()?!")


def _as_earlier_version(path: Path) -> Path:
    """The workbook as an earlier version wrote it: every cell, tab and header with ASCII punctuation."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    for ws in wb.worksheets:
        ws.title = ws.title.translate(_TO_ASCII).replace("汇总表", "附件3")
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = cell.value.translate(_TO_ASCII)
    old = path.with_name("old_" + path.name)
    wb.save(old)
    return old


def test_an_export_with_ascii_punctuation_from_an_earlier_version_still_imports(tmp_path):
    from shangnan_desktop.domain import Period
    from shangnan_desktop.app.exports import export_period
    from shangnan_desktop.app.imports import apply_import, preview_import
    from shangnan_desktop.app.register import export_filled
    from shangnan_desktop.app.imports import apply_register_import, preview_register_import
    from shangnan_desktop.storage import Store
    from shangnan_desktop.storage.register_store import RegisterStore
    from tests.register_data import fill_register

    q2, q3 = Period.parse("2021Q2"), Period.parse("2021Q3")
    source = Store.open(tmp_path / "source.db")
    files = export_period(source, q2, "1,2", "xlsx", tmp_path / "annexes")
    entries = fill_register(source)
    [filled] = export_filled(source, q2, ("xlsx",), tmp_path / "filled", today=dt.date(2021, 7, 20))
    expected = source.load_sheet(q2)
    names = {u.id: u.name for u in source.units()}
    source.close()

    old_files = [_as_earlier_version(f.path) for f in files]
    from openpyxl import load_workbook

    title = load_workbook(old_files[0]).active["A2"].value
    assert "各镇(办)" in title and "（" not in title  # really the old style
    target = Store.open(tmp_path / "target.db")
    try:
        target.create_period(q3)
        for path in old_files:
            preview = preview_import(target, q3, path)
            assert not preview.bad and preview.changes, preview.as_text()
            apply_import(target, preview)
        got = target.load_sheet(q3)
        for group, want in zip(got.groups, expected.groups):
            assert [r.counts for r in group.in_unit_order()] == [r.counts for r in want.in_unit_order()]

        old_register = _as_earlier_version(filled.path)
        preview = preview_register_import(target, old_register, confirmed_on=dt.date(2021, 7, 20))
        assert not preview.refused, preview.as_text()
        apply_register_import(target, preview)
        current = RegisterStore(target).current()
        by_name = {names[uid]: e for uid, e in entries.items()}
        assert {names[uid]: e.leader_name for uid, e in current.items()} == {
            n: e.leader_name for n, e in by_name.items()}
    finally:
        target.close()
