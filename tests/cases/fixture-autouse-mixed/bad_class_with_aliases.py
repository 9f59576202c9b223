from pytest import fixture as fx


@fx(autouse=True, scope="module")
def database():
    yield


class TestCheckout:
    @fx(
        scope="class",  # once per class
        autouse=True,
    )
    def cart(self):
        yield

    @fx(autouse=True)
    def clear_session(self):
        yield

    def test_checkout(self):
        assert True
