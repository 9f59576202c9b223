from .sending import *
from .public import *
