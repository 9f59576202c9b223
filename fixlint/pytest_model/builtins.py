"""Fixtures that pytest and common plugins provide, with their real scopes (pytest 9,
pytest-asyncio 1.x, pytest-mock 3.x), as ``pytest --fixtures`` lists them."""

from __future__ import annotations

from fixlint.pytest_model.scope import Scope

BUILTIN_FIXTURES: dict[str, Scope] = {
    "cache": Scope.FUNCTION,
    "capfd": Scope.FUNCTION,
    "capfdbinary": Scope.FUNCTION,
    "caplog": Scope.FUNCTION,
    "capsys": Scope.FUNCTION,
    "capsysbinary": Scope.FUNCTION,
    "capteesys": Scope.FUNCTION,
    "doctest_namespace": Scope.SESSION,
    "monkeypatch": Scope.FUNCTION,
    "pytestconfig": Scope.SESSION,
    "pytester": Scope.FUNCTION,
    "record_property": Scope.FUNCTION,
    "record_testsuite_property": Scope.SESSION,
    "record_xml_attribute": Scope.FUNCTION,
    "recwarn": Scope.FUNCTION,
    "subtests": Scope.FUNCTION,
    "testdir": Scope.FUNCTION,
    "tmp_path": Scope.FUNCTION,
    "tmp_path_factory": Scope.SESSION,
    "tmpdir": Scope.FUNCTION,
    "tmpdir_factory": Scope.SESSION,
}

PLUGIN_FIXTURES: dict[str, Scope] = {
    # pytest-asyncio
    "event_loop_policy": Scope.SESSION,
    "unused_tcp_port": Scope.FUNCTION,
    "unused_udp_port": Scope.FUNCTION,
    "unused_tcp_port_factory": Scope.SESSION,
    "unused_udp_port_factory": Scope.SESSION,
    # pytest-mock
    "mocker": Scope.FUNCTION,
    "class_mocker": Scope.CLASS,
    "module_mocker": Scope.MODULE,
    "package_mocker": Scope.PACKAGE,
    "session_mocker": Scope.SESSION,
}

# What pytest's and those plugins' own fixtures request (beside ``request``), as ``pytest
# --setup-plan`` lists them ("fixtures used"): pytest sets these up with them.
BUILTIN_REQUESTS: dict[str, tuple[str, ...]] = {
    "tmp_path": ("tmp_path_factory",),
    "tmpdir": ("tmp_path",),
    "pytester": ("monkeypatch", "tmp_path_factory"),
    "testdir": ("pytester",),
    "mocker": ("pytestconfig",),
    "class_mocker": ("pytestconfig",),
    "module_mocker": ("pytestconfig",),
    "package_mocker": ("pytestconfig",),
    "session_mocker": ("pytestconfig",),
}

# pytest-asyncio runs an async fixture in the runner fixture of its loop scope.
LOOP_RUNNER_FIXTURES: dict[str, Scope] = {f"_{scope.value}_scoped_runner": scope for scope in Scope}
