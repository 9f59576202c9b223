from helpers.fixtures import log_sink


def test_log_sink(log_sink):
    assert log_sink == []
