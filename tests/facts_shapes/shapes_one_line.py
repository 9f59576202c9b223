import pytest; import os
class TestOne: pytestmark = pytest.mark.usefixtures("db"); NAMES = ["a", "b"]
class TestEmpty: pass
class TestDocOnly: "docstring only"
@pytest.fixture(scope="session")
def app(db): return db
@pytest.fixture
def gen(): yield Thing()
def test_a(app): assert "agent_started" in app; assert app
def test_b(app, db): pass
async def test_c(app): await Call(app)
if os: import json
else: json = None
try: import yaml
except ImportError: yaml = None
while 0: import heapq
for _ in (): import array
with open(os.devnull) as f: import csv
if True: pytestmark = [pytest.mark.slow]
def outer():
    def test_inner(db): pass
    class Hidden: VALUE = Factory()
    return Hidden
lambda_fixture = pytest.fixture(lambda: 1)
class TestWrap:
    def __init__(self): self._mock = create_mock(); self.messages = []
    def send(self, m): self._mock.send(m); self.messages = self._mock.messages
