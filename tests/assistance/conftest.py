import pytest

from cyberaide.diagnostic.services import create_result


@pytest.fixture
def make_result(graph_version):
    def make(incident="ransomware", audience="entreprise", situation=None):
        return create_result(
            audience=audience,
            incident_code=incident,
            situation=situation,
            answers=[{"question": "Qu'est-ce qui est concerné ?", "answer": "Nos ordinateurs"}],
        )

    return make
