"""The admins' notices when delivery stops and resumes: both languages, once each, a lost stop notice repeated."""

from __future__ import annotations

import asyncio

import pytest

from bot.telegram.app import delivery_notices


def test_stop_then_resume_each_told_once_in_both_languages() -> None:
    got: list[str] = []

    async def notify(text: str) -> None:
        got.append(text)

    async def main() -> None:
        tell = delivery_notices(notify)
        await tell(False, "transient: connection refused")
        await tell(True, "after 0:10:05")

    asyncio.run(main())
    assert len(got) == 2
    assert "توقف" in got[0] and "Alert delivery stopped" in got[0] and "connection refused" in got[0]
    assert "عاد" in got[1] and "Alert delivery resumed (after 0:10:05)" in got[1] and "stopped" not in got[1]


def test_a_stop_notice_that_could_not_be_sent_comes_with_the_resume_notice() -> None:
    got: list[str] = []
    down = True

    async def notify(text: str) -> None:
        if down:
            raise RuntimeError("no admin could be notified")
        got.append(text)

    async def main() -> None:
        nonlocal down
        tell = delivery_notices(notify)
        with pytest.raises(RuntimeError):
            await tell(False, "502")
        down = False
        await tell(True, "after 0:07:00")
        await tell(False, "refused")
        await tell(True, "after 0:01:00")

    asyncio.run(main())
    assert len(got) == 3
    assert "Alert delivery stopped: Telegram fails (502)" in got[0] and "resumed (after 0:07:00)" in got[0]
    assert "refused" in got[1] and "resumed (after 0:01:00)" in got[2] and "502" not in got[2]
