"""The office-information feature: 服務資訊 (hours, address, map), and the office a shared location is nearest."""
from __future__ import annotations

from bot.feature import Feature
from handlers.info import ROUTES, located

FEATURE = Feature("info", flows=(ROUTES,), events={"location": located})
