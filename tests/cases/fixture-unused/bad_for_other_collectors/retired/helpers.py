def mode():
    return "retired"
