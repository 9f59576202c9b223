"""fixlint: static analysis and codemods for pytest test suites."""

__version__ = "0.2.0"
