from shop_testing.fixtures import *  # noqa: F403
