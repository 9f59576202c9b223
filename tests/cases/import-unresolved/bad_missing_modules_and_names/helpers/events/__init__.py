from .sending import *
