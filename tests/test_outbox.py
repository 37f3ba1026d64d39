"""The outbox: rows, quiet hours, the dispatcher under failures, crashes and twins, staff notes, the quota."""
from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest

from bot.app import build_services
from bot.clock import parse_iso
from bot.line_client import LineClient
from bot.store.outbox import LEASE_SECONDS, backoff
from reminders.dispatcher import DispatchReport, dispatch_due
from bot.quiet_hours import QuietHours
from bot.quota import check_quota
from tests.helpers import TOKEN

USER = "U" + "a1" * 16


def text(body):
    return {"type": "text", "text": body}


def drain(services, clock, rounds=40):
    """Run the dispatcher until nothing is pending, jumping the clock past each back-off."""
    total = DispatchReport()
    for _ in range(rounds):
        total.add(dispatch_due(services, clock.now()))
        if not services.store.outbox.stats().get("pending"):
            return total
        clock.advance(hours=1)
    raise AssertionError(f"still pending after {rounds} rounds: {services.store.outbox.stats()}")


def accepted_keys(fake_line):
    return Counter(c.retry_key for c in fake_line.calls("/push") if c.status == 200)


def other_services(config, clock, **changes):
    """A second set of services (another process's view) over the same database."""
    return build_services(config.with_(**changes), clock=clock, knowledge=object(), matcher=object())


# --- rows ---------------------------------------------------------------------------------------
def test_a_row_gets_a_retry_key_at_creation_and_is_due_now(store, clock):
    row_id = store.outbox.enqueue(USER, [text("hi")])
    row = store.outbox.get(row_id)
    assert row["status"] == "pending" and len(row["retry_key"]) == 36
    assert parse_iso(row["due_at"]) == clock.now()


def test_a_dedupe_key_makes_the_second_enqueue_a_no_op(store):
    assert store.outbox.enqueue(USER, [text("a")], dedupe_key="reminder:1") is not None
    assert store.outbox.enqueue(USER, [text("b")], dedupe_key="reminder:1") is None
    assert store.outbox.stats() == {"pending": 1}


def test_a_given_retry_key_is_kept_and_not_queued_twice(store):
    key = "9b2f6c1e-3d4a-4f5b-8c7d-0e1f2a3b4c5d"
    row_id = store.outbox.enqueue(USER, [text("a")], kind="reply", retry_key=key)
    assert store.outbox.get(row_id)["retry_key"] == key
    assert store.outbox.enqueue(USER, [text("a")], kind="reply", retry_key=key) is None


@pytest.mark.parametrize("messages", [[], [text(str(i)) for i in range(6)]])
def test_a_row_holds_one_to_five_messages(store, messages):
    with pytest.raises(ValueError):
        store.outbox.enqueue(USER, messages)


def test_non_urgent_rows_due_in_quiet_hours_wait_for_the_morning(store, clock):
    clock.set(datetime(2026, 12, 1, 22, 30))
    quiet = store.outbox.get(store.outbox.enqueue(USER, [text("reminder")]))
    urgent = store.outbox.get(store.outbox.enqueue(USER, [text("urgent")], urgent=True))
    reply = store.outbox.get(store.outbox.enqueue(USER, [text("late reply")], kind="reply"))
    assert parse_iso(quiet["due_at"]) == datetime(2026, 12, 2, 8, 0, tzinfo=clock.tz)
    assert parse_iso(urgent["due_at"]) == clock.now() == parse_iso(reply["due_at"])


def test_a_future_due_time_inside_quiet_hours_moves_to_that_morning(store, clock):
    row = store.outbox.get(store.outbox.enqueue(USER, [text("x")], due=datetime(2026, 12, 3, 1, 0, tzinfo=clock.tz)))
    assert parse_iso(row["due_at"]) == datetime(2026, 12, 3, 8, 0, tzinfo=clock.tz)


@pytest.mark.parametrize("spec, local, quiet", [
    ("21:00-08:00", "23:00", True), ("21:00-08:00", "07:59", True), ("21:00-08:00", "08:00", False),
    ("21:00-08:00", "20:59", False), ("21:00-08:00", "21:00", True), ("12:00-13:30", "13:00", True),
    ("12:00-13:30", "14:00", False), ("", "23:00", False), ("nonsense", "23:00", True),
])
def test_quiet_hours_windows(spec, local, quiet):
    hours = QuietHours.parse(spec, "Asia/Taipei")
    hh, mm = (int(x) for x in local.split(":"))
    assert hours.contains(datetime(2026, 12, 1, hh, mm, tzinfo=hours.tz)) is quiet


def test_empty_quiet_hours_send_at_night(config, clock, fake_line):
    services = other_services(config, clock, quiet_hours="")
    clock.set(datetime(2026, 12, 1, 23, 0))
    services.store.outbox.enqueue(USER, [text("night")])
    assert dispatch_due(services, clock.now()).sent == 1


# --- the dispatcher -------------------------------------------------------------------------------
def test_a_due_row_is_pushed_with_its_retry_key_and_marked_sent(services, store, fake_line):
    row_id = store.outbox.enqueue(USER, [text("hello")])
    report = dispatch_due(services, store.clock.now())
    assert report.sent == 1
    call, = fake_line.calls("/push")
    row = store.outbox.get(row_id)
    assert call.retry_key == row["retry_key"] and call.to == USER and row["status"] == "sent"
    assert dispatch_due(services, store.clock.now()).handled == 0


def test_each_recipients_rows_arrive_in_order_while_recipients_are_served_in_parallel(services, store, clock,
                                                                                     fake_line):
    users = [f"U{n:032x}" for n in range(4)]
    for n in range(40):
        store.outbox.enqueue(users[n % 4], [text(f"{n:02d}")])
    assert dispatch_due(services, clock.now(), workers=4, batch=12).sent == 40
    for index, user in enumerate(users):
        assert fake_line.texts(user) == [f"{n:02d}" for n in range(index, 40, 4)]


def test_a_row_not_yet_due_waits(services, store, clock, fake_line):
    store.outbox.enqueue(USER, [text("later")], due=clock.now() + timedelta(hours=2))
    assert dispatch_due(services, clock.now()).handled == 0
    clock.advance(hours=2)
    assert dispatch_due(services, clock.now()).sent == 1


def test_a_409_means_line_already_has_it(services, store, fake_line):
    row_id = store.outbox.enqueue(USER, [text("once")])
    services.line.push(USER, [text("once")], retry_key=store.outbox.get(row_id)["retry_key"])
    report = dispatch_due(services, store.clock.now())
    assert report.already == 1 and store.outbox.get(row_id)["status"] == "sent"
    assert fake_line.texts(USER) == ["once"]


def test_with_30_percent_of_pushes_failing_every_message_arrives_exactly_once(services, store, clock, fake_line):
    users = [f"U{n:032x}" for n in range(3)]
    for n in range(60):
        store.outbox.enqueue(users[n % 3], [text(f"message {n}")])
    fake_line.set_faults(rate=0.3, statuses=(500, 429))
    report = drain(services, clock)
    assert report.retried > 0 and report.dead == 0
    delivered = Counter(d["message"]["text"] for d in fake_line.delivered())
    assert delivered == Counter({f"message {n}": 1 for n in range(60)})
    # Every attempt for one message used the retry key fixed when its row was made.
    keys_per_text = {}
    for call in fake_line.calls("/push"):
        keys_per_text.setdefault(call.body["messages"][0]["text"], set()).add(call.retry_key)
    assert all(len(keys) == 1 for keys in keys_per_text.values())
    assert set(accepted_keys(fake_line).values()) == {1}
    statuses = Counter(c.status for c in fake_line.calls("/push"))
    assert statuses[500] and statuses[429]


def test_a_dispatcher_killed_mid_dispatch_loses_and_doubles_nothing(services, store, clock, fake_line):
    for n in range(10):
        store.outbox.enqueue(USER, [text(f"m{n}")])
    # The first clock claims all ten, pushes four, and dies before marking anything.
    claimed = store.outbox.claim_due(clock.now(), limit=10)
    for row in claimed[:4]:
        assert services.line.push(row.to, row.messages, retry_key=row.retry_key)
    # A restarted clock leaves rows alone while the dead one's lease lasts ...
    assert dispatch_due(services, clock.now()).handled == 0
    # ... then takes them over with the same retry keys.
    clock.advance(seconds=LEASE_SECONDS + 1)
    report = dispatch_due(services, clock.now())
    assert (report.sent, report.already) == (6, 4)
    assert sorted(fake_line.texts(USER)) == sorted(f"m{n}" for n in range(10))
    assert sum(1 for c in fake_line.calls("/push") if c.status == 409) == 4
    assert store.outbox.stats() == {"sent": 10}


def test_a_dispatcher_whose_lease_ran_out_cannot_settle_the_row(services, store, clock):
    store.outbox.enqueue(USER, [text("x")])
    old, = store.outbox.claim_due(clock.now())
    clock.advance(seconds=LEASE_SECONDS + 1)
    new, = store.outbox.claim_due(clock.now())
    assert new.retry_key == old.retry_key and new.claim_token != old.claim_token
    assert store.outbox.mark_sent(old) is False
    assert store.outbox.mark_sent(new) is True


def test_two_dispatchers_running_at_once_send_each_row_once(config, services, store, clock, fake_line):
    for n in range(200):
        store.outbox.enqueue(f"U{n % 7:032x}", [text(f"twin {n}")])
    twin = other_services(config, clock)
    reports = [DispatchReport(), DispatchReport()]
    start = threading.Barrier(2)

    def run(index, which):
        start.wait()
        reports[index] = dispatch_due(which, clock.now(), batch=5)

    threads = [threading.Thread(target=run, args=(0, services)), threading.Thread(target=run, args=(1, twin))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert reports[0].sent + reports[1].sent == 200
    assert Counter(d["message"]["text"] for d in fake_line.delivered()) == Counter(
        {f"twin {n}": 1 for n in range(200)})
    assert len(fake_line.calls("/push")) == 200


def test_time_outs_and_connection_failures_are_retried(services, store, clock, fake_line):
    row_id = store.outbox.enqueue(USER, [text("after the outage")])
    working = services.line
    services.line = LineClient("http://127.0.0.1:9", TOKEN, timeout=0.5)  # nothing listens there
    try:
        assert dispatch_due(services, clock.now()).retried == 1
    finally:
        services.line = working
    row = store.outbox.get(row_id)
    assert row["status"] == "pending" and row["last_error"].startswith("0")
    assert parse_iso(row["due_at"]) == clock.now() + backoff(1)
    clock.advance(seconds=30)
    assert dispatch_due(services, clock.now()).sent == 1


def test_other_4xx_answers_are_not_retried_and_staff_are_told(services, store, clock, fake_line):
    row_id = store.outbox.enqueue(USER, [text("refused")])
    fake_line.set_faults(queue=[400])
    assert dispatch_due(services, clock.now()).dead == 1
    clock.advance(hours=5)
    assert dispatch_due(services, clock.now()).handled == 0
    assert len(fake_line.calls("/push")) == 1
    assert store.outbox.get(row_id)["status"] == "dead"
    assert f"第 {row_id} 筆" in store.outbox.staff_notes()[0]["text"]


def test_after_the_last_attempt_the_row_is_dead_and_staff_are_told(services, store, clock, fake_line):
    row_id = store.outbox.enqueue(USER, [text("never")])
    fake_line.set_faults(rate=1.0, statuses=(503,))
    due_times = []
    for _ in range(services.config.outbox_max_attempts):
        dispatch_due(services, clock.now())
        due_times.append(parse_iso(store.outbox.get(row_id)["due_at"]))
        clock.advance(hours=1)
    row = store.outbox.get(row_id)
    assert row["status"] == "dead" and row["attempts"] == services.config.outbox_max_attempts == 10
    assert len(fake_line.calls("/push")) == 10 and fake_line.texts(USER) == []
    assert "503" in store.outbox.staff_notes()[0]["text"]


def test_back_off_doubles_from_thirty_seconds_up_to_an_hour():
    assert [backoff(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_an_unfollowed_user_gets_nothing(services, store, citizen, clock, fake_line):
    citizen.follow()
    citizen.unfollow()
    row_id = store.outbox.enqueue(citizen.user_id, [text("are you there?")])
    before = len(fake_line.calls("/push"))
    assert dispatch_due(services, clock.now()).skipped == 1
    assert len(fake_line.calls("/push")) == before
    assert store.outbox.get(row_id)["status"] == "skipped"


def test_cancel_withdraws_pending_rows_about_a_subject(services, store, clock, fake_line):
    store.outbox.enqueue(USER, [text("a")], ref="case:X1")
    store.outbox.enqueue(USER, [text("b")], ref="case:X2")
    assert store.outbox.cancel("case:X1") == 1
    dispatch_due(services, clock.now())
    assert fake_line.texts(USER) == ["b"]


def test_sent_pushes_are_kept_in_the_masked_message_log(services, store, clock):
    store.outbox.enqueue(USER, [text("電話 0912345678 已登記")])
    dispatch_due(services, clock.now())
    entry = store.messages.recent(USER)[-1]
    assert entry["direction"] == "out" and "0912345678" not in entry["text"]


# --- staff notes and the staff group ------------------------------------------------------------
def test_notes_for_staff_are_pushed_to_the_staff_group_when_one_is_set(config, clock, fake_line):
    services = other_services(config, clock, staff_line_group_id="C" + "0" * 32)
    services.store.outbox.notify_staff("櫃台系統更新")
    assert services.store.outbox.staff_notes()[0]["text"] == "櫃台系統更新"
    dispatch_due(services, clock.now())
    assert fake_line.texts("C" + "0" * 32) == ["櫃台系統更新"]


def test_a_dead_staff_push_does_not_breed_more_staff_pushes(config, clock, fake_line):
    services = other_services(config, clock, staff_line_group_id="C" + "1" * 32)
    services.store.outbox.enqueue(USER, [text("x")])
    fake_line.set_faults(queue=[400, 400])
    dispatch_due(services, clock.now())  # the user's row dies; staff are told
    dispatch_due(services, clock.now())  # the staff push dies too: a note, no new push
    assert services.store.outbox.stats() == {"dead": 2}
    assert len(services.store.outbox.staff_notes()) == 2


def test_without_a_staff_group_notes_are_only_stored(store):
    store.outbox.notify_staff("note")
    assert store.outbox.stats() == {}


# --- the monthly quota ----------------------------------------------------------------------------
def test_pushes_are_counted_per_month_and_staff_warned_once_at_80_percent(config, clock, fake_line):
    services = other_services(config, clock, line_monthly_quota=10)
    outbox = services.store.outbox
    for n in range(7):
        outbox.enqueue(USER, [text(f"p{n}")])
    dispatch_due(services, clock.now())
    assert check_quota(services, clock.now()).share == pytest.approx(0.7)
    assert outbox.staff_notes() == []
    outbox.enqueue(USER, [text("p7")])
    dispatch_due(services, clock.now())
    report = check_quota(services, clock.now(), ask_line=True)
    assert report.counted == 8 and report.line_reported == 8
    outbox.enqueue(USER, [text("p8")])
    dispatch_due(services, clock.now())
    check_quota(services, clock.now())
    notes = outbox.staff_notes()
    assert len(notes) == 1 and "9／10" not in notes[0]["text"] and "8／10" in notes[0]["text"]
    clock.set(datetime(2027, 1, 1, 9, 0))
    assert outbox.pushes_in_month() == 0 and outbox.pushes_in_month("2026-12") == 9


def test_a_409_push_is_counted_once(services, store, clock):
    row_id = store.outbox.enqueue(USER, [text("x")])
    services.line.push(USER, [text("x")], retry_key=store.outbox.get(row_id)["retry_key"])
    dispatch_due(services, clock.now())
    assert store.outbox.pushes_in_month() == 1
