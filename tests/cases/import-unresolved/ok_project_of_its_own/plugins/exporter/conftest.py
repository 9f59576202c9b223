# The plugin is a project of its own, tested in its own environment (here: its venv, put on
# sys.path in a way fixlint does not read). The repository's `venv` is not its environment.
import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("EXPORTER_SITE", str(Path(__file__).parent / "venv/lib/python3.12/site-packages")))
