from helpers.base import ApiTests


class TestApi(ApiTests):
    pass
