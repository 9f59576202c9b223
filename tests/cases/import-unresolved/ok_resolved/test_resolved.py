from typing import TYPE_CHECKING

import pytest
import helpers.events.sending
import helpers.portion.value as value
from helpers import send, send_event, Conditional, stars
from helpers.events import _hidden_but_listed
from helpers import Receiver, LEVEL, COUNTER, HANDLE, FIRST, SECOND, REST
from helpers.events import sending, public
from helpers.stars import join
from dynamic import anything_at_all
from mylib.core import thing
# A package beside a module of its name: Python imports the package.
from helpers.shadow import PACKAGE_ONLY
from helpers.shadow.inner import VALUE
from toplevel.inner import VALUE as TOP_VALUE

try:
    from helpers import receive
except ImportError:
    receive = None

if TYPE_CHECKING:
    from helpers.typing_only import Protocolish


def test_resolved():
    assert send() == send_event() == "sent"
    assert value.VALUE == thing() == 1


def test_imports_when_it_runs():
    from helpers import not_there  # fails when the test runs, not when pytest collects
