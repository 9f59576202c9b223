def test_plugins(db, extra, worker_id, tmp_path):
    # worker_id: pytest-xdist's, an installed plugin's fixture read from its module
    assert db == {} and extra == 1 and worker_id and tmp_path
