import os

os.environ.setdefault("SHOP_REGION", "eu")
from helpers.regions import region  # noqa: F401