"""Each citizen sees the rich menu of their language: zh-TW is everyone's default, English is linked per user."""
from __future__ import annotations

import logging

from bot.line_client import LineClient
from bot.richmenu.definition import ALIAS_IDS

log = logging.getLogger(__name__)


def follow_language(line: LineClient, user_id: str, lang: str) -> bool:
    """Link (English) or unlink (back to the zh-TW default) after the reply went out; never raises.

    A failure only leaves the other language's menu on screen: the next language change or
    `richmenu deploy` (which links every English speaker again) puts it right.
    """
    try:
        if lang == "en":
            menu_id = line.api.get_rich_menu_alias(ALIAS_IDS["en"], _request_timeout=line.timeout).rich_menu_id
            line.api.link_rich_menu_id_to_user(user_id, menu_id, _request_timeout=line.timeout)
        else:
            line.api.unlink_rich_menu_id_from_user(user_id, _request_timeout=line.timeout)
        return True
    except Exception as exc:  # noqa: BLE001 - a menu in the wrong language must not cost the citizen anything
        log.info("rich menu for a language change not linked: %s", type(exc).__name__)
        return False
