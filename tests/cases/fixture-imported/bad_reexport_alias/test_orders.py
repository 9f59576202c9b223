import os

# `name as name`: the explicit re-export linters respect; reported only where it overrides
from helpers.shared import account as account
from helpers.shared import (
    clean_env as clean_env,
    db as db,
)


def test_order(db, account):
    assert db == {} and account == "shared"


def test_clean():
    assert os.environ["ORDERS_CLEAN"] == "1"
