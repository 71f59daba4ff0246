"""The poll job on PTB's JobQueue, replaced all or nothing when a live config edit changes the tick.

The new job is built first and the old one removed only after that succeeded: a tick the scheduler
cannot use leaves the old job running (before, the old job was removed first, and a failed edit
stopped polling until a restart, even after the file was put right).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram.ext import CallbackContext, Job, JobQueue

CCT = TypeVar("CCT", bound=CallbackContext[Any, Any, Any, Any])

POLL_JOB = "poll"


def replace_repeating(
    job_queue: JobQueue[CCT],
    callback: Callable[[CCT], Coroutine[Any, Any, object]],
    seconds: float,
    name: str = POLL_JOB,
) -> Job[CCT]:
    """Schedule `callback` every `seconds` (first run now), then drop the earlier jobs of that name."""
    new = job_queue.run_repeating(
        callback,
        interval=seconds,
        first=0,
        name=name,
        # PollJob itself skips a tick that finds a cycle running; let APScheduler hand it that tick quietly.
        job_kwargs={"max_instances": 2, "coalesce": True, "misfire_grace_time": None},
    )
    for old in job_queue.get_jobs_by_name(name):
        if old.job.id != new.job.id:
            old.schedule_removal()
    return new
