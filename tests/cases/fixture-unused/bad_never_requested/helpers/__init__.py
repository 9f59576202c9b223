def settings():
    return {"debug": True}
