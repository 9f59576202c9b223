# A module that reads the fixture's name as a value (here an annotation, as a missing comma
# makes one): linters see it used, and it overrides nothing.
from helpers.fixtures import customer


def test_annotated(buyer: customer = None):
    assert buyer is None
