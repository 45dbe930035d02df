"""A call to give rubrics to (three selections, so the example's document gate lets six plans on)."""
from datetime import datetime, timezone

import pytest


@pytest.fixture
def call(admin):
    from webapp.calls import service as calls

    return calls.create(admin, {"title": "2026 공모", "title_en": "2026 call", "year": 2026, "selections": 3,
                                "opens_at": datetime(2026, 3, 1, tzinfo=timezone.utc),
                                "closes_at": datetime(2026, 4, 30, tzinfo=timezone.utc)})
