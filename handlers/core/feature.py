"""The core feature: the welcome, the main menu, language, and the kernel's own answers."""
from __future__ import annotations

from bot.feature import Basics, Feature
from handlers.core import (ROUTES, apology, empty_text, expired, follow, media, sticker,
                           timed_out_notice, unfollow, unknown_postback, unsupported)

FEATURE = Feature(
    "core",
    flows=(ROUTES,),
    events={"follow": follow, "unfollow": unfollow, "sticker": sticker, "image": media, "video": media,
            "audio": media, "file": media, "other": unsupported},
    basics=Basics(apology=apology, timed_out_notice=timed_out_notice, expired=expired,
                  unknown_postback=unknown_postback, empty_text=empty_text, unsupported=unsupported),
)
