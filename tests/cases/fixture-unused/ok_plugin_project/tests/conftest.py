from shop_testing.plugin import shop  # noqa: F401
