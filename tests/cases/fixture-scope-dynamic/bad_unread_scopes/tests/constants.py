import enum
import os

NOT_A_STR = 1
FROM_ENVIRONMENT = os.environ.get("FIXLINT_CASE_SCOPE", "function")


class Plain(enum.Enum):
    SESSION = "session"
