"""The runner is the facilitator's console (issue 20): its agenda and step titles are in the
facilitator's language, so a Tigrinya- or English-reading facilitator of an Arabic group can
read what comes next; the slides (preview and projector) stay in the group's language."""

from __future__ import annotations

from co_app.core.foundation import i18n
from co_app.core.sessions.agenda import Step
from co_app.ui.sessions.runner_window import SessionRunnerWindow
from tests.ui.sessions.test_session_runner import new_session, save_steps


def strip_marks(text: str) -> str:
    return "".join(char for char in text if char not in "\u2066\u2067\u2068\u2069\u200e\u200f")


def test_a_tigrinya_facilitator_reads_the_agenda_in_tigrinya_and_the_group_sees_arabic(
        qtbot, services, locale_dir):
    session_id = new_session(services, language="ar")
    save_steps(services, session_id, [Step("module", "housing", 10), Step("town", "jena", 20),
                                      Step("break", "", 15)])
    housing = {lang: services.content.module("housing", lang).title for lang in ("ti", "ar")}
    jena = {lang: services.content.town("jena", lang).name for lang in ("ti", "ar")}
    assert housing["ti"] != housing["ar"] and jena["ti"] != jena["ar"]
    i18n.set_language("ti", locale_dir)
    try:
        runner = SessionRunnerWindow(services, session_id)
        qtbot.addWidget(runner)
        runner.show()
        qtbot.waitExposed(runner)
        rows = [strip_marks(runner.steps_list.item(row).text()) for row in range(runner.steps_list.count())]
        assert rows[0].startswith(f"1. {housing['ti']}\n") and rows[1].startswith(f"2. {jena['ti']}\n"), rows
        assert runner.step_label.text() == housing["ti"] and runner.step_label.toolTip() == housing["ar"]
        assert housing["ar"] in runner.preview.visible_text()          # the slide: the group's language
        assert housing["ti"] not in runner.preview.visible_text()
        runner.go_to_step(1)
        assert runner.step_label.text() == jena["ti"] and jena["ar"] in runner.preview.visible_text()
    finally:
        i18n.set_language("en", locale_dir)
