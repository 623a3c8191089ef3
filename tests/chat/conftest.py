import uuid

import pytest

from cyberaide.accounts.models import User
from cyberaide.chat import services
from cyberaide.chat.models import Agent, Force
from cyberaide.core import communes
from cyberaide.diagnostic.services import create_result

ANSWERS = [
    {"question": "Qui est concerné ?", "answer": "Une entreprise"},
    {"question": "Que se passe-t-il ?", "answer": "Nos fichiers ne s'ouvrent plus et une rançon est demandée"},
]


@pytest.fixture
def make_result(graph_version):
    def make(code="ransomware", audience="entreprise", situation=None):
        return create_result(audience=audience, incident_code=code, situation=situation, answers=ANSWERS)

    return make


@pytest.fixture
def make_agent(db):
    def make(force=Force.POLICE, name=None, on_duty=True):
        name = name or f"Agent {uuid.uuid4().hex[:6]}"
        user = User.objects.create_user(f"{uuid.uuid4().hex[:10]}@interieur.example", password="x")
        agent = Agent.objects.create(user=user, force=force, display_name=name)
        if on_duty:
            services.set_on_duty(agent, True)
        return agent

    return make


def commune(postcode: str) -> communes.Commune:
    return communes.communes_for_postcode(postcode)[0]


@pytest.fixture
def open_chat(make_result):
    """A conversation opened from a serious diagnosis; returns it with the victim's token."""

    def open_(postcode="35000", code="ransomware", audience="entreprise", situation=None):
        return services.open_conversation(result=make_result(code, audience, situation), commune=commune(postcode))

    return open_


def send(conversation, body, *, author="victim", agent=None, client_id=None):
    return services.post_message(
        conversation, author=author, agent=agent, body=body, client_id=client_id or str(uuid.uuid4())
    )
