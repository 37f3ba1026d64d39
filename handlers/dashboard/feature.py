"""The dashboard feature: the staff page of figures and its CSV export."""
from __future__ import annotations

from bot.feature import Feature
from handlers.dashboard import staff

FEATURE = Feature("dashboard", staff_pages=(staff.register,))
