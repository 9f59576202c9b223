# The workspace puts the repository's library on sys.path in a way fixlint does not read (here
# from the environment, as PYTHONPATH or an editable install of the workspace would).
import os
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("BILLING_LIBRARY_ROOT", str(Path(__file__).resolve().parents[2] / "src")))
