import pytest


@pytest.mark.asyncio
async def test_reads_seeded_rows(seeded_rows):
    assert seeded_rows == [1, 2]
