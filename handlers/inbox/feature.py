"""The inbox feature: threads staff answer, opened by 找真人 (handoff), 意見反映 (complaint) and 行動戶政所."""
from __future__ import annotations

from bot.feature import Feature
from bot.jobs import Job, daily
from handlers.inbox import complaint, handoff, home_visit, staff
from handlers.inbox.jobs import chase_overdue
from handlers.inbox.store import PART

FEATURE = Feature(
    "inbox",
    flows=(handoff.ROUTES, complaint.ROUTES, home_visit.ROUTES),
    store_parts=(PART,),
    staff_pages=(staff.register,),
    jobs=(Job("inbox.chase_overdue", chase_overdue, daily("08:30")),),
)
