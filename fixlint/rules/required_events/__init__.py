"""The required-events family: tests of the agent event flow that do not check every required
event, or check them by hand instead of by the standard helper; and the fixes that call it."""

from __future__ import annotations

from fixlint.rules.required_events.helper_module import WriteEventsHelper
from fixlint.rules.required_events.missing import RequiredEventsMissing
from fixlint.rules.required_events.standard import RequiredEventsStandard

RULES = (RequiredEventsMissing, RequiredEventsStandard)
FIX_STEPS = (WriteEventsHelper(),)
