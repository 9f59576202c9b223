# `logging` is no portion of the namespace package in the suite's environment: importing fails.
from cloud_ns.cloud import logging as cloud_logging
from cloud_ns.cloud import storage


class LogClient:
    sink = cloud_logging
    bucket = storage.BUCKET
