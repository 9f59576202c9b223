from .events import *
from .events.sending import send as send_event
from . import stars

__all__ = ["send", "send_event"]
__all__ += ["Conditional"]

try:
    import json as Conditional
except ImportError:
    Conditional = None
