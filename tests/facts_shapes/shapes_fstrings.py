"""f-strings: quotes, nesting, format specs, prefixes, and text that looks like code."""
import pytest

width = 10
NAME = "agent_started"
EVENTS = [f"{NAME}", "agent_thinking"]
PLAIN = f"no fields"
SPEC = f"{NAME:>{width}} {NAME!r:^20} {width:#x} {{literal braces}}"
NESTED = f"{f'{NAME}'} {f'''{width}'''}" + f'''{f"{NAME}"}'''
PREFIXES = rf"\d{NAME}" + Rf"{NAME}\n" + fR'{NAME}' + F"{NAME}" + FR"""{NAME}"""
HASH = f"# fixlint: ignore[fixture-scope-mismatch] {NAME}"  # fixlint: ignore[required-events-missing]
CONCAT = "a" f"{NAME}" "b" f'{width}' 'c'
MULTILINE = f"""first {NAME}
    second {
    width
    } third"""
pytestmark = pytest.mark.usefixtures(f"db", "cache" f"")


@pytest.fixture(scope=f"session", params=[f"{x}" for x in "ab"])
def fixture_with_fstring_scope(request):
    return request.getfixturevalue(f"db")


@pytest.fixture(scope="module" f"")
def implicit_fscope():
    return f"{Factory()}"


@pytest.mark.parametrize(f"a", [1])
@pytest.mark.parametrize("b," f"c", [(1, 2)])
def test_fstring_argnames(a, b, c, db):
    assert f"{NAME}" in [NAME]
    assert "agent_thinking" in EVENTS, f"missing {'agent_thinking'!r}"
    Record(f"{a}", key=f"""{b
    }""", other=Factory(f"{c:{width}}"))


def test_fstring_call_arguments():
    value = Builder(f"{Inner(1)}", f"{'#'}", text=f"# {Other()}")  # a real comment
    return value
