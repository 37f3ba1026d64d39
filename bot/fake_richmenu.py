"""The fake LINE API's rich menus: the Messaging API's rich menu paths and the data API's image upload.

bot/fake_line.py hands every path containing /richmenu here (under its lock); calls are recorded like
the others, an uploaded image as {contentType, size, width, height, host} instead of its bytes.
"""
from __future__ import annotations

import io
import json
import re
from typing import Any, Callable

Record = Callable[[str, str, int, Any, "str | None", "str | None"], None]
Answer = tuple[int, Any]

_MENU = re.compile(r"^/v2/bot/richmenu/(richmenu-[0-9a-f]{32})$")
_CONTENT = re.compile(r"^/v2/bot/richmenu/(richmenu-[0-9a-f]{32})/content$")
_DEFAULT = re.compile(r"^/v2/bot/user/all/richmenu(?:/(richmenu-[0-9a-f]{32}))?$")
_USER = re.compile(r"^/v2/bot/user/([^/]+)/richmenu(?:/(richmenu-[0-9a-f]{32}))?$")
_ALIAS = re.compile(r"^/v2/bot/richmenu/alias/([a-z0-9_-]{1,32})$")
_SIZES = {(2500, 1686), (2500, 843), (1200, 810), (1200, 405), (800, 540), (800, 270)}
MAX_IMAGE_BYTES = 1024 * 1024


class FakeRichMenus:
    """Rich menus, their pictures, aliases, the default and per-user links, as LINE keeps them."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.menus: dict[str, dict[str, Any]] = {}
        self.images: dict[str, tuple[str, bytes]] = {}
        self.aliases: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.default: str | None = None
        self._next = 0

    def menu_for(self, user_id: str) -> dict[str, Any] | None:
        """The menu LINE would show this user: their own link, else the default."""
        menu_id = self.links.get(user_id) or self.default
        return self.menus.get(menu_id) if menu_id else None

    def handle(self, method: str, path: str, headers: dict[str, str], raw: bytes, record: Record) -> Answer:
        content = _CONTENT.match(path)
        if content and method == "POST":
            status, payload, note = self._upload(content.group(1), headers, raw)
            record(method, path, status, note, None, None)
            return status, payload
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        status, payload, to = (400, {"message": "The request body is not JSON"}, None) if body is None \
            else self._route(method, path, body)
        record(method, path, status, body, None, to)
        return status, payload

    def _route(self, method: str, path: str, body: Any) -> tuple[int, Any, str | None]:
        if path == "/v2/bot/richmenu" and method == "POST":
            return (*self._create(body), None)
        if path == "/v2/bot/richmenu/validate" and method == "POST":
            problems = _problems(body)
            return (400, {"message": "; ".join(problems)}, None) if problems else (200, {}, None)
        if path == "/v2/bot/richmenu/list" and method == "GET":
            return 200, {"richmenus": list(self.menus.values())}, None
        if path == "/v2/bot/richmenu/alias" and method == "POST":
            return (*self._alias(body, create=True), None)
        if path == "/v2/bot/richmenu/alias/list" and method == "GET":
            return 200, {"aliases": [{"richMenuAliasId": a, "richMenuId": m} for a, m in self.aliases.items()]}, None
        if path == "/v2/bot/richmenu/bulk/link" and method == "POST":
            return (*self._bulk_link(body), None)
        if m := _ALIAS.match(path):
            return (*self._alias_by_id(method, m.group(1), body), None)
        if m := _MENU.match(path):
            return (*self._menu(method, m.group(1)), None)
        if m := _DEFAULT.match(path):
            return (*self._default(method, m.group(1)), None)
        if m := _USER.match(path):
            return (*self._user(method, m.group(1), m.group(2)), m.group(1))
        return 404, {"message": "Not found"}, None

    def _create(self, body: Any) -> Answer:
        problems = _problems(body)
        if problems:
            return 400, {"message": "; ".join(problems)}
        self._next += 1
        menu_id = f"richmenu-{self._next:032x}"
        self.menus[menu_id] = {"richMenuId": menu_id, **body}
        return 200, {"richMenuId": menu_id}

    def _upload(self, menu_id: str, headers: dict[str, str], raw: bytes) -> tuple[int, Any, dict[str, Any]]:
        content_type = headers.get("content-type", "").split(";")[0].strip()
        note: dict[str, Any] = {"contentType": content_type, "size": len(raw), "host": headers.get("host", "")}
        menu = self.menus.get(menu_id)
        if menu is None:
            return 404, {"message": "Not found"}, note
        if menu_id in self.images:
            return 400, {"message": "An image has already been uploaded to the richmenu"}, note
        if content_type not in ("image/png", "image/jpeg") or len(raw) > MAX_IMAGE_BYTES:
            return 400, {"message": "Image must be JPEG or PNG, 1 MB or less"}, note
        note["width"], note["height"] = _image_size(raw)
        if (note["width"], note["height"]) != (menu["size"]["width"], menu["size"]["height"]):
            return 400, {"message": "Image size does not match the rich menu size"}, note
        self.images[menu_id] = (content_type, raw)
        return 200, {}, note

    def _alias(self, body: Any, create: bool, alias_id: str = "") -> Answer:
        alias_id = alias_id or str(body.get("richMenuAliasId", ""))
        menu_id = str(body.get("richMenuId", ""))
        if not re.fullmatch(r"[a-z0-9_-]{1,32}", alias_id) or menu_id not in self.menus:
            return 400, {"message": "richmenu not found or invalid alias id"}
        if create == (alias_id in self.aliases):
            return 400, {"message": "conflict richmenu alias id" if create else "richmenu alias not found"}
        self.aliases[alias_id] = menu_id
        return 200, {}

    def _alias_by_id(self, method: str, alias_id: str, body: Any) -> Answer:
        if method == "POST":
            return self._alias(body, create=False, alias_id=alias_id)
        if alias_id not in self.aliases:
            return 404, {"message": "richmenu alias not found"}
        if method == "DELETE":
            del self.aliases[alias_id]
            return 200, {}
        return 200, {"richMenuAliasId": alias_id, "richMenuId": self.aliases[alias_id]}

    def _menu(self, method: str, menu_id: str) -> Answer:
        if menu_id not in self.menus:
            return 404, {"message": "Not found"}
        if method == "DELETE":
            del self.menus[menu_id]
            self.images.pop(menu_id, None)
            self.links = {u: m for u, m in self.links.items() if m != menu_id}
            self.aliases = {a: m for a, m in self.aliases.items() if m != menu_id}
            self.default = None if self.default == menu_id else self.default
            return 200, {}
        return 200, self.menus[menu_id]

    def _default(self, method: str, menu_id: str | None) -> Answer:
        if method == "POST" and menu_id:
            if menu_id not in self.images:  # LINE shows only menus that have a picture
                return 400 if menu_id in self.menus else 404, {"message": "richmenu has no image or not found"}
            self.default = menu_id
            return 200, {}
        if method == "DELETE":
            self.default = None
            return 200, {}
        return (200, {"richMenuId": self.default}) if self.default else (404, {"message": "no default richmenu"})

    def _user(self, method: str, user_id: str, menu_id: str | None) -> Answer:
        if method == "POST" and menu_id:
            if menu_id not in self.images:
                return 400 if menu_id in self.menus else 404, {"message": "richmenu has no image or not found"}
            self.links[user_id] = menu_id
            return 200, {}
        if method == "DELETE":
            self.links.pop(user_id, None)
            return 200, {}
        linked = self.links.get(user_id)
        return (200, {"richMenuId": linked}) if linked else (404, {"message": "the user has no richmenu"})

    def _bulk_link(self, body: Any) -> Answer:
        menu_id, users = str(body.get("richMenuId", "")), body.get("userIds") or []
        if menu_id not in self.images or not 1 <= len(users) <= 500:
            return 400, {"message": "richmenu not found or 1 to 500 userIds"}
        for user_id in users:
            self.links[str(user_id)] = menu_id
        return 202, {}


def _problems(body: Any) -> list[str]:
    """What LINE would reject in a rich menu object (the documented limits)."""
    if not isinstance(body, dict):
        return ["a rich menu object is a JSON object"]
    size = body.get("size") or {}
    width, height = size.get("width"), size.get("height")
    problems = [] if (width, height) in _SIZES else [f"size {width}x{height} is not allowed"]
    if not isinstance(body.get("selected"), bool):
        problems.append("selected must be true or false")
    if not 1 <= len(str(body.get("name", ""))) <= 300:
        problems.append("name must be 1 to 300 characters")
    if not 1 <= len(str(body.get("chatBarText", ""))) <= 14:
        problems.append("chatBarText must be 1 to 14 characters")
    areas = body.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= 20:
        return [*problems, "areas must hold 1 to 20 areas"]
    for i, area in enumerate(areas):
        b, action = area.get("bounds") or {}, area.get("action") or {}
        if not (0 <= b.get("x", -1) and 0 <= b.get("y", -1) and b.get("width", 0) >= 1 and b.get("height", 0) >= 1
                and b["x"] + b["width"] <= (width or 0) and b["y"] + b["height"] <= (height or 0)):
            problems.append(f"areas[{i}].bounds outside the rich menu")
        problems += [f"areas[{i}].action: {p}" for p in _action_problems(action)]
    return problems


def _action_problems(action: dict[str, Any]) -> list[str]:
    kind = action.get("type")
    if len(str(action.get("label", ""))) > 20:
        return ["label longer than 20 characters"]
    if kind == "postback":
        data, shown = str(action.get("data", "")), action.get("displayText")
        if not 1 <= len(data) <= 300 or (shown is not None and not 1 <= len(str(shown)) <= 300):
            return ["postback data and displayText are 1 to 300 characters"]
        return []
    if kind == "message":
        return [] if 1 <= len(str(action.get("text", ""))) <= 300 else ["text is 1 to 300 characters"]
    if kind in ("uri", "richmenuswitch", "datetimepicker", "camera", "cameraRoll", "location", "clipboard"):
        return []
    return [f"unknown action type {kind!r}"]


def _image_size(raw: bytes) -> tuple[int, int]:
    from PIL import Image  # Pillow is a dependency already (the bot draws its menus)

    try:
        with Image.open(io.BytesIO(raw)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - not an image at all
        return 0, 0
