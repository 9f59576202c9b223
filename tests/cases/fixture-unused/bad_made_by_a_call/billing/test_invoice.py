def test_invoice(price, rebate):
    assert price - rebate == 10
