"""Issue 22, point 3: before projecting, the facilitator sees in the agenda whether each town
and module is machine-made, reviewed by a native speaker (who, when) or outdated in the
group's language."""

from __future__ import annotations

import shutil
from datetime import date

from co_app.core.content.library import load_content
from co_app.core.content.review import stamp
from co_app.core.content.store import shipped
from co_app.core.sessions.agenda import Step
from co_app.ui.sessions.agenda import AgendaPanel
from tests.ui.helpers import click_list_row
from tests.ui.sessions.test_session_runner import new_session, plain, save_steps


def test_the_agenda_shows_each_steps_review_status_in_the_groups_language(qtbot, services, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(shipped().root, root)
    stamp(root, "town", "jena", "ar", reviewed_by="Hodan Ali", on=date(2026, 11, 30))
    housing = root / "modules" / "housing" / "en.toml"
    housing.write_text(housing.read_text(encoding="utf-8").replace('title = "Housing"', 'title = "A home"', 1),
                       encoding="utf-8")
    services._content = load_content(root, services.manifest)  # the office's edited content
    session_id = new_session(services, language="ar")
    save_steps(services, session_id, [Step("town", "jena", 20), Step("module", "housing", 30),
                                      Step("module", "work-and-money", 30), Step("film", "germany-jena", 10)])
    panel = AgendaPanel(services)
    qtbot.addWidget(panel)
    panel.set_session(session_id)
    panel.show()
    rows = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert "· reviewed" in rows[0] and "· outdated" in rows[1] and "· machine-made" in rows[2]
    assert "reviewed" not in rows[3] and "machine" not in rows[3]  # a film has no translation status
    click_list_row(qtbot, panel.list, 0)
    assert "reviewed by Hodan Ali on 2026-11-30" in plain(panel.review_note.text()) and panel.review_note.isVisible()
    click_list_row(qtbot, panel.list, 1)
    assert "outdated" in panel.review_note.text() and "interpreter" in panel.review_note.text()
    assert panel.list.item(1).toolTip() == panel.review_note.text()
    click_list_row(qtbot, panel.list, 3)
    assert not panel.review_note.isVisible()
    # An English group needs no translation: nothing is said.
    english = new_session(services)
    save_steps(services, english, [Step("town", "jena", 20)])
    panel.set_session(english)
    assert "reviewed" not in panel.list.item(0).text()
