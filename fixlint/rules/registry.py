"""Every rule, by name and by family, found in the family packages of ``fixlint.rules``: each
package lists its ``RULES`` and, if it has any, its ``FIX_STEPS``. `fixlint rules`, `explain`,
the CLI's options and the README read this."""

from __future__ import annotations

import importlib
import pkgutil

from fixlint import rules as rules_package
from fixlint.rules.base import FixStep, Option, Rule

# Family packages in name order; the core family (problems with the input) last.
_PACKAGES = sorted(
    (info.name for info in pkgutil.iter_modules(rules_package.__path__) if info.ispkg),
    key=lambda name: (name == "core", name),
)
_FAMILY_MODULES = [importlib.import_module(f"{rules_package.__name__}.{name}") for name in _PACKAGES]

RULES: dict[str, type[Rule]] = {rule.name: rule for module in _FAMILY_MODULES for rule in module.RULES}
FIX_STEPS: list[FixStep] = [step for module in _FAMILY_MODULES for step in getattr(module, "FIX_STEPS", ())]

FAMILIES: dict[str, list[str]] = {}
for _rule in RULES.values():
    FAMILIES.setdefault(_rule.family, []).append(_rule.name)


def family_options(family: str) -> dict[str, Option]:
    options: dict[str, Option] = {}
    for name in FAMILIES.get(family, []):
        options.update(RULES[name].options_schema)
    return options
