"""Test helpers: signed webhook posts and a citizen who chats with the bot through the real webhook."""
from __future__ import annotations

import json
from typing import Any, Iterable

from bot.fake_line import FakeLineApi
from bot.simulator import make_event
from bot.webhook import signature_for

SECRET = "test-channel-secret"
TOKEN = "test-access-token"


def signed_post(client: Any, events: list[dict[str, Any]], secret: str = SECRET, raw: bytes | None = None,
                destination: str = "Ubot") -> Any:
    """POST /callback as LINE would: the body signed with the channel secret, addressed to its bot."""
    body = raw if raw is not None else json.dumps({"destination": destination, "events": events},
                                                  ensure_ascii=False).encode()
    response = client.post("/callback", data=body,
                           headers={"X-Line-Signature": signature_for(secret, body), "Content-Type": "application/json"})
    # A real server closes the response once it is sent, which is when the accepted events are handled.
    response.close()
    return response


def text_event(user_id: str, text: str, token: str | None) -> dict[str, Any]:
    return make_event("message", user_id, token, message={"id": "m1", "type": "text", "text": text})


def postback_event(user_id: str, data: str, token: str | None, params: dict[str, str] | None = None) -> dict[str, Any]:
    postback: dict[str, Any] = {"data": data}
    if params:
        postback["params"] = params
    return make_event("postback", user_id, token, postback=postback)


def message_event(user_id: str, message: dict[str, Any], token: str | None) -> dict[str, Any]:
    return make_event("message", user_id, token, message={"id": "m2", **message})


class Citizen:
    """One LINE user talking to the bot; each action returns the messages the bot sent in answer."""

    def __init__(self, client: Any, fake: FakeLineApi, user_id: str = "U" + "c1" * 16, *,
                 secret: str = SECRET, destination: str = "Ubot") -> None:
        self.client = client
        self.fake = fake
        self.user_id = user_id
        self.secret = secret  # the channel (office bot) this citizen writes to
        self.destination = destination
        self.last_response: Any = None

    def _post(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        before = max([0, *(c.seq for c in self.fake.calls())])
        self.last_response = signed_post(self.client, [event], self.secret, destination=self.destination)
        assert self.last_response.status_code == 200, self.last_response.data
        return [d["message"] for d in self.fake.delivered(self.user_id, after=before)]

    def token(self) -> str:
        return self.fake.issue_reply_token(self.user_id)

    def follow(self) -> list[dict[str, Any]]:
        return self._post(make_event("follow", self.user_id, self.token()))

    def unfollow(self) -> list[dict[str, Any]]:
        return self._post(make_event("unfollow", self.user_id, None))

    def says(self, text: str) -> list[dict[str, Any]]:
        return self._post(text_event(self.user_id, text, self.token()))

    def taps(self, data: str, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return self._post(postback_event(self.user_id, data, self.token(), params))

    def sends(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return self._post(message_event(self.user_id, message, self.token()))

    def taps_button(self, replies: list[dict[str, Any]], label: str) -> list[dict[str, Any]]:
        """Tap the button (quick reply, template or flex) with this label in the bot's last replies."""
        for action in actions_in(replies):
            if action.get("label") == label:
                if action["type"] == "message":
                    return self.says(action["text"])
                if action["type"] == "postback":
                    return self.taps(action["data"])
        raise AssertionError(f"no button {label!r} in {labels(replies)}")

    def dialog(self, turns: Iterable[tuple[str, str]]) -> None:
        """Turns of (what the citizen types, words the bot's answer must contain)."""
        for said, expected in turns:
            replies = self.says(said)
            assert expected in all_text(replies), f"{said!r} -> {all_text(replies)!r}"


def actions_in(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every tappable action in messages: quick replies, template buttons, flex buttons."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "button" and "action" in node:
                found.append(node["action"])
            for key, value in node.items():
                if key == "actions" and isinstance(value, list):
                    found.extend(value)
                elif key == "quickReply":
                    found.extend(item["action"] for item in value.get("items", []))
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages)
    return found


def links(messages: list[dict[str, Any]]) -> list[str]:
    """The web addresses that buttons in messages open."""
    return [a["uri"] for a in actions_in(messages) if a.get("type") == "uri"]


def labels(messages: list[dict[str, Any]]) -> list[str]:
    return [a.get("label", "") for a in actions_in(messages)]


def all_text(messages: list[dict[str, Any]]) -> str:
    """All visible words in messages, flex and templates included."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "altText", "title", "address", "label"):
                if isinstance(node.get(key), str):
                    parts.append(node[key])
            for value in node.values():
                if isinstance(value, (dict, list)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages)
    return "\n".join(parts)


# --- the staff web (issue 6) ------------------------------------------------------------------
class StaffUser:
    """A member of staff using the staff web through the Flask test client, CSRF tokens and all."""

    PASSWORD = "correct-horse-42"

    def __init__(self, client: Any, store: Any, username: str = "clerk", admin: bool = False,
                 display_name: str = "", office: str = "") -> None:
        self.client = client
        self.username = username
        if store.staff.by_username(username) is None:
            store.staff.add(username, self.PASSWORD, admin=admin, display_name=display_name, office_id=office)

    @staticmethod
    def token_in(html: str) -> str:
        import re

        found = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def token(self, page: str = "/staff/password") -> str:
        return self.token_in(self.client.get(page).get_data(as_text=True))

    def login(self, password: str | None = None) -> Any:
        page = self.client.get("/staff/login")
        token = self.token_in((page if page.status_code == 200 else self.client.get("/staff/password")).get_data(as_text=True))
        return self.client.post("/staff/login", data={"csrf_token": token, "username": self.username,
                                                      "password": password or self.PASSWORD})

    def get(self, url: str) -> Any:
        return self.client.get(url)

    def page(self, url: str) -> str:
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    def post(self, url: str, data: dict[str, Any] | None = None, follow: bool = False) -> Any:
        return self.client.post(url, data={"csrf_token": self.token(), **(data or {})}, follow_redirects=follow)


def file_complaint(citizen: Citizen, text: str = "櫃台的人態度很差，講話很兇", phone: str = "0912345678") -> Citizen:
    """A citizen files a service-attitude complaint with consent, name and phone."""
    citizen.follow()
    citizen.says("意見反映")
    citizen.says(text)
    replies = citizen.says("完成")
    replies = citizen.taps_button(replies, "服務態度")
    citizen.taps_button(replies, "同意提供")
    citizen.says("王小明")
    citizen.says(phone)
    return citizen
