import pytest

from cyberaide.diagnostic.graphs import load_default_graph
from cyberaide.diagnostic.taxonomy import load_taxonomy


@pytest.fixture
def taxonomy(db):
    load_taxonomy()


@pytest.fixture
def graph_version(taxonomy):
    """The questionnaire shipped with Cyberaide, published."""
    return load_default_graph()
