"""`make run` shows a living 17Cyber console: two agents and conversations at every stage, kept current."""

import pytest

from cyberaide.chat.demo import create_demo_agents, create_demo_conversations
from cyberaide.chat.models import Conversation

pytestmark = pytest.mark.django_db


def test_the_demonstration_conversations_cover_every_stage_and_are_made_again(graph_version):
    create_demo_agents("cyberaide-demo", "3132333435363738393031323334353637383930")
    create_demo_conversations()
    statuses = sorted(Conversation.objects.values_list("status", flat=True))
    assert statuses == ["active"] * 2 + ["closed"] * 2 + ["waiting"] * 4
    assert set(Conversation.objects.values_list("force", flat=True)) == {"police", "gendarmerie"}
    assert all(c.sheet.unit for c in Conversation.objects.filter(outcome="appointment"))
    first = set(Conversation.objects.values_list("reference", flat=True))
    create_demo_conversations()
    assert Conversation.objects.count() == 8
    assert not first & set(Conversation.objects.values_list("reference", flat=True))
