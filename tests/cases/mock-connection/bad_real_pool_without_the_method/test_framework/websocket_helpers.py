class WebSocketConnectionPool:
    """The real pool of this tree: it opens connections, but by another name."""

    async def connect(self, user_id, connection_id):
        return (user_id, connection_id)
