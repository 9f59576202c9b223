# The same fixture, from its own module: the conftest gets one re-export for both.
def test_return_for_a_customer(customer):
    assert customer["name"] == "ada"
