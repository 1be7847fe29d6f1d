"""The window's HTTP endpoint setting: off by default, the URL shown when on, remembered."""

from __future__ import annotations

import httpx
import pytest

from subtitle_studio.core.app_settings import EndpointPreference, load_endpoint, save_endpoint


def test_off_by_default(make_window) -> None:
    window = make_window()
    assert not window.act_endpoint.isChecked()
    assert window.session.endpoint is None
    assert not window.endpoint_label.isVisible()


def test_turning_it_on_serves_the_jobs_and_off_stops_it(make_window, qtbot) -> None:
    save_endpoint(EndpointPreference(enabled=False, port=0))  # any free port
    window = make_window()
    window.show()
    window.act_endpoint.trigger()
    assert window.act_endpoint.isChecked() and window.session.endpoint is not None
    url = window.session.endpoint.url
    assert window.endpoint_label.isVisible() and url in window.endpoint_label.text()
    assert httpx.get(f"{url}/jobs", timeout=10).json() == {"jobs": []}
    assert load_endpoint().enabled, "the choice is remembered"

    window.act_endpoint.trigger()
    assert window.session.endpoint is None and not window.endpoint_label.isVisible()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/jobs", timeout=5)
    assert not load_endpoint().enabled


def test_remembered_on_it_starts_with_the_window(make_window) -> None:
    save_endpoint(EndpointPreference(enabled=True, port=0))
    window = make_window()
    assert window.act_endpoint.isChecked() and window.session.endpoint is not None
    assert httpx.get(f"{window.session.endpoint.url}/jobs", timeout=10).status_code == 200


def test_a_port_in_use_is_said_and_leaves_it_off(make_window) -> None:
    first = make_window()
    save_endpoint(EndpointPreference(enabled=False, port=0))
    first.act_endpoint.trigger()
    taken = first.session.endpoint.port
    save_endpoint(EndpointPreference(enabled=False, port=taken))
    second = make_window()
    second.act_endpoint.trigger()
    assert not second.act_endpoint.isChecked() and second.session.endpoint is None
    [(title, message)] = second.prompts.errors
    assert title == "HTTP endpoint" and str(taken) in message
