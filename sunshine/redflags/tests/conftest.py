import pytest


@pytest.fixture
def world(city):
    from .planted import plant

    return plant(city)


@pytest.fixture(params=["db"])
def rule_engine(request):
    """The engines every rule test runs on: "db" is the test database (SQLite or PostgreSQL, whichever the run
    uses); the Spark parity test adds its own engine here."""
    return request.param
