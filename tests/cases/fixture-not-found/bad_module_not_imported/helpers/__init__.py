def make_user():
    return "ada"
