import os

LEVEL: int = 2
for COUNTER in range(1):
    pass
with open(os.devnull) as HANDLE:
    pass
(FIRST, SECOND), *REST = (1, 2), 3


class Receiver:
    pass
