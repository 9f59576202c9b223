def test_workspace(workspace):
    assert workspace.is_dir()
