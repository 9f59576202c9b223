# The star import binds `slow`: the module imports, the typo is pytest's "fixture not found".
from helpers import *


@slow
def test_admin(admn):
    assert admn
