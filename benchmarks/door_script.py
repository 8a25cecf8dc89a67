"""A scripted facilitator at the door, shared by the check-in UI test and the benchmark
``checkin_keystrokes``: forty people on the session's list (a third with Latin names, a
third with Arabic or Ge'ez names typed in their own script, a third with Arabic, Persian or
Ge'ez names typed in a Latin spelling, as a facilitator with a Latin keyboard says them),
two hundred others on the laptop (namesakes on other sessions' lists among them), and a
facilitator who types a name one letter at a time until the person is first in the list
and nobody else expected matches, then presses Enter — the fewest keys a practised
facilitator needs.  A walk-in is typed in full, then Enter, Enter.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

#: (given, family) as registered, and as the facilitator types them.
LATIN = [("Amina", "Haddad"), ("Bilal", "Okafor"), ("Chantal", "Mbuyi"), ("Dawit", "Bekele"),
         ("Esperance", "Nshimiyimana"), ("Grace", "Kabila"), ("Hodan", "Warsame"), ("Ilhan", "Jama"),
         ("Javid", "Karimi"), ("Nasrin", "Ahmadi"), ("Parwana", "Noori"), ("Ubah", "Farah"), ("Omar", "Siddiqui")]
OWN_SCRIPT = [("فاطمة", "الزهراء"), ("خالد", "العلي"), ("مريم", "يوسف"), ("حسن", "درويش"), ("نور", "الهدى"),
              ("ሰላም", "ተስፋይ"), ("ዮሃንስ", "ገብረ"), ("ሩት", "ሃይሌ"), ("زینب", "حسینی"), ("عمر", "خطيب"),
              ("ليلى", "منصور"), ("ብርሃነ", "ኪዳነ"), ("یوسف", "رحیمی")]
#: Non-Latin names and the Latin spelling the facilitator types.
BY_LATIN = [("محمد", "الحسن", "mohamed hassan"), ("أحمد", "سليمان", "ahmad suleiman"),
            ("عائشة", "عمر", "aisha omar"), ("ابراهیم", "کریمی", "ibrahim karimi"),
            ("ሰላማዊት", "በየነ", "selamawit beyene"), ("ተስፋየ", "ገብረመድህን", "tesfaye gebremedhin"),
            ("يوسف", "الخطيب", "yusuf al khatib"), ("فاطمة", "رضایی", "fatima rezaei"),
            ("عبدالله", "النور", "abdullah al nour"), ("مصطفى", "حداد", "mustafa haddad"),
            ("ዮሴፍ", "ሃብተ", "yosef habte"), ("حسین", "محمدی", "hussein mohammadi"),
            ("خدیجه", "نوری", "khadija noori"), ("مريم", "الأحمد", "maryam al ahmad")]
OTHER_GIVEN = ["Amina", "Yara", "Mohammad", "Omar", "Fatima", "محمد", "فاطمة", "ሰላም", "Lina", "Hassan", "Ali",
               "علی", "Zahra", "Dawit", "Selam", "Ahmad", "Mariam", "Khalid", "Samir", "Rahel"]
OTHER_FAMILY = ["Haddad", "Darwish", "Rahimi", "الحسن", "Hosseini", "Tesfay", "Kidane", "Yousef", "Mansour",
                "Karimi", "العلي", "Bekele", "Osman", "Nouri", "Saleh"]


@dataclass
class Person:
    id: str
    given: str
    family: str
    typed: str  #: what the facilitator types


def seed(db, session_id: str, other_session_id: str) -> list[Person]:
    """The forty expected people (in the order they arrive) and two hundred others."""
    from co_app.core.people import participants as people
    from co_app.core.people.participants import ParticipantData

    rows = ([(g, f, f"{g} {f}".lower()) for g, f in LATIN] + [(g, f, f"{g} {f}") for g, f in OWN_SCRIPT]
            + list(BY_LATIN))
    expected = []
    for i, (given, family, typed) in enumerate(rows):
        view = people.add_participant(db, ParticipantData(case_number=f"DOOR-{i:04d}", given_name=given,
                                                          family_name=family), session_id=session_id)
        expected.append(Person(view.id, given, family, typed))
    rng = random.Random(20)
    for i in range(200):
        people.add_participant(db, ParticipantData(case_number=f"ELSE-{i:04d}", given_name=rng.choice(OTHER_GIVEN),
                                                   family_name=rng.choice(OTHER_FAMILY)), session_id=other_session_id)
    rng.shuffle(expected)
    return expected


def make_sessions(db) -> tuple[str, str]:
    from co_app.core.sessions.service import create_session

    today = create_session(db, day=date.today(), place="Khartoum", facilitator="Sara", language="ar",
                           destination_towns=[])
    other = create_session(db, day=date.today(), place="Kassala", facilitator="Sara", language="ar",
                           destination_towns=[])
    return today.id, other.id


def press(widget, key: Qt.Key) -> None:
    QTest.keyClick(widget, key)


def type_char(widget, char: str) -> None:
    if char.isascii():
        QTest.keyClicks(widget, char)
    else:  # QTest only knows ASCII: other letters go as key events carrying their text
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def ready(panel, person_id: str) -> bool:
    """Enter would check this person in with no question: first in the list, and nobody
    else still expected at this session matches."""
    entries = panel.table.entries
    if not entries or entries[0].person.id != person_id:
        return False
    return not any(e.on_list and not e.attended for e in entries[1:])


def check_in(panel, person: Person) -> int:
    """Type until ready, Enter; the keys pressed (a second Enter, or ↓, when needed)."""
    keys = 0
    for char in person.typed:
        type_char(panel.search, char)
        keys += 1
        if ready(panel, person.id):
            break
    while panel.table.entries and panel.table.selected() is not None and \
            panel.table.selected().person.id != person.id and keys < 60:
        press(panel.search, Qt.Key.Key_Down)
        keys += 1
    press(panel.search, Qt.Key.Key_Return)
    keys += 1
    if panel.questions.pending is not None:
        press(panel.search, Qt.Key.Key_Return)
        keys += 1
    return keys


def walk_in(panel, typed: str) -> tuple[int, float]:
    """A person nobody registered: the name typed in full, Enter, Enter.  (keys, seconds)."""
    started = time.perf_counter()
    keys = 0
    for char in typed:
        type_char(panel.search, char)
        keys += 1
    for _ in range(2):
        press(panel.search, Qt.Key.Key_Return)
        keys += 1
    return keys, time.perf_counter() - started


def median_keys(counts: list[int]) -> float:
    return statistics.median(counts)
