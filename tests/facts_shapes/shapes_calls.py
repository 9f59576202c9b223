"""Calls, names and the source of arguments."""
from typing import TYPE_CHECKING
from .Models import Record
from . import sibling
from Package.sub import Thing as Alias

if TYPE_CHECKING:
    from Types import Hint

CONSTANT = Factory(
    first,
    key=Value(
        nested,
    ),  # a comment inside
    *rest,
    **options,
)
Other = Wrapper((parenthesised), ( spaced ), [listed], {"k": Dict(), **more}, x if Cond() else y)
Counter(item for item in items)
Counter(
    str(loc) for loc in locations
)
Counter((item for item in items))
Message("#not a comment", text="and # neither")
Joined("a" "b", "x" f"{y['k']}" "z", f"""{Deep(
    1)}""")
Chain().attribute.Call()[0](Other())
Subscripted[Index](Arg())
lambda: Lambda(Inner())
global_value: Annotated = Annotated()
del Deleted
assert Asserted(), Message()


class Recorder(Record):
    def __init__(self, Param=None):
        global GLOBAL
        self.items = Items()
        try:
            pass
        except (ValueError, KeyError) as Problem:
            raise AssertionError(Problem)

    async def run(self):
        value = await Fetch(Argument(), default=Default())
        match value:
            case None | True:
                pass
            case Point(x=0, Y=Yv) as Matched:
                pass
            case [First, *Rest]:
                pass
            case {"key": Key, **Remaining}:
                pass
            case _:
                pass
        return [Item() for Item in Items() if Keep(Item)]


def multiline_arguments():
    return Build(
        """a
    docstring-like argument
        kept as it is""",
        first="x"
              "y",
        second=(
            1,
            2,
        ),
    )
