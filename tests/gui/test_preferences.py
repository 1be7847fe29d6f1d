"""Preferences (language and theme) and the first-run note."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from subtitle_studio.core.app_settings import (
    UI_LANGUAGES,
    first_run_done,
    load_theme,
    load_ui_language,
    mark_first_run_done,
    save_theme,
    save_ui_language,
)
from subtitle_studio.core.model_catalog import BUNDLED_MODEL, WHISPER_CATALOG
from subtitle_studio.gui.first_run import RECOMMENDED, first_run_text, show_first_run_note
from subtitle_studio.gui.preferences_dialog import LANGUAGE_NAMES, PreferencesDialog
from subtitle_studio.gui.theme import apply_theme, effective_scheme


def window_lightness() -> int:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness()


@pytest.fixture
def light_app(qapp: QApplication):
    """Start from the light theme and leave the application's style as it was found."""
    style, palette = qapp.style().name(), QGuiApplication.palette()
    apply_theme(qapp, "light")
    yield qapp
    apply_theme(qapp, "light")
    qapp.setStyle(style)
    qapp.setPalette(palette)


def preferences(window) -> PreferencesDialog:
    [dialog] = [d for d in window.findChildren(PreferencesDialog) if d.isVisible()]
    return dialog


def choose(combo, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_tools_menu_opens_preferences_that_save_on_ok(make_window, qtbot, light_app) -> None:
    window = make_window()
    window.show()
    tools = {a.text(): a for a in window.menuBar().actions()}["&Tools"].menu()
    [action] = [a for a in tools.actions() if a.objectName() == "preferences"]
    assert action.text() == "&Preferences…"

    action.trigger()
    dialog = preferences(window)
    assert dialog.result_language() == "system" and dialog.result_theme() == "system"
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == ["System", "English", "简体中文"], "each language named in itself"
    assert "next time" in dialog.restart_note.text()

    choose(dialog.language, "zh_CN")
    choose(dialog.theme, "dark")
    assert effective_scheme(light_app) == "dark", "the theme shows at once"
    assert window_lightness() < 128
    assert load_theme() == "system", "nothing is saved before OK"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert (load_ui_language(), load_theme()) == ("zh_CN", "dark")


def test_cancel_puts_the_theme_back_and_saves_nothing(make_window, light_app) -> None:
    save_theme("light")
    save_ui_language("en")
    window = make_window()
    window.show()
    [action] = [
        a for a in window.findChildren(type(window.act_models)) if a.objectName() == "preferences"
    ]
    action.trigger()
    dialog = preferences(window)
    assert dialog.result_language() == "en" and dialog.result_theme() == "light"
    choose(dialog.theme, "dark")
    choose(dialog.language, "zh_CN")
    assert effective_scheme(light_app) == "dark"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert effective_scheme(light_app) == "light" and window_lightness() >= 128
    assert (load_ui_language(), load_theme()) == ("en", "light")


def test_language_names_cover_every_choice() -> None:
    assert set(LANGUAGE_NAMES) == set(UI_LANGUAGES) - {"system"}


# -- first run ---------------------------------------------------------------------


def test_a_window_built_by_a_test_shows_no_note(make_window) -> None:
    window = make_window()
    window.show()
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert not first_run_done()


def test_the_first_start_shows_the_note_once(make_window, qtbot) -> None:
    window = make_window()
    window.show()
    note = show_first_run_note(window)
    assert note is not None and note.isVisible()
    assert not note.isModal(), "the window stays usable beside it"
    assert BUNDLED_MODEL in note.text() and "Tools → Models…" in note.text()
    assert not first_run_done(), "not read until dismissed"

    note.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: first_run_done())
    assert show_first_run_note(make_window()) is None, "the second start shows nothing"


def test_closing_the_note_also_counts_as_read(make_window, qtbot) -> None:
    note = show_first_run_note(make_window())
    assert note is not None
    note.reject()  # Esc or the title bar's close button
    assert first_run_done()


def test_a_marked_first_run_shows_nothing(make_window) -> None:
    mark_first_run_done()
    assert show_first_run_note(make_window()) is None


def test_the_note_names_models_the_models_dialog_offers() -> None:
    text = first_run_text()
    multilingual = {e.model_id for e in WHISPER_CATALOG if not e.languages}
    for model_id in RECOMMENDED.values():
        assert model_id in multilingual, f"{model_id} is not a multilingual catalogue model"
        assert model_id in text
    bundled = [e for e in WHISPER_CATALOG if e.model_id == BUNDLED_MODEL]
    assert bundled and bundled[0].languages == ("en",), "the note says it is English-only"
