# A module of the tree named like the third-party one: `import websocket` does not find it.
CHUNK = 1024
