import os

os.environ.setdefault("SHOP_REGION", "eu")