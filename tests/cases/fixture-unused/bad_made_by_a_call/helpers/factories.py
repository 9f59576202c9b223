def make_cart(currency):
    return {"currency": currency, "items": []}
