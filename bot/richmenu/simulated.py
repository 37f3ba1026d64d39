"""The simulator's rich menu: deployed to its fake LINE API once, then read back per citizen as LINE shows it."""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from bot.richmenu.definition import load_definition
from bot.richmenu.deploy import deploy

if TYPE_CHECKING:
    from bot.services import Services

_DEPLOYING = threading.Lock()  # one first deploy per process, however many pages ask at once


def menu_for(services: "Services", user_id: str) -> dict[str, Any] | None:
    """The rich menu this citizen sees (their link or the default), deploying it first if nothing is there."""
    menus = services.fake_line.richmenus
    if menus.default is None:
        with _DEPLOYING:
            if menus.default is None:
                deploy(services.line, load_definition(), font=services.config.richmenu_font,
                       english_users=services.store.users.ids_with_lang("en"))
    menu = menus.menu_for(user_id)
    if menu is None:
        return None
    return {
        "id": menu["richMenuId"],
        "chatBarText": menu["chatBarText"],
        "size": menu["size"],
        "areas": [{"bounds": a["bounds"], "action": a["action"]} for a in menu["areas"]],
    }


def image_of(services: "Services", menu_id: str) -> tuple[str, bytes] | None:
    """The picture uploaded for a menu (content type, bytes), as LINE's app would download it."""
    return services.fake_line.richmenus.images.get(menu_id)
