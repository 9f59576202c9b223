from pathlib import Path as P

import pytest as pt

from helpers import settings


@pt.fixture
def client():
    return P(".")


@pt.fixture
def config():
    return settings()
