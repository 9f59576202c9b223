from streams.fixtures import socket_client


def test_socket(socket_client):
    assert socket_client
