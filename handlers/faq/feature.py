"""The FAQ feature: categories, answers to free text (everything nobody else took), `faq` verbs."""
from __future__ import annotations

from bot.feature import Feature
from handlers.faq import ROUTES, answer_free_text, commands

FEATURE = Feature("faq", flows=(ROUTES,), free_text=answer_free_text, cli_verbs=(commands.register,))
