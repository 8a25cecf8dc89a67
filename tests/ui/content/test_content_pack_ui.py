"""A content pack from the office, imported in Settings as a facilitator does it: the file
chosen in a dialog, checked on a worker thread, the version shown in Settings and on the
projector's first slide, a refused pack changing nothing, and one step back."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from co_app.core.content.pack import make_pack
from co_app.core.content.store import shipped
from co_app.core.sessions.agenda import Step
from co_app.core.sync.keys import own_keys
from co_app.ui.sessions.runner_window import SessionRunnerWindow
from co_app.ui.shell.settings_view import SettingsView
from tests.core.sync_helpers import enrol, office
from tests.ui.sessions.test_session_runner import new_session, save_steps


def office_pack(tmp_path: Path, hub, version: int, name: str) -> Path:
    folder = tmp_path / f"content-{version}"
    shutil.copytree(shipped().root, folder)
    jena = folder / "towns" / "jena" / "en.toml"
    jena.write_text(jena.read_text(encoding="utf-8").replace('name = "Jena"', f'name = "{name}"'), encoding="utf-8")
    with hub.engine.begin() as conn:
        keys = own_keys(conn)
    out = tmp_path / f"update-{version}.copack"
    make_pack(folder, out, keys.sign, signer_name=keys.public.name, signer_fingerprint=keys.public.fingerprint,
              version=version, note="Jena's new name")
    return out


def choose(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_a_pack_is_imported_shown_and_rolled_back_in_settings(qtbot, services, tmp_path, monkeypatch):
    view = SettingsView(services)
    qtbot.addWidget(view)
    view.refresh()
    view.show()
    panel = view.content_pack
    assert "Content version 1 of" in panel.version.text() and "shipped with the program" in panel.version.text()
    assert not panel.rollback_button.isEnabled()
    hub = office(tmp_path)
    pack = office_pack(tmp_path, hub, 2, "Jena an der Saale")
    # Not enrolled yet: the laptop cannot tell who signed it.
    choose(monkeypatch, pack)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    assert "not enrolled with an office" in panel.status.text()
    enrol(hub, services.db, folder=tmp_path)
    restored = []
    view.data_restored.connect(restored.append)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.task is None and "Now using" in panel.status.text(), timeout=20000)
    assert "content version 2" in panel.status.text() and restored == [None]
    assert "Content version 2 of" in panel.version.text() and "content pack from the office" in panel.version.text()
    assert "Jena's new name" in panel.version.text() and panel.rollback_button.isEnabled()
    assert services.content.town("jena").name == "Jena an der Saale"
    # A pack signed by another office is refused in a sentence, and nothing changes.
    other = office_pack(tmp_path / "other", office(tmp_path / "other", "hub2"), 3, "Jena (other)")
    choose(monkeypatch, other)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.task is None and "another key" in panel.status.text(), timeout=20000)
    assert services.active_content.version == 2 and services.content.town("jena").name == "Jena an der Saale"
    # The projector's first slide names the content in use.
    session_id = new_session(services)
    save_steps(services, session_id, [Step("town", "jena", 20), Step("module", "housing", 30)])
    runner = SessionRunnerWindow(services, session_id)
    qtbot.addWidget(runner)
    runner.show()
    assert "Jena an der Saale" in runner.preview.visible_text()
    assert f"Content version 2 of {services.active_content.date}" in runner.preview.visible_text()
    runner.next()
    assert "Content version" not in runner.preview.visible_text()
    runner.close()
    # One step back.
    qtbot.mouseClick(panel.rollback_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.task is None and "Now using" in panel.status.text(), timeout=20000)
    assert services.active_content.version == 1 and not services.active_content.from_pack
    assert services.content.town("jena").name == "Jena" and not panel.rollback_button.isEnabled()


def test_a_refusal_is_said_in_the_interface_language(qtbot, services, tmp_path, monkeypatch, locale_dir):
    from co_app.core.foundation import i18n

    hub = office(tmp_path)
    enrol(hub, services.db, folder=tmp_path)
    pack = office_pack(tmp_path, hub, 2, "Jena an der Saale")
    cut = tmp_path / "cut.copack"
    cut.write_bytes(pack.read_bytes()[:5000])
    i18n.set_language("ar", locale_dir)
    view = SettingsView(services)
    qtbot.addWidget(view)
    view.refresh()
    panel = view.content_pack
    assert "إصدار المحتوى 1" in panel.version.text()
    choose(monkeypatch, cut)
    qtbot.mouseClick(panel.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.task is None and "مقطوع أو تالف" in panel.status.text(), timeout=20000)
    assert "cut.copack" in panel.status.text() and services.active_content.version == 1
