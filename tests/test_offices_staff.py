"""Several offices (OFFICES_FILE), issue 15: knowledge suggestions, the dashboard's messages and CSV, and the
morning chase per office, through the real app.

小港 (the first office) answers on the default channel; 鳳山 has its own bot and its own staff LINE group.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

from bot.app import create_app
from bot.fake_line import FakeLineApi
from bot.offices import OfficesError, load_offices
from reminders.dispatcher import dispatch_due
from tests.helpers import TOKEN, Citizen, StaffUser
from tests.test_offices import FENGSHAN_BOT, FENGSHAN_SECRET, FENGSHAN_TOKEN, _offices_file

CITY_GROUP = "C" + "1" * 32
FENGSHAN_GROUP = "C" + "2" * 32
SIAOGANG_MISS = "請問可以幫我訂高鐵票嗎"
FENGSHAN_MISS = "鳳山哪裡有好吃的肉圓"


@pytest.fixture
def offices(tmp_path, config, clock, knowledge_and_matcher, monkeypatch):
    """小港 and 鳳山; 鳳山's staff notes go to its own group (staff_group_env), 小港's to STAFF_LINE_GROUP_ID."""
    monkeypatch.setenv("TEST_FENGSHAN_SECRET", FENGSHAN_SECRET)
    monkeypatch.setenv("TEST_FENGSHAN_TOKEN", FENGSHAN_TOKEN)
    monkeypatch.setenv("TEST_FENGSHAN_STAFF_GROUP", FENGSHAN_GROUP)
    path = _offices_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: fengshan\n", "  - id: fengshan\n    staff_group_env: TEST_FENGSHAN_STAFF_GROUP\n"), encoding="utf-8")
    fake = FakeLineApi(access_token={TOKEN, FENGSHAN_TOKEN}).start()
    kb, matcher = knowledge_and_matcher
    app = create_app(config.with_(offices_file=str(path), line_api_base_url=fake.url, staff_line_group_id=CITY_GROUP),
                     clock=clock, fake_line=fake, knowledge=kb, matcher=matcher)
    app.config["TESTING"] = True
    yield app, fake
    app.extensions["services"].store.close()
    fake.stop()


def _citizens(app, fake) -> tuple[Citizen, Citizen]:
    client = app.test_client()
    return (Citizen(client, fake, "U" + "a1" * 16),
            Citizen(client, fake, "U" + "b2" * 16, secret=FENGSHAN_SECRET, destination=FENGSHAN_BOT))


def _staff(app, username: str, office: str = "", admin: bool = False) -> StaffUser:
    user = StaffUser(app.test_client(), app.extensions["services"].store, username, admin=admin, office=office)
    user.login()
    return user


def test_an_offices_clerk_sees_and_acts_on_that_offices_knowledge_questions_only(offices):
    app, fake = offices
    store = app.extensions["services"].store
    siaogang, fengshan = _citizens(app, fake)
    siaogang.says(SIAOGANG_MISS)
    fengshan.says(FENGSHAN_MISS)
    missed = {u["text"]: u["office_id"] for u in store.faq.unmatched(per_office=True)}
    assert missed == {SIAOGANG_MISS: "", FENGSHAN_MISS: "fengshan"}

    clerk = _staff(app, "fengshan-clerk", office="fengshan")
    page = clerk.page("/staff/knowledge")
    assert FENGSHAN_MISS in page and SIAOGANG_MISS not in page
    assert 'id="k-office"' not in page  # a clerk has nothing to switch between
    # Naming another office in the form does not make the decision that office's: it stays the clerk's.
    clerk.post("/staff/knowledge/suggest", {"text": FENGSHAN_MISS, "decision": "dismiss", "office": ""})
    clerk.post("/staff/knowledge/suggest", {"text": "鳳山的新問題", "decision": "entry", "answer_zh": "請洽櫃台。"})
    assert FENGSHAN_MISS not in clerk.page("/staff/knowledge")
    assert store.kb_review.reviewed() == {("fengshan", FENGSHAN_MISS), ("fengshan", "鳳山的新問題")}

    first_clerk = _staff(app, "siaogang-clerk", office="siaogang")
    here = first_clerk.page("/staff/knowledge")
    assert SIAOGANG_MISS in here and FENGSHAN_MISS not in here and "鳳山的新問題" not in here
    first_clerk.post("/staff/knowledge/suggest", {"text": SIAOGANG_MISS, "decision": "phrasing",
                                                  "entry_id": store_entry(app)})
    assert SIAOGANG_MISS not in _to_do(first_clerk.page("/staff/knowledge"))
    assert "鳳山的新問題" in clerk.page("/staff/knowledge")  # its own pending suggestion
    assert SIAOGANG_MISS not in clerk.page("/staff/knowledge")

    admin = _staff(app, "city-admin", admin=True)
    everything = admin.page("/staff/knowledge")
    assert SIAOGANG_MISS in everything and "鳳山的新問題" in everything  # both pending suggestions
    assert 'id="k-office"' in everything and "高雄市鳳山戶政事務所" in everything  # filter and office column
    only_siaogang = admin.page("/staff/knowledge?office=siaogang")
    assert SIAOGANG_MISS in only_siaogang and "鳳山的新問題" not in only_siaogang
    # `kb export` still takes every office's suggestions; the first office's are stored under "".
    assert {(p["office_id"], p["text"]) for p in store.faq.pending_suggestions()} == {
        ("", SIAOGANG_MISS), ("fengshan", "鳳山的新問題")}


def _to_do(page: str) -> str:
    """The page's list of questions still to deal with."""
    return page.split('id="h-unmatched"')[1].split('id="h-disliked"')[0]


def store_entry(app) -> str:
    """Some entry id of the knowledge base, to add a phrasing to."""
    return sorted(e.id for e in app.extensions["services"].knowledge.entries)[0]


def test_the_dashboard_counts_each_offices_citizens_messages_and_the_csv_names_the_office(offices):
    app, fake = offices
    siaogang, fengshan = _citizens(app, fake)
    siaogang.says("你好")
    for text in ("你好", "謝謝", "再見"):
        fengshan.says(text)

    def csv_rows(user: StaffUser, url: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(user.get(url).get_data(as_text=True).lstrip("\ufeff"))))

    def messages(rows: list[list[str]]) -> int:
        return sum(int(r[2]) for r in rows if r[0] == "messages_per_day")

    clerk = _staff(app, "fengshan-clerk", office="fengshan")
    rows = csv_rows(clerk, "/staff/dashboard.csv?days=7")
    assert rows[0] == ["section", "key", "value", "value2", "office"]
    assert {r[4] for r in rows[1:]} == {"fengshan"} and messages(rows) == 3
    assert '<span class="kpi-value">3</span><span class="kpi-label">市民訊息' in clerk.page("/staff/dashboard")

    admin = _staff(app, "city-admin", admin=True)
    city = csv_rows(admin, "/staff/dashboard.csv?days=7")
    assert {r[4] for r in city[1:]} == {"all"} and messages(city) == 4
    first = csv_rows(admin, "/staff/dashboard.csv?days=7&office=siaogang")
    assert {r[4] for r in first[1:]} == {"siaogang"} and messages(first) == 1


def test_two_offices_overdue_threads_make_two_chase_notes_each_to_its_own_group(offices, clock):
    app, fake = offices
    services = app.extensions["services"]
    store = services.store
    siaogang, fengshan = _citizens(app, fake)
    fengshan.says("你好")  # 鳳山's citizen is known on 鳳山's channel
    store.inbox.open_thread("question", siaogang.user_id, ["小港的問題"])
    store.inbox.open_thread("question", fengshan.user_id, ["鳳山的問題"], office_id="fengshan")
    store.inbox.open_thread("question", fengshan.user_id, ["鳳山的另一個問題"], office_id="fengshan")
    clock.set(datetime(2026, 12, 3, 8, 30))  # Thursday: Wednesday 17:00 was the deadline

    assert services.run_job("inbox.chase_overdue", clock.now()) == 3
    assert services.run_job("inbox.chase_overdue", clock.now()) == 3  # a rerun adds no note
    notes = [n["text"] for n in store.outbox.staff_notes()]
    assert len(notes) == 2
    dispatch_due(services, clock.now())
    pushed = {c.to: (c.token, c.body["messages"][0]["text"]) for c in fake.calls("/v2/bot/message/push")}
    assert set(pushed) == {CITY_GROUP, FENGSHAN_GROUP}
    token, text = pushed[FENGSHAN_GROUP]
    assert token == FENGSHAN_TOKEN  # through 鳳山's own bot, which is in that group
    # Each office numbers its own threads: 鳳山's are its Q-2026-0001 and Q-2026-0002.
    assert text.startswith("【逾期案件提醒】高雄市鳳山戶政事務所") and "共 2 件" in text and "Q-2026-0002" in text
    token, text = pushed[CITY_GROUP]
    assert token == TOKEN and text.startswith("【逾期案件提醒】高雄市小港戶政事務所") and "共 1 件" in text
    assert "Q-2026-0001" in text and "Q-2026-0002" not in text


def test_staff_group_env_must_name_a_set_variable(tmp_path, config):
    path = tmp_path / "offices.yaml"
    path.write_text("offices:\n  - id: aa\n    staff_group_env: NOT_SET_ANYWHERE\n", encoding="utf-8")
    with pytest.raises(OfficesError, match="staff_group_env: the environment variable NOT_SET_ANYWHERE is not set"):
        load_offices(config.with_(offices_file=str(path)), environ={})
    path.write_text("offices:\n  - id: aa\n    staff_group_env: lower-case\n", encoding="utf-8")
    with pytest.raises(OfficesError, match="staff_group_env: name an environment variable"):
        load_offices(config.with_(offices_file=str(path)), environ={})
    path.write_text("offices:\n  - id: aa\n    staff_group_env: AA_GROUP\n", encoding="utf-8")
    loaded = load_offices(config.with_(offices_file=str(path)), environ={"AA_GROUP": "Cgroup"})
    assert loaded.first.staff_group == "Cgroup"


def test_suggestions_and_decisions_from_before_migration_96_belong_to_the_first_office(config, clock, request):
    from bot import registry
    from tests.conftest import on_postgresql

    if on_postgresql():  # the test's own database comes migrated: this one starts empty
        cluster, name = request.getfixturevalue("pg_cluster"), f"before_96_{id(config)}"
        config = config.with_(database_url=cluster.create_database(name))
        request.addfinalizer(lambda: cluster.drop_database(name))
    store = registry.open_store(config=config, clock=clock)
    store.database.migrate([m for m in store.migrations() if m[0] != 96])
    with store.transaction() as db:
        db.execute("INSERT INTO kb_suggestions (kind, entry_id, text, staff, created_at) "
                   "VALUES ('phrasing', 'x', '舊的建議', 'amy', '2026-11-01T00:00:00Z')")
        db.execute("INSERT INTO kb_reviewed (text, decision, staff, at) VALUES ('舊的問題', 'dismiss', 'amy', "
                   "'2026-11-01T00:00:00Z')")
    assert store.migrate() == [96]
    assert [(p["office_id"], p["text"]) for p in store.faq.pending_suggestions(("",))] == [("", "舊的建議")]
    assert store.kb_review.reviewed() == {("", "舊的問題")}
    store.kb_review.decide("舊的問題", "entry", "bob", "fengshan")  # another office may deal with it too
    assert store.kb_review.reviewed(("fengshan",)) == {("fengshan", "舊的問題")}
    store.close()
