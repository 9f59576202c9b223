from shop.testing.fixtures import *  # noqa: F403
