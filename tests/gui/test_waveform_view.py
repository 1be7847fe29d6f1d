"""The waveform strip: it draws the waveform, the cues and the selected cue's handles where
their times say; dragging a handle moves that boundary; the wheel zooms and a background
drag scrolls."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QWheelEvent
from PySide6.QtTest import QTest

from subtitle_studio.core.waveform import compute_peaks
from subtitle_studio.gui.waveform_view import MIN_CUE_S, WaveformView, waveform_mask

RATE = 16000
WIDTH, HEIGHT = 1000, 100
BASE = QColor(255, 255, 255)
TEXT = QColor(0, 0, 0)
HIGHLIGHT = QColor(0, 0, 255)


def bursts() -> np.ndarray:
    """20 s of silence with a full-scale 400 Hz burst from 4 s to 6 s and a half-scale one
    from 12 s to 13 s."""
    t = np.arange(20 * RATE) / RATE
    signal = np.zeros(t.size)
    signal[(t >= 4) & (t < 6)] = np.sin(2 * np.pi * 400 * t[(t >= 4) & (t < 6)])
    signal[(t >= 12) & (t < 13)] = 0.5 * np.sin(2 * np.pi * 400 * t[(t >= 12) & (t < 13)])
    return signal.astype(np.float32)


@pytest.fixture
def strip(qtbot) -> WaveformView:
    view = WaveformView()
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Base, BASE)
    palette.setColor(QPalette.ColorRole.Text, TEXT)
    palette.setColor(QPalette.ColorRole.Highlight, HIGHLIGHT)
    view.setPalette(palette)
    qtbot.addWidget(view)
    view.resize(WIDTH, HEIGHT)
    view.set_peaks(compute_peaks(bursts(), RATE))
    view.set_cues([("0_0", 2.0, 3.0), ("0_1", 4.0, 6.0), ("1_0", 12.0, 13.0)])
    view.set_view(0.0, 20.0)  # 20 ms a pixel
    return view


def render(view: WaveformView) -> QImage:
    image = QImage(view.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(128, 128, 128))
    view.render(image)
    return image


def color_at(image: QImage, x: int, y: int) -> tuple[int, int, int]:
    c = image.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


def test_waveform_is_drawn_where_the_sound_is(strip: WaveformView) -> None:
    image = render(strip)
    top = 2  # near the top edge: only a loud column reaches it
    assert color_at(image, 60, top) == (255, 255, 255)  # 1.2 s: silence, plain background
    assert color_at(image, 20, HEIGHT // 2) == (0, 0, 0)  # silence still draws a centre line
    # 8 s to 10 s is silent, outside any cue: only the centre line.
    column = [color_at(image, 450, y) for y in range(HEIGHT)]
    assert column.count((0, 0, 0)) <= 2
    # 12.5 s: half scale, drawn over the cue's shading (the waveform is on top).
    column = [color_at(image, 625, y) for y in range(HEIGHT)]
    dark = [y for y, c in enumerate(column) if c == (0, 0, 0)]
    assert 45 <= len(dark) <= 55 and dark[0] == pytest.approx(HEIGHT / 4, abs=2)


def test_cues_and_handles_at_their_times(strip: WaveformView) -> None:
    strip.select("0_0")
    image = render(strip)
    y = HEIGHT // 4  # away from the centre line and the handle grips
    plain = color_at(image, 30, y)  # 0.6 s: no cue
    shaded = color_at(image, 625, y)  # 12.5 s lies in a cue, but the waveform covers it
    shaded = color_at(image, 800, y)  # 16 s: no cue
    assert shaded == plain == (255, 255, 255)
    other = color_at(image, 610, y - 20)  # 12.2 s, in cue 1_0, above its waveform
    selected = color_at(image, 125, y)  # 2.5 s, in the selected cue 0_0
    assert other != plain and other[2] > other[0]  # a blue tint
    assert selected[0] < other[0]  # the selected cue is shaded more strongly
    # Handles: solid highlight at x = 2.0 s and 3.0 s (100 px and 150 px).
    for x in (100, 150):
        assert color_at(image, x, y) == (0, 0, 255), x
    assert color_at(image, 125, y) != (0, 0, 255)
    assert color_at(image, 97, y) != (0, 0, 255)  # no handle on an unselected edge
    assert color_at(image, 300, y) != (0, 0, 255)  # 6.0 s: cue 0_1 is not selected


def test_playhead_is_drawn_at_its_time(strip: WaveformView) -> None:
    strip.set_playhead(17.0)
    image = render(strip)
    assert color_at(image, 850, 10)[0] > 200 and color_at(image, 850, 10)[1] < 80
    assert color_at(image, 840, 10) == (255, 255, 255)


def test_dragging_the_end_handle_moves_the_end(qtbot, strip: WaveformView) -> None:
    strip.select("0_0")
    strip.show()
    qtbot.waitExposed(strip)
    previews: list[tuple[str, str, float]] = []
    strip.boundaryPreview.connect(lambda *args: previews.append(args))
    y = HEIGHT // 2
    QTest.mousePress(
        strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(151, y)
    )
    QTest.mouseMove(strip, QPoint(170, y))
    QTest.mouseMove(strip, QPoint(190, y))
    assert previews and previews[-1][:2] == ("0_0", "end")
    assert strip.cue("0_0") == (2.0, pytest.approx(3.8, abs=0.02))  # live preview
    with qtbot.waitSignal(strip.boundaryMoved, timeout=1000) as blocker:
        QTest.mouseRelease(
            strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(190, y)
        )
    row_id, which, seconds = blocker.args
    assert (row_id, which) == ("0_0", "end")
    assert seconds == pytest.approx(3.8, abs=0.02)  # 190 px at 20 ms a pixel, within a pixel


def test_dragging_the_start_past_the_end_is_clamped(qtbot, strip: WaveformView) -> None:
    strip.select("0_0")
    y = HEIGHT // 2
    QTest.mousePress(
        strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(100, y)
    )
    QTest.mouseMove(strip, QPoint(400, y))
    with qtbot.waitSignal(strip.boundaryMoved, timeout=1000) as blocker:
        QTest.mouseRelease(
            strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(400, y)
        )
    assert blocker.args[:2] == ["0_0", "start"]
    assert blocker.args[2] == pytest.approx(3.0 - MIN_CUE_S)
    assert strip.cue("0_0") == (pytest.approx(2.9), 3.0)


def test_escape_puts_a_dragged_boundary_back(qtbot, strip: WaveformView) -> None:
    strip.select("0_1")
    moved: list[object] = []
    strip.boundaryMoved.connect(lambda *args: moved.append(args))
    y = HEIGHT // 2
    QTest.mousePress(
        strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(300, y)
    )
    QTest.mouseMove(strip, QPoint(350, y))
    assert strip.cue("0_1") == (4.0, pytest.approx(7.0, abs=0.02))
    QTest.keyClick(strip, Qt.Key.Key_Escape)
    QTest.mouseRelease(
        strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(350, y)
    )
    assert strip.cue("0_1") == (4.0, 6.0) and not moved


def test_click_seeks_and_names_the_cue(qtbot, strip: WaveformView) -> None:
    clicked: list[str] = []
    strip.cueClicked.connect(clicked.append)
    with qtbot.waitSignal(strip.seekRequested, timeout=1000) as blocker:
        QTest.mouseClick(
            strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(250, 50)
        )
    assert blocker.args[0] == pytest.approx(5.0, abs=0.02)
    assert clicked == ["0_1"]


def wheel(view: WaveformView, x: float, dx: int, dy: int) -> None:
    point = QPointF(x, 50)
    event = QWheelEvent(
        point,
        view.mapToGlobal(point),
        QPoint(0, 0),
        QPoint(dx, dy),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    view.wheelEvent(event)


def test_wheel_zooms_around_the_pointer(strip: WaveformView) -> None:
    strip.set_view(0.0, 10.0)
    views: list[tuple[float, float]] = []
    strip.viewChanged.connect(lambda a, b: views.append((a, b)))
    wheel(strip, 500, 0, 120)  # pointer at 5.0 s, one notch in
    start, end = strip.view()
    assert end - start == pytest.approx(8.0)
    assert strip.time_at(500) == pytest.approx(5.0)  # the time under the pointer stays
    wheel(strip, 500, 0, -240)  # two notches out
    assert strip.view()[1] - strip.view()[0] == pytest.approx(12.5)
    assert len(views) == 2
    wheel(strip, 500, 0, -120 * 30)  # never wider than the audio
    assert strip.view() == (0.0, pytest.approx(30.0))  # ...or 30 s for short audio


def test_horizontal_wheel_and_background_drag_scroll(qtbot, strip: WaveformView) -> None:
    strip.set_view(5.0, 15.0)  # 10 ms a pixel
    wheel(strip, 500, -120, 0)
    assert strip.view() == (pytest.approx(6.0), pytest.approx(16.0))
    y = 50
    QTest.mousePress(
        strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(600, y)
    )
    QTest.mouseMove(strip, QPoint(500, y))
    QTest.mouseRelease(
        strip, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(500, y)
    )
    assert strip.view() == (pytest.approx(7.0), pytest.approx(17.0))  # dragged left: later
    strip.set_view(-5.0, 5.0)
    assert strip.view() == (0.0, 10.0)  # never before the start


def test_select_reveals_a_cue_out_of_view(strip: WaveformView) -> None:
    strip.set_view(0.0, 5.0)
    strip.select("1_0")
    start, end = strip.view()
    assert end - start == pytest.approx(5.0) and start <= 12.0 and end >= 13.0
    assert strip.selected() == "1_0"
    strip.select("missing")
    assert strip.selected() is None


def test_many_cues_only_visible_ones_are_found(qtbot) -> None:
    view = WaveformView()
    qtbot.addWidget(view)
    view.set_cues([(f"{n}_0", n * 2.0, n * 2.0 + 1.5) for n in range(2000)])
    view.set_view(1000.0, 1010.0)
    ids = [row_id for row_id, _, _ in view.visible_cues()]
    assert ids == [f"{n}_0" for n in range(500, 505)]
    view.set_cues(view.cues() + [("long", 0.0, 1005.0)])
    assert "long" in [row_id for row_id, _, _ in view.visible_cues()]


def test_rasterised_silence_is_a_centre_line() -> None:
    peaks = compute_peaks(np.zeros(RATE, dtype=np.float32), RATE)
    drawn = waveform_mask(peaks, (0.0, 2.0), 100, 11)
    assert drawn[5, :50].all() and drawn.sum() == 50  # nothing past the end of the audio


def test_playhead_ticks_reuse_the_drawn_layer(strip: WaveformView) -> None:
    """A moving playhead must not redraw the waveform and cues (it ticks every 15 ms)."""
    render(strip)
    layer = strip._layer_image
    for n in range(5):
        strip.set_playhead(1.0 + n * 0.015)
        render(strip)
    assert strip._layer_image is layer
    strip.set_view(1.0, 21.0)
    render(strip)
    assert strip._layer_image is not layer
