import pytest


@pytest.mark.parametrize("tenant", ["acme", "globex"], indirect=True, scope="module")
@pytest.mark.asyncio(loop_scope="module")
async def test_tenant_isolation(tenant, audit_log):
    assert tenant in ("acme", "globex")


@pytest.mark.asyncio(loop_scope="module")
async def test_default_tenant(tenant):
    assert tenant == "default"
