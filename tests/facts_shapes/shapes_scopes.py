"""Which top-level names the module reads (``globals_read``), scope by scope."""

from typing import Literal, Optional

from fixtures import (
    annotated,
    argument_only,
    class_attribute,
    class_local,
    comprehension_target,
    decorator,
    default,
    early,
    global_write,
    in_lambda,
    in_literal,
    in_method,
    in_string,
    local_import,
    never,
    nonlocal_name,
    parameter,
    shadowed_in_class,
)

early_at_module = read_later  # read before the import below binds it: not the import's
from fixtures import read_later  # noqa: E402

counter = 0
counter += 1  # ``+=`` reads it


@decorator
def test_parameter(parameter, argument_only=default):
    return parameter, [comprehension_target for comprehension_target in range(3)]


def test_early():
    value = early.value  # read before the function binds it: the module's
    early = 1
    return value, early


def test_local_import():
    from fixtures import local_import

    return local_import


def test_global():
    global global_write
    global_write = None


def outer():
    nonlocal_name = 1

    def inner():
        nonlocal nonlocal_name
        return nonlocal_name

    return inner


class Holder:
    shadowed_in_class = 1
    class_local = 2
    attribute = class_attribute
    copied = class_local  # the class's own

    def method(self):
        return in_method, shadowed_in_class

    def typed(self, value: "annotated") -> Optional["in_string"]:
        kind: Literal["in_literal"] = "in_literal"
        return kind


callback = lambda: in_lambda  # noqa: E731
