# A dependency of the plugin's own project, which the repository's environment does not hold.
import exporter_dep


def test_version():
    assert exporter_dep.VERSION == "2"
