"""The imports family: the first-party imports of the test code, resolved as pytest imports them."""

from __future__ import annotations

from fixlint.rules.imports.unresolved import ImportUnresolved

RULES = (ImportUnresolved,)
