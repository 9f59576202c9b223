import json
import os
from pathlib import Path as P

import pytest as pt

from helpers import settings


@pt.fixture
def client():
    return P(".")


# The client of the first API version.
@pt.fixture(scope="session")
def legacy_client(
    tmp_path_factory,  # a comment inside the arguments
):
    return json.dumps({"sep": os.sep, "root": str(tmp_path_factory)})


@pt.fixture
def config():
    return settings()
