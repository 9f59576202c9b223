import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE / "helpers"))

from more_fixtures import *  # noqa: E402,F403
