"""Inbox threads per office (OFFICES_FILE): each office numbers its own threads per year."""
from __future__ import annotations

from handlers.inbox.store import ThreadFilter
from tests.helpers import Citizen, StaffUser, all_text, file_complaint
from tests.test_offices import FENGSHAN_BOT, FENGSHAN_SECRET, two_channels  # noqa: F401


def test_each_office_numbers_its_own_complaints_and_staff_see_whose_it_is(two_channels):
    app, fake = two_channels
    store = app.extensions["services"].store
    client = app.test_client()
    here = file_complaint(Citizen(client, fake, "U" + "a1" * 16), text="小港櫃台等太久了")
    there = file_complaint(Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT),
                           text="鳳山的停車位太少")

    # Both offices' first complaint of the year is C-2026-0001, each told so by its own bot.
    for citizen in (here, there):
        assert "C-2026-0001" in all_text([d["message"] for d in fake.delivered(citizen.user_id)])
    assert store.inbox.by_ref("C-2026-0001").subject.startswith("小港")
    assert store.inbox.by_ref("C-2026-0001", "fengshan").subject.startswith("鳳山")
    threads = store.inbox.search(ThreadFilter(status="all"))
    assert sorted((t.office_id, t.ref) for t in threads) == [("", "C-2026-0001"), ("fengshan", "C-2026-0001")]

    admin = StaffUser(app.test_client(), store, "city-admin", admin=True)
    admin.login()
    inbox = admin.page("/staff/inbox")
    assert inbox.count("C-2026-0001") >= 2 and "高雄市鳳山戶政事務所" in inbox and "高雄市小港戶政事務所" in inbox
