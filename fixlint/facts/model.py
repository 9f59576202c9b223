"""Per-file facts: what one module says about fixtures, tests, marks and imports.

Plain, picklable data, independent of any setting, so that the per-file pass can run in
parallel and be cached by content hash. Extraction is one traversal per file.

The readers build the sequences as lists; the file pass keeps every file's facts in the form the
cache reads back (``fixlint.facts.store.facts_from_plain``): tuples, with strings interned. Tuples are
smaller, the empty one is shared, and facts are read only once made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Span:
    line: int
    column: int  # 1-based, in characters
    end_line: int
    end_column: int


@dataclass
class StringExpression:
    """A str expression read without running it: its parts concatenated (``PREFIX + "ion"``), each
    a string literal or a dotted name (``SESSION``, ``Scopes.SESSION``, ``constants.SESSION``)."""

    parts: Sequence[tuple[bool, str]]  # (is a name, the name or the literal's value)


@dataclass
class Binding:
    """One binding of a module-level or class-level name that some statement binds to a str
    expression: what the name holds from ``line`` on."""

    line: int
    value: Optional[StringExpression]  # None: a value fixlint does not read (a call, an import, a loop)
    conditional: bool = False  # in a branch or a loop, or by ``global`` in a function: it may not run


@dataclass
class KeywordValue:
    """A literal-or-not keyword argument of a decorator, such as ``scope="module"``."""

    literal: Optional[str]  # the string value when the argument is a plain string literal
    span: Span  # the value expression
    quote: str = '"'
    # The argument as names and literals, when it is not a literal (``scope=SESSION_SCOPE``).
    expression: Optional[StringExpression] = None


@dataclass
class DecoratorCall:
    """Where a fixture decorator's arguments can be edited."""

    span: Span  # the decorator expression, without the ``@``
    callee: Span  # ``pytest.fixture`` (or its alias) in it
    is_call: bool  # ``@pytest.fixture(...)`` rather than bare ``@pytest.fixture``
    # Where a new keyword argument goes and what must precede it.
    insert_at: tuple[int, int]
    insert_prefix: str  # "", ", " or "(" for a bare decorator


@dataclass
class FixtureFact:
    name: str  # the name tests request it by (``name=`` or the function name)
    func_name: str
    owner: Optional[str]  # dotted class path inside the module, None at module level
    flavour: str  # "pytest" or "pytest_asyncio"
    scope: Optional[KeywordValue]  # None: the default, function
    loop_scope: Optional[KeywordValue]
    autouse: bool
    has_params: bool
    is_async: bool
    argnames: Sequence[str]
    getfixturevalue: Sequence[str]
    line: int  # first decorator line: where findings and suppressions go
    column: int
    def_line: int
    decorator: DecoratorCall
    autouse_dynamic: bool = False
    # The branches (of ``if``, ``try``, ``match``) the definition stands in, outermost first.
    branch: tuple[int, ...] = ()
    # Made by calling the decorator (``x = pytest.fixture(f)``) rather than a decorated ``def``.
    assigned: bool = False
    # It wraps a function fixlint does not read (imported, an attribute): its requests are unknown.
    requests_unread: bool = False


@dataclass
class ParametrizeFact:
    argnames: Sequence[str]
    indirect: Union[bool, Sequence[str]]
    scope: Optional[str]


@dataclass
class AsyncioMark:
    """``pytest.mark.asyncio``: its ``loop_scope`` (or the deprecated ``scope``) sets the loop
    pytest-asyncio runs the tests it marks in."""

    loop_scope: Optional[KeywordValue]
    call: Optional[DecoratorCall]  # where ``loop_scope=`` can be set; None for a mark held in a variable


@dataclass
class MarksFact:
    usefixtures: Sequence[str] = field(default_factory=list)
    parametrize: Sequence[ParametrizeFact] = field(default_factory=list)
    names: Sequence[str] = field(default_factory=list)  # every ``pytest.mark.<name>``, these two included
    asyncio: Optional[AsyncioMark] = None  # the closest one: the bottom decorator, the last listed


@dataclass
class FunctionFact:
    """A function that pytest may collect as a test, depending on ``python_functions``."""

    name: str
    owner: Optional[str]
    line: int
    column: int
    argnames: Sequence[str]
    getfixturevalue: Sequence[str]
    marks: MarksFact
    is_async: bool
    # Of ``argnames``, those its body (nested functions included) never reads by name; none when
    # it may read them another way (``locals()``, ``eval``, a decorator other than a mark's).
    unread: Sequence[str] = field(default_factory=list)
    # Where a decorator added above it goes: the line of its first decorator (or ``def``), and
    # that line's indentation; None when something else stands before it on the line.
    decorator_line: int = 0
    decorator_indent: Optional[str] = None


@dataclass
class WrapperShape:
    """What a class's body says about the object it wraps: ``self.<wrapped> = <factory>()`` in
    ``__init__``, attributes of its own, and state copied back from the wrapped object."""

    wrapped: str  # the attribute that holds the wrapped object
    factory: str  # the call that makes it, as written
    factory_args: bool  # the call passes arguments
    own_state: Sequence[str]  # attributes ``__init__`` sets to values of its own (``self.messages = []``)
    copied_back: Sequence[
        str
    ]  # attributes a method sets from the wrapped object (``self.messages = self._mock.messages``)
    offered: Sequence[str]  # names the body reads from the wrapped object: what it is known to offer
    members: Sequence[str]  # the public methods and attributes of the class: what its users touch
    # Public methods the wrapped object offers too, that do more than hand the call on to it (and
    # copy state back): the wrapped object's own method would answer differently.
    adapted: Sequence[str] = field(default_factory=list)


@dataclass
class ClassFact:
    qualname: str
    line: int
    bases: Sequence[str]
    marks: MarksFact
    has_init: bool
    column: int = 1
    span: Optional[Span] = None  # the whole statement, decorators included
    wrapper: Optional[WrapperShape] = None
    # An Enum: "str" (a ``StrEnum``: a member is its value), "mixin" (``str, Enum``: a member
    # equals its value, but formats as ``Class.NAME`` on some Pythons), "other"; "" for no Enum.
    enum: str = ""


@dataclass
class CallFact:
    """A call of a class-like name (``Name(...)``, ``module.Name(...)``): where instances are made."""

    callee: str  # dotted, as written
    span: Span  # the whole call
    args: Sequence[tuple[Optional[str], str]]  # (keyword or None, source of the value)
    has_star_args: bool
    function: Optional[str]  # qualname of the enclosing def (``Class.method``), None at module level
    in_async: bool  # the innermost enclosing def is ``async def``
    chained: bool = False  # the call is the object of an attribute, a subscript or a call (``X().send``)
    has_comments: bool = False  # comments stand inside its parentheses


@dataclass
class EventCheck:
    """``assert "<event>" in <collection>``, a statement of its own."""

    event: str
    collection: str  # the source of the expression
    span: Span  # the statement's line(s)


@dataclass
class CallArgs:
    """A call and what its arguments pass: identifier-like strings and constants, the values of
    the locals it passes included (``for event in REQUIRED: await send(event)`` passes ``REQUIRED``)."""

    callee: str  # dotted, as written
    strings: Sequence[str]
    names: Sequence[str]
    # It may not send them: it runs under an ``if``, or its result is asserted false.
    unsure: bool = False


@dataclass
class OneOf:
    """What a list an assert says is not empty may hold (``assert len(thinking) > 0`` after
    ``thinking = [e for e in sent if e["type"] == "agent_thinking"]``): one of them was sent."""

    strings: Sequence[str]
    names: Sequence[str]


@dataclass
class Guarded:
    """Checks made under an ``if`` (``if "tool_executing" in types: assert ...``, the branches of
    ``if event["type"] == ...`` in a loop): made only when its test holds. What the tests of the
    ``if`` statements around them read, and what the checks read (as ``FunctionBody``'s
    ``asserted_strings``, ``asserted_names`` and ``one_of``)."""

    test_strings: Sequence[str]
    test_names: Sequence[str]
    strings: Sequence[str]
    names: Sequence[str]
    one_of: Sequence[OneOf] = field(default_factory=list)


@dataclass
class EventLoop:
    """``for event in <constant>: assert event in <collection>``."""

    constant: str  # dotted, as written (``REQUIRED``, ``self.REQUIRED_EVENTS``)
    collection: str
    span: Span  # the whole ``for`` statement
    top_level: bool  # a statement of the function's body itself, not of a block in it


@dataclass
class FunctionBody:
    """What a function's body shows about events (for the required-events family)."""

    qualname: str  # ``test_x``, ``Class.method``
    line: int  # of its name
    column: int
    is_async: bool
    end_line: int  # last line of its last statement; 0 for a body on the ``def`` line
    indent: str  # of its last statement
    called: Sequence[str] = field(default_factory=list)  # dotted callees, as written
    unsure_called: Sequence[str] = field(default_factory=list)  # called only under an ``if``
    asserted_strings: Sequence[str] = field(default_factory=list)  # string literals inside asserts
    names: Sequence[str] = field(default_factory=list)  # names and dotted attributes read
    params: Sequence[str] = field(default_factory=list)
    # Constants (dotted names with an upper-case last part) an assert reads, directly or through the
    # locals it reads (``missing = REQUIRED - found; assert not missing``).
    asserted_names: Sequence[str] = field(default_factory=list)
    # The same of what it returns: the verdict of a validator, checked where a caller asserts it.
    returned_strings: Sequence[str] = field(default_factory=list)
    returned_names: Sequence[str] = field(default_factory=list)
    one_of: Sequence[OneOf] = field(default_factory=list)
    # Checks under an ``if``, apart: the fields above hold those made whatever happens.
    guarded: Sequence[Guarded] = field(default_factory=list)
    # What its checks of an order read (``types == [...]``, ``events[0]["type"] == ...``): events
    # checked, but more strictly than the standard helper does.
    ordered_strings: Sequence[str] = field(default_factory=list)
    ordered_names: Sequence[str] = field(default_factory=list)
    # Calls whose results it returns (``ok, errors = self.check(); return {"passed": ok}``): their
    # verdicts are its own.
    relayed: Sequence[str] = field(default_factory=list)
    has_assert: bool = False  # an assert, ``pytest.fail`` or ``raise AssertionError``
    event_checks: Sequence[EventCheck] = field(default_factory=list)
    event_loops: Sequence[EventLoop] = field(default_factory=list)
    locals: Sequence[str] = field(default_factory=list)  # names it assigns
    # local -> the name of the events whose ``event_type`` it lists (``[e["event_type"] for e in sent]``)
    derived: dict[str, str] = field(default_factory=dict)
    # String keys it reads (``x["type"]``, ``x.get("type")``) or writes (``{"type": ...}``)
    keys: Sequence[str] = field(default_factory=list)
    call_args: Sequence[CallArgs] = field(default_factory=list)  # calls that pass strings or constants
    mock_locals: Sequence[str] = field(default_factory=list)  # locals assigned a mock (``m = MagicMock()``)
    instances: dict[str, str] = field(default_factory=dict)  # local -> the class that made it, as written
    # Methods it makes raise (``bridge.notify_agent_started.side_effect = ConnectionError()``)
    raising: Sequence[str] = field(default_factory=list)
    docstring: str = ""  # its first line

    def sort_names(self) -> None:
        """Strings, names and keys are read as sets: sorted and each once, they are the same
        whatever order the extractor met them in, and take less memory."""
        self.asserted_strings = sorted(set(self.asserted_strings))
        self.names = sorted(set(self.names))
        self.keys = sorted(set(self.keys))


@dataclass
class ImportFact:
    module: str  # as written, without the leading dots
    level: int  # number of leading dots
    names: Sequence[tuple[str, str]]  # (imported name, bound name); empty with star
    star: bool
    line: int = 0
    column: int = 0
    # In an ``if`` or ``try`` block of the module (``try: import x`` / ``except ImportError``,
    # ``if TYPE_CHECKING:``): whether it runs, or may fail, the module does not say alone.
    conditional: bool = False
    # The names imported as themselves (``from m import x as x``): the explicit re-export form,
    # which linters do not report as unused.
    reexports: Sequence[str] = ()


@dataclass
class Suppression:
    line: int
    column: int
    rules: Optional[tuple[str, ...]]  # None: a bare ``# fixlint: ignore``


@dataclass
class SyntaxErrorFact:
    message: str
    line: int
    column: int
    needs: Optional[tuple[int, int]] = None  # the later Python whose syntax it is, where known


@dataclass
class FileFacts:
    path: str
    fixtures: Sequence[FixtureFact] = field(default_factory=list)
    functions: Sequence[FunctionFact] = field(default_factory=list)
    classes: Sequence[ClassFact] = field(default_factory=list)
    imports: Sequence[ImportFact] = field(default_factory=list)
    module_marks: MarksFact = field(default_factory=MarksFact)
    pytest_plugins: Sequence[str] = field(default_factory=list)
    suppressions: Sequence[Suppression] = field(default_factory=list)
    syntax_error: Optional[SyntaxErrorFact] = None
    has_event_loop_fixture: bool = False
    # Where a fix adds an import: after the last unconditional module-level import, else after
    # the module docstring (0: at the top).
    last_import_line: int = 0
    # The end of the last module-level statement that runs code at import other than an import,
    # a definition or the docstring (a conftest's setup: environment, ``sys.modules`` stubs); 0: none.
    setup_end_line: int = 0
    calls: Sequence[CallFact] = field(default_factory=list)
    unterminated_line: int = 0  # the last line, when no line ending closes it
    bodies: Sequence[FunctionBody] = field(default_factory=list)  # of module-level functions and methods
    # Module and class constants that hold strings (``REQUIRED = [...]``; ``Class.NAME``).
    # Module and class constants of strings: a collection, or one string (``AGENT_STARTED = "..."``)
    string_constants: dict[str, Sequence[str]] = field(default_factory=dict)
    # How often each class-like name is read (calls, bases, annotations...), imports aside.
    references: dict[str, int] = field(default_factory=dict)
    # Every name the module binds at its top level, its literal ``__all__`` (None: none), and
    # whether it makes names fixlint cannot list (``fixlint.facts.module_names``).
    module_names: Sequence[str] = field(default_factory=list)
    exports: Optional[Sequence[str]] = None
    dynamic_names: bool = False
    # Those of ``module_names`` the module's own code reads: where a function, a class, a lambda or
    # a comprehension reads the name and no nearer scope binds it, or a top-level statement reads
    # it after one bound it (``fixlint.facts.global_reads``). A fix that takes an import out asks.
    globals_read: Sequence[str] = field(default_factory=list)
    # The first name the import of the module reads that nothing binds, and its line: importing
    # it raises NameError (None: none, or fixlint cannot tell).
    unbound_name: Optional[str] = None
    unbound_line: int = 0
    # Names a ``getfixturevalue`` call with a non-literal argument may request: None when the
    # module makes no such call; else the identifier-like string literals of the module and the
    # names its lists, tuples and sets hold (a fixture function's ``__name__``), empty when one
    # builds its argument (an f-string, a concatenation, a call): then any name.
    dynamic_requests: Optional[Sequence[str]] = None
    # Every binding, in source order, of each name (``NAME``, ``Class.NAME``) that some module- or
    # class-level statement binds to a str expression (``SESSION_SCOPE = "session"``).
    constants: dict[str, Sequence[Binding]] = field(default_factory=dict)
    # The folders its top-level statements put on ``sys.path``, relative to its folder
    # (``fixlint.facts.sys_path``): a conftest's make modules importable for the tests below it.
    sys_path: Sequence[str] = field(default_factory=list)
    # The top-level modules its module-level ``pytest.importorskip("x")`` calls name
    # (``fixlint.facts.import_skips``): pytest skips it where one is missing.
    import_skips: Sequence[str] = field(default_factory=list)

    def class_marks(self, qualname: str) -> MarksFact:
        """The marks of a class the extraction has recorded already (before its body)."""
        for cls in self.classes:
            if cls.qualname == qualname:
                return cls.marks
        raise LookupError(qualname)
