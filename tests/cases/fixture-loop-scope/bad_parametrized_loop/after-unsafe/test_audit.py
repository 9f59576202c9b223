import pytest


@pytest.mark.parametrize("audit_log", [["boot"]], indirect=True, scope="module")
@pytest.mark.asyncio(loop_scope="module")
async def test_audit_starts_empty(audit_log):
    assert audit_log == []
