import pytest

from cyberaide.providers.charters import load_charter


@pytest.fixture
def charter(db):
    return load_charter()
