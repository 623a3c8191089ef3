import pytest

from cyberaide.core.expertise import Expertise
from cyberaide.diagnostic import engine
from cyberaide.diagnostic.graphs import read_default_version
from cyberaide.diagnostic.taxonomy import read_yaml, shipped_incident_audiences


@pytest.fixture(scope="session")
def incident_audiences():
    return shipped_incident_audiences()


@pytest.fixture(scope="session")
def catalogue(incident_audiences):
    """The shipped incident types, services (with the audiences they are reserved to) and provider skills."""
    services = {entry["code"]: entry.get("audiences") for entry in read_yaml("official_services.yaml")}
    return engine.Catalogue(incidents=incident_audiences, services=services, expertise=Expertise.values)


@pytest.fixture(scope="session")
def shipped():
    """The questionnaire, rules and texts shipped with Cyberaide, as parsed data."""
    return read_default_version()


@pytest.fixture(scope="session")
def default_graph(shipped, catalogue):
    """The shipped questionnaire with its situation questions and rules."""
    data, rules, _ = shipped
    return engine.load_questionnaire(data, rules, catalogue)
