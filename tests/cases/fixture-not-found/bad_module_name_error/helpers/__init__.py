def slow(function):
    return function
