"""Screenshots of the 台账 view and the import's column-mapping step (docs/ledger/*.png).

    QT_QPA_PLATFORM=offscreen SHANGNAN_BUNDLED_FONTS=1 .venv/bin/python docs/ledger/make_screens.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from shangnan_desktop.app.workspace import create_workspace, open_workspace  # noqa: E402

HERE = Path(__file__).resolve().parent
LIST = """文章标题,发布单位,报送时间,审核,所属栏目,发布时间
县文旅局开展文化市场安全检查,商南县文化和旅游广电局,2021-04-06 09:12,已采用,部门动态,2021-04-07
金丝峡景区迎来清明客流高峰,金丝峡景区管理委员会,2021-04-05,已采用,部门动态,2021-04-05
试马镇召开春耕生产推进会,试马镇,2021-04-12,已采用,镇办动态,2021-04-13
试马镇开展森林防火宣传,试马镇,2021-04-20,未采用,镇办动态,
试马镇开展森林防火宣传,试马镇,2021-04-21,已采用,镇办动态,2021-04-22
富水镇茶园管护技术培训,富水镇,2021-05-08,退回,镇办动态,
富水镇召开脱贫攻坚成果巩固会,富水镇,2021-06-18,已采用,镇办动态,2021-06-19
县文旅局组织暑期文艺演出,商南县文化和旅游广电局,2021-07-02,已采用,部门动态,2021-07-03
"""


def main() -> None:
    from shangnan_desktop.ui.app import create_application, load_qt_translations, setup_fonts
    from shangnan_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or create_application([])
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shangnan.sqlite3"
        create_workspace(db)
        opened = open_workspace(db)
        store = opened.store
        src = Path(tmp) / "文章列表.csv"
        src.write_text(LIST, encoding="gb18030")
        window = MainWindow(store, QSettings(str(Path(tmp) / "w.ini"), QSettings.Format.IniFormat))
        window.resize(1280, 720)
        window.show()
        app.processEvents()

        def walk(dialog):
            rows = {dialog.mapping.item(r, 0).text(): r for r in range(dialog.mapping.rowCount())}
            dialog.mapping.cellWidget(rows["审核"], 1).setCurrentText("状态")
            dialog.show()
            app.processEvents()
            dialog.grab().save(str(HERE / "import-mapping-step.png"))
            dialog._next()
            app.processEvents()
            dialog.grab().save(str(HERE / "import-names-step.png"))
            dialog._next()
            app.processEvents()
            dialog.grab().save(str(HERE / "import-preview-step.png"))
            dialog.hide()

        window.tabs.setCurrentIndex(2)
        assert window.ledger.import_file(src, dialog_hook=walk)
        app.processEvents()
        window.grab().save(str(HERE / "ledger-view.png"))
        window.tabs.setCurrentIndex(0)
        app.processEvents()
        window.grab().save(str(HERE / "counts-derived.png"))
        window.close()
        opened.close()


if __name__ == "__main__":
    main()
