# A package installed where the suite runs (src layout): fixlint cannot follow the import, and
# its `events` fixture is what the override below gets.
from shop_testing.fixtures import *  # noqa: F403
