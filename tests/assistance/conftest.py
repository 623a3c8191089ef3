import pytest

from cyberaide.diagnostic.models import DiagnosticResult, IncidentType


@pytest.fixture
def make_result(taxonomy):
    def make(incident="ransomware", audience="entreprise"):
        return DiagnosticResult.objects.create(
            audience=audience,
            incident=IncidentType.objects.get(code=incident),
            answers=[{"question": "Qu'est-ce qui est concerné ?", "answer": "Nos ordinateurs"}],
            graph_version=1,
        )

    return make
