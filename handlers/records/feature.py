"""Field records, review and publication from chat (issue 5).

- /tasks and /progress: handlers/tasks.py
- /record and its conversation: handlers/record_flow.py (with record_step, record_problems,
  record_measures)
- /followup: handlers/followup.py
- /review and /publish: handlers/review.py
"""

from __future__ import annotations

from handlers.core.router import Router
from handlers.records import flow as record_flow
from handlers.records import followup, review, tasks


def register(router: Router) -> None:
    """Register the field-record commands."""
    for feature in (tasks, record_flow, followup, review):
        feature.register(router)
