import os

from helpers.base import *  # noqa: F401,F403

if not os.environ.get("SMOKE_RUN"):
    from helpers.extra import *  # noqa: F401,F403
