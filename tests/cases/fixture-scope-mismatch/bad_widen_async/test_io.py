def test_io(reader, writer):
    assert reader == writer
