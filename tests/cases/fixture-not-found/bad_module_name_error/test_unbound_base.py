class TestUsers(BaseUserTests):
    def test_admin(self, admn):
        assert admn
