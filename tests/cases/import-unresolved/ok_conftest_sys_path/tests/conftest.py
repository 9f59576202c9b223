import sys
from pathlib import Path

if str(Path(__file__).parent / "support") not in sys.path:
    sys.path.append(str(Path(__file__).parent / "support"))
