"""Colour for people at a terminal: when to use it (as ruff decides) and the few styles used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

COLOR_CHOICES = ("auto", "always", "never")


def wants_color(choice: str, is_terminal: bool, environ: Mapping[str, str]) -> bool:
    """``--color always|never`` wins; under ``auto``, a non-empty ``NO_COLOR`` turns colour off,
    then a non-empty ``FORCE_COLOR`` turns it on (whatever its value, as ruff reads it), then a
    terminal decides."""
    if choice != "auto":
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return is_terminal


@dataclass(frozen=True)
class Style:
    color: bool = False

    def _sgr(self, codes: str, text: str) -> str:
        return f"\033[{codes}m{text}\033[0m" if self.color and text else text

    def bold(self, text: str) -> str:
        return self._sgr("1", text)

    def rule(self, text: str) -> str:
        return self._sgr("1;31", text)

    def punctuation(self, text: str) -> str:
        return self._sgr("36", text)

    def gutter(self, text: str) -> str:
        return self._sgr("1;34", text)

    def caret(self, text: str) -> str:
        return self._sgr("1;31", text)

    def added(self, text: str) -> str:
        return self._sgr("32", text)

    def removed(self, text: str) -> str:
        return self._sgr("31", text)

    def note(self, text: str) -> str:
        return self._sgr("1;36", text)


PLAIN = Style()
