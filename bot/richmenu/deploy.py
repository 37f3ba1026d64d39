"""Put the rich menus on LINE, replacing the ones an earlier deploy made; link users to their language's menu.

Order matters so citizens never see no menu: the new menus are created and get their pictures first,
the aliases move to them, the zh-TW one becomes everyone's default and English speakers are linked to
the English one; only then are the old menus (found by their name prefix) deleted.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Iterator

from linebot.v3.messaging import (CreateRichMenuAliasRequest, RichMenuBulkLinkRequest, RichMenuRequest,
                                  UpdateRichMenuAliasRequest)
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError

from bot.line_client import LineClient
from bot.richmenu.definition import ALIAS_IDS, LANGS, RichMenuDefinition

log = logging.getLogger(__name__)

BULK_LINK_MAX = 500  # user ids per bulk-link call (LINE's limit)
UPLOAD_TIMEOUT = 30.0


class DeployError(Exception):
    """LINE refused a step; the message says which one and why."""


@dataclass
class DeployReport:
    """What a deploy did, for the command line to print."""

    menus: dict[str, str] = field(default_factory=dict)  # language -> new rich menu id
    images: dict[str, tuple[str, int]] = field(default_factory=dict)  # language -> (content type, bytes)
    linked: int = 0
    deleted: list[str] = field(default_factory=list)


def menu_name(definition: RichMenuDefinition, lang: str, stamp: str) -> str:
    return f"{definition.name_prefix}-{lang}-{stamp}"


def deploy(line: LineClient, definition: RichMenuDefinition, *, english_users: Iterable[str] = (),
           font: str = "", now: datetime | None = None) -> DeployReport:
    """Create, upload, alias, make default, link, then delete the old menus; DeployError on a refusal."""
    from bot.richmenu.draw import render_png  # Pillow only where pictures are made

    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%S")
    api, timeout = line.api, line.timeout
    requests = {lang: RichMenuRequest.from_dict(definition.request(lang, menu_name(definition, lang, stamp)))
                for lang in LANGS}
    report = DeployReport()
    with _step("validate the rich menu"):
        for request in requests.values():
            api.validate_rich_menu_object(request, _request_timeout=timeout)
    with _step("list the rich menus"):
        old = [m.rich_menu_id for m in api.get_rich_menu_list(_request_timeout=timeout).richmenus
               if m.name.startswith(definition.name_prefix + "-")]
    try:
        for lang, request in requests.items():
            with _step(f"create the {lang} rich menu"):
                report.menus[lang] = api.create_rich_menu(request, _request_timeout=timeout).rich_menu_id
            image, content_type = render_png(definition, lang, font)
            with _step(f"upload the {lang} picture"):
                # The SDK sets no Content-Type for this call on its own (it would send the bytes as JSON).
                line.blob.set_rich_menu_image(report.menus[lang], image, _headers={"Content-Type": content_type},
                                              _request_timeout=UPLOAD_TIMEOUT)
            report.images[lang] = (content_type, len(image))
    except DeployError:
        _delete_quietly(line, report.menus.values())
        raise
    _point_aliases(line, report.menus)
    with _step("set the default rich menu"):
        api.set_default_rich_menu(report.menus["zh"], _request_timeout=timeout)
    report.linked = _link_users(line, report.menus["en"], list(english_users))
    for menu_id in old:
        with _step(f"delete the old rich menu {menu_id}"):
            api.delete_rich_menu(menu_id, _request_timeout=timeout)
        report.deleted.append(menu_id)
    return report


def _point_aliases(line: LineClient, menus: dict[str, str]) -> None:
    api = line.api
    with _step("list the rich menu aliases"):
        existing = {a.rich_menu_alias_id for a in api.get_rich_menu_alias_list(_request_timeout=line.timeout).aliases}
    for lang, alias in ALIAS_IDS.items():
        with _step(f"point the alias {alias}"):
            if alias in existing:
                api.update_rich_menu_alias(alias, UpdateRichMenuAliasRequest(richMenuId=menus[lang]),
                                           _request_timeout=line.timeout)
            else:
                api.create_rich_menu_alias(CreateRichMenuAliasRequest(richMenuAliasId=alias, richMenuId=menus[lang]),
                                           _request_timeout=line.timeout)


def _link_users(line: LineClient, menu_id: str, user_ids: list[str]) -> int:
    """Users who chose English get the English menu (their old link went with the old menu)."""
    for start in range(0, len(user_ids), BULK_LINK_MAX):
        chunk = user_ids[start:start + BULK_LINK_MAX]
        with _step("link English speakers to the English menu"):
            line.api.link_rich_menu_id_to_users(RichMenuBulkLinkRequest(richMenuId=menu_id, userIds=chunk),
                                                _request_timeout=line.timeout)
    return len(user_ids)


def _delete_quietly(line: LineClient, menu_ids: Iterable[str]) -> None:
    """Undo a half-made deploy, so a failed run leaves only the menus that were there before."""
    for menu_id in list(menu_ids):
        try:
            line.api.delete_rich_menu(menu_id, _request_timeout=line.timeout)
        except Exception as exc:  # noqa: BLE001 - best effort; the next deploy deletes it by prefix
            log.warning("could not delete the half-made rich menu %s: %s", menu_id, type(exc).__name__)


@contextmanager
def _step(what: str) -> Iterator[None]:
    """Turns the SDK's errors into a DeployError that names the step LINE refused."""
    try:
        yield
    except ApiException as exc:
        body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else str(exc.body or "")
        raise DeployError(f"could not {what}: LINE answered {exc.status} {body[:300]}") from None
    except (HTTPError, OSError) as exc:
        raise DeployError(f"could not {what}: LINE did not answer ({type(exc).__name__})") from None
