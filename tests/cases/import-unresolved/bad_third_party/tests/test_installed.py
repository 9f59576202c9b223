from __future__ import annotations

import json
import os.path

import installed_pkg
import pthmod
import single_module
from installed_pkg import VALUE
from ns_part import portion


def test_installed():
    assert installed_pkg.VALUE == VALUE == single_module.helper() == portion.PART == pthmod.FROM_PTH
    assert json and os.path
