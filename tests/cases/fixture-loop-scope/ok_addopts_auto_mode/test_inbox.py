async def test_inbox_starts_empty(inbox):
    assert inbox == []
