"""Satisfaction surveys: after a closed thread and after an attended visit; once per thing, 1 to 5."""
from __future__ import annotations

from handlers.survey import invite_after_thread, invite_after_visit
from tests.helpers import all_text, labels


def _invitation(store, row_id):
    return store.outbox.get(row_id)["messages"]


def test_a_closed_thread_brings_a_rating_question_and_a_comment(citizen, store):
    citizen.follow()
    thread = store.inbox.open_thread("complaint", citizen.user_id, ["櫃台很慢"])
    store.inbox.close(thread.id)
    row = invite_after_thread(store, store.inbox.get(thread.id))
    invitation = _invitation(store, row)
    assert "C-2026-0001" in all_text(invitation) and "已結案" in all_text(invitation)
    assert labels(invitation) == ["5 非常滿意", "4 滿意", "3 普通", "2 不滿意", "1 非常不滿意"]
    replies = citizen.taps_button(invitation, "4 滿意")
    assert "不用了" in labels(replies)
    replies = citizen.says("希望叫號更快 0912345678")
    assert "寶貴意見" in all_text(replies)
    survey = store.surveys.for_source("thread", thread.id)
    assert survey.rating == 4 and "0912345678" not in survey.comment and "叫號" in survey.comment


def test_a_low_rating_asks_what_to_improve_and_skip_works(citizen, store):
    citizen.follow()
    row = invite_after_visit(store, citizen.user_id, 17)
    replies = citizen.taps_button(_invitation(store, row), "1 非常不滿意")
    assert "改進" in all_text(replies)
    replies = citizen.says("不用了")
    assert "謝謝您的評分" in all_text(replies)
    assert store.surveys.for_source("booking", 17).rating == 1


def test_each_thread_or_visit_is_surveyed_once_and_rated_once(citizen, store):
    citizen.follow()
    row = invite_after_visit(store, citizen.user_id, 5)
    assert invite_after_visit(store, citizen.user_id, 5) is None
    invitation = _invitation(store, row)
    citizen.taps_button(invitation, "5 非常滿意")
    replies = citizen.taps_button(invitation, "2 不滿意")
    assert "已經評分過" in all_text(replies)
    assert store.surveys.for_source("booking", 5).rating == 5


def test_someone_else_cannot_answer_a_survey(citizen, store):
    citizen.follow()
    survey_id = store.surveys.invite("booking", 9, "Usomeoneelse")
    replies = citizen.taps(f"a=survey.rate&v={survey_id}&r=1")
    assert "無法作答" in all_text(replies)
    assert store.surveys.get(survey_id).rating is None


def test_the_summary_has_the_average_and_the_distribution(store):
    for i, rating in enumerate([5, 5, 4, 2]):
        survey_id = store.surveys.invite("booking", i, f"U{i}")
        store.surveys.rate(survey_id, f"U{i}", rating)
    store.surveys.invite("thread", 1, "U9")
    summary = store.surveys.summary("2000-01-01T00:00:00Z")
    assert summary.invited == 5 and summary.answered == 4 and summary.average == 4.0
    assert summary.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 2}
