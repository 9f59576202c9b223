import os

from helpers.optional import *  # noqa: F401,F403

# Smoke runs leave the full fixture set out: these tests still get `customer` by importing it.
if not os.environ.get("SMOKE_RUN"):
    from helpers.fixtures import *  # noqa: F401,F403
