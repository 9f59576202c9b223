"""sys.path edits a conftest makes: the folders fixlint reads, and those it cannot."""

import os
import sys
from os.path import dirname, join
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, str(Path(__file__).parent / "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
if str(HERE.parent / "tools") not in sys.path:
    sys.path.append(str(HERE.parent / "tools"))
sys.path.append(ROOT)
sys.path.extend([join(dirname(__file__), "a/b"), str(Path(__file__).parents[2])])
sys.path.insert(0, str(HERE.joinpath("vendor", "x").resolve()))
sys.path.insert(0, "/opt/shared")
# Not read: the working folder, a relative literal, a name bound again to what fixlint cannot
# tell, an edit made when a function runs.
sys.path.insert(0, os.getcwd())
sys.path.insert(0, "relative")
HERE = Path(os.environ["SOMEWHERE"])
sys.path.insert(0, str(HERE / "other"))


def pytest_configure(config):
    sys.path.insert(0, str(Path(__file__).parent / "late"))
