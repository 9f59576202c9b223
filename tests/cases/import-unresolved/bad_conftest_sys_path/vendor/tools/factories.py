def make_user():
    return {"name": "ada"}
