"""richmenu deploy and richmenu preview: the rich menu (圖文選單) under the chat."""
from __future__ import annotations

import argparse
import sys
from typing import Any
from pathlib import Path

from bot.config import config_from_env


def register(verbs: argparse._SubParsersAction) -> None:
    richmenu = verbs.add_parser("richmenu", help="the rich menu (圖文選單): deploy it to LINE or preview its picture",
                                description="The rich menu drawn from knowledge/richmenu.yaml.")
    actions = richmenu.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True

    deploy = actions.add_parser(
        "deploy", help="create the zh-TW and English rich menus on LINE, replacing earlier ones",
        description="Validate and create both menus, upload their pictures (LINE_API_DATA_BASE_URL), point the "
                    "aliases richmenu-alias-zh / -en at them, make zh-TW every user's default, link users who "
                    "chose English to the English menu, then delete the menus an earlier deploy made.")
    deploy.add_argument("--definition", default=None, help="rich menu file (default knowledge/richmenu.yaml)")
    deploy.set_defaults(run=run_deploy)

    preview = actions.add_parser("preview", help="write the rich menu picture to a file",
                                 description="Draw the picture exactly as deploy uploads it.")
    preview.add_argument("out", metavar="OUT.png", help="where to write the picture")
    preview.add_argument("--lang", choices=("zh", "en"), default="zh", help="labels' language (default zh)")
    preview.add_argument("--definition", default=None, help="rich menu file (default knowledge/richmenu.yaml)")
    preview.set_defaults(run=run_preview)


def run_deploy(args: argparse.Namespace) -> int:
    from bot.richmenu.deploy import DeployError, deploy

    config = config_from_env()
    if not config.line_channel_access_token:
        print("Set LINE_CHANNEL_ACCESS_TOKEN (and LINE_CHANNEL_SECRET) to deploy the rich menu.", file=sys.stderr)
        return 2
    definition = _definition(args, config)
    if definition is None:
        return 1
    services = args.services()
    try:
        report = deploy(services.line, definition, english_users=services.store.users.ids_with_lang("en"),
                        font=config.richmenu_font)
    except DeployError as exc:
        print(f"rich menu not deployed: {exc}", file=sys.stderr)
        return 1
    finally:
        services.store.close()
    for lang, menu_id in report.menus.items():
        content_type, size = report.images[lang]
        print(f"{lang}: {menu_id} ({content_type}, {size / 1024:.0f} KB)")
    print(f"default: {report.menus['zh']}; English speakers linked: {report.linked}; "
          f"old menus deleted: {len(report.deleted)}")
    return 0


def run_preview(args: argparse.Namespace) -> int:
    from bot.richmenu.draw import render_png

    config = config_from_env()
    definition = _definition(args, config)
    if definition is None:
        return 1
    image, content_type = render_png(definition, args.lang, config.richmenu_font)
    Path(args.out).write_bytes(image)
    print(f"{args.out}: {definition.width}x{definition.height} {content_type}, {len(image) / 1024:.0f} KB")
    return 0


def _definition(args: argparse.Namespace, config: Any) -> Any:
    """The menu definition, or None after saying why on stderr; warns when no CJK font is installed."""
    from bot.richmenu.definition import DefinitionError, load_definition
    from bot.richmenu.draw import font_loader

    try:
        definition = load_definition(args.definition)
    except (DefinitionError, OSError) as exc:
        print(f"rich menu file: {exc}", file=sys.stderr)
        return None
    if not font_loader(config.richmenu_font)[1]:
        print("warning: no Chinese font, the zh-TW labels will not show; apt-get install fonts-noto-cjk",
              file=sys.stderr)
    return definition
