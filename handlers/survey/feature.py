"""The survey feature: a rating and a comment after a visit or a closed thread."""
from __future__ import annotations

from bot.feature import Feature
from bot.jobs import TICK, Job
from handlers.survey import ROUTES
from handlers.survey.jobs import survey_attended_visits
from handlers.survey.store import PART

FEATURE = Feature("survey", flows=(ROUTES,), store_parts=(PART,), jobs=(Job("surveys.after_visits", survey_attended_visits, TICK),))
