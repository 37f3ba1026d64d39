"""One fallback for every flow: a menu word typed mid-flow leaves the flow (run with dialog(), no HTTP)."""
from __future__ import annotations

import pytest

from handlers.cases import texts as case_texts
from handlers.core import texts as core_texts
from tests.dialog import dialog

ASK_CASE = case_texts.ZH["ask_case"].split("\n")[0]
PROGRESS = core_texts.ZH["menu.progress"]


@pytest.mark.parametrize("start", [
    core_texts.ZH["menu.booking"],     # booking's states
    core_texts.ZH["menu.human"],       # 找真人: the question
    core_texts.ZH["menu.home_visit"],  # 行動戶政所: eligibility
    core_texts.ZH["menu.feedback"],    # 意見反映: before the first part
])
def test_a_menu_word_typed_mid_flow_leaves_the_flow_for_it(services, start):
    first, second = dialog(services, [(start, None), (PROGRESS, ASK_CASE)])
    assert first.state != "idle" and second.state == "progress.ask_case"


def test_the_progress_flow_is_left_for_a_menu_word_too(services):
    outcomes = dialog(services, [(PROGRESS, ASK_CASE), (core_texts.ZH["menu.booking"], None)])
    assert outcomes[-1].state.startswith("booking.")


def test_once_a_complaint_has_its_first_part_a_menu_word_is_more_of_its_text(services):
    outcomes = dialog(services, [(core_texts.ZH["menu.feedback"], None), ("櫃台等太久了", None),
                                 (PROGRESS, None)])
    assert outcomes[-1].state == outcomes[-2].state
    assert outcomes[-1].data["parts"] == ["櫃台等太久了", PROGRESS]


# Handlers only return: what they need from LINE is declared, what they want done is an effect.

def test_a_rich_menu_tile_returns_its_command_for_the_dispatcher_to_run_even_mid_flow(services):
    from handlers.core import rich_menu
    from tests.dialog import turn
    dialog(services, [(core_texts.ZH["menu.booking"], None)])
    outcome = turn(services, {"a": "richmenu", "k": "progress", "session": False})
    assert outcome.state == "progress.ask_case" and not outcome.effects
    # The handler itself only names the command; it never calls the dispatcher.
    from bot.context import Context, Input
    store = services.store
    ctx = Context(store, services.config, services, store.users.ensure("U" + "e" * 32),
                  store.conversations.load("U" + "e" * 32))
    own = rich_menu(ctx, Input("postback", ctx.user.user_id, action="richmenu", data={"k": "progress"}))
    assert own.messages == [] and [e.text for e in own.effects] == [PROGRESS]


def test_the_welcome_reads_the_profile_name_the_kernel_fetched(services):
    from bot.context import Context, Input
    from bot.effects import wants_profile
    from handlers.core import follow
    assert wants_profile(follow)
    store = services.store
    ctx = Context(store, services.config, services, store.users.ensure("U" + "f" * 32),
                  store.conversations.load("U" + "f" * 32))
    outcome = follow(ctx, Input("follow", ctx.user.user_id, profile_name="小明"))
    assert "小明" in outcome.messages[0]["text"]
    assert store.users.get("U" + "f" * 32).display_name == "小明"


def test_a_flow_declares_its_states_and_each_has_a_handler():
    from bot.routes import FlowState, Routes

    class State(FlowState):
        ASK = "moving.ask"
        CONFIRM = "moving.confirm"

    with pytest.raises(ValueError, match="moving.confirm"):
        Routes(states={State.ASK: lambda ctx, inp: None}, flow_states=(State,))
    routes = Routes(states={State.ASK: print, State.CONFIRM: print}, flow_states=(State,))
    assert set(routes.states) == {"moving.ask", "moving.confirm"}  # the store's plain strings
