import pytest


class TestTabs:
	@pytest.fixture(scope="module")
	def fix(self, db):
		return db

	def test_x(self, fix):
		assert fix
		assert "agent_started" in fix
