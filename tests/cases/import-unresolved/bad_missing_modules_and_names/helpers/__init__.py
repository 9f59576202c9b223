from .events import *
from .events.sending import send as send_event
