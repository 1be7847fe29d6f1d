"""The main window's toolbar: the window's own actions, with tinted icons.

The toolbar holds no actions of its own: it shows the ones the menus already hold
(so enabling, shortcuts and translated texts stay in one place), and gives each its
drawing from ``resources/icons/toolbar``. The tooltips are the actions' own (their
text, or the tooltip an action sets), so they are translated with the menus. The icons
are tinted again whenever the palette changes (a theme switch, or the desktop turning
dark), and the menus show the same icons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar, QWidget

from subtitle_studio.gui.icons import ThemedIcons

if TYPE_CHECKING:
    from subtitle_studio.gui.main_window import MainWindow


def toolbar_actions(window: MainWindow) -> list[tuple[QAction, str] | None]:
    """The toolbar's actions in order, with their drawing's name; ``None`` separates groups."""
    files = window.document_files
    return [
        (window.act_open, "open-media"),
        (files.act_open, "open-subtitles"),
        (files.act_save, "save"),
        (window.act_export, "export"),
        None,
        (window.act_undo, "undo"),
        (window.act_redo, "redo"),
        (window.edit_actions.act_find, "find"),
        None,
        (window.act_start, "start"),
        (window.act_pause, "pause"),
        (window.act_cancel, "cancel"),
        None,
        (window.listen.act_play, "play-line"),
        (window.align_document.act_align, "align-timings"),
        (window.act_models, "models"),
    ]


class MainToolBar(QToolBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainToolBar")  # for QMainWindow.saveState
        self.setWindowTitle(self.tr("Toolbar"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.icons = ThemedIcons()

    def add(self, action: QAction, icon_name: str) -> None:
        self.icons.assign(action, icon_name, self.palette())
        self.addAction(action)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.icons.retint(self.palette())
        elif event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Toolbar"))


def build_toolbar(window: MainWindow) -> MainToolBar:
    """Add the toolbar to the top of ``window``, built from the window's actions."""
    bar = MainToolBar(window)
    for item in toolbar_actions(window):
        if item is None:
            bar.addSeparator()
        else:
            bar.add(*item)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar
