"""No behaviour change: the extractor's output on every case file and dev article equals the saved snapshot.

The snapshot was recorded from the code before the rules were traced (issue 11); a deliberate change of
behaviour rewrites it with `tests/extractor/snapshot.py --write`, in its own commit, saying why.
"""

from __future__ import annotations

import json

from snapshot import SNAPSHOT, differences, snapshot


def test_output_equals_the_saved_snapshot() -> None:
    diff = differences(snapshot(), json.loads(SNAPSHOT.read_text("utf-8")))
    assert not diff, "\n".join(diff)
