from helpers.clients import LogClient

__all__ = ["LogClient"]
