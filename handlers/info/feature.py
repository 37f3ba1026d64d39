"""The office-information feature: 服務資訊 (hours, address, map)."""
from __future__ import annotations

from bot.feature import Feature
from handlers.info import ROUTES

FEATURE = Feature("info", flows=(ROUTES,))
