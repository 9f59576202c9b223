import asyncio


async def double(value):
    await asyncio.sleep(0)
    return value * 2


def test_runs_a_coroutine(event_loop):
    assert event_loop.run_until_complete(double(2)) == 4
