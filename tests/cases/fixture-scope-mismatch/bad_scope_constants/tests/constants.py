import enum

SESSION_SCOPE = "session"
MODULE_SCOPE: str = "module"
DEFAULT_SCOPE = SESSION_SCOPE  # a constant aliasing another


class Scopes:
    SESSION = "session"
    CLASS = "cl" + "ass"


class Kind(str, enum.Enum):
    SESSION = "session"
    MODULE = "module"
