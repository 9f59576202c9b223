# Legacy wrappers defined inside a fixture and inside a test: reported, with no fix (the migration
# rewrites module-level wrappers).
import pytest


class UnifiedMock:
    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


def create_compliance_mock():
    return UnifiedMock()


@pytest.fixture
def manager():
    class LegacyMockSender:
        def __init__(self):
            self._unified_mock = create_compliance_mock()
            self.messages = []

        def send(self, message):
            self._unified_mock.send(message)
            self.messages = self._unified_mock.messages

    return LegacyMockSender()


def test_send_through_the_fixture(manager):
    manager.send("hi")
    assert manager.messages == ["hi"]


class TestInline:
    def test_wrapper_defined_in_the_test(self):
        class SenderShim:
            def __init__(self):
                self._inner = create_compliance_mock()
                self.sent = []

            def send(self, message):
                self._inner.send(message)
                self.sent = self._inner.messages

        shim = SenderShim()
        shim.send("hello")
        assert shim.sent == ["hello"]
