"""The FAQ feature: categories, answers to free text (everything nobody else took), its log, the staff
Knowledge page, `faq` verbs."""
from __future__ import annotations

from bot.feature import Feature
from handlers.faq import ROUTES, answer_free_text, commands, review, staff, store

FEATURE = Feature("faq", flows=(ROUTES,), free_text=answer_free_text, store_parts=(store.PART, review.PART),
                  staff_pages=(staff.register,), cli_verbs=(commands.register,))
