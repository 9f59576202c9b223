from shared.fixtures import queue, unused_queue  # noqa: F401
