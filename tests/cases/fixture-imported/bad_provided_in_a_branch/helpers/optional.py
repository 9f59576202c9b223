# Re-exports a fixture only where the import works: a run without it binds nothing here.
try:
    from helpers.fixtures import invoice  # noqa: F401
except ImportError:
    pass
