import pytest
import yaml

from cyberaide.diagnostic import engine
from cyberaide.diagnostic.graphs import DEFAULT_GRAPH_FILE
from cyberaide.diagnostic.taxonomy import read_yaml


@pytest.fixture(scope="session")
def incident_audiences():
    return {entry["code"]: entry["audiences"] for entry in read_yaml("incidents.yaml")}


@pytest.fixture(scope="session")
def default_graph(incident_audiences):
    return engine.load_graph(yaml.safe_load(DEFAULT_GRAPH_FILE.read_text()), incident_audiences)
