"""Demonstration agents (one police officer, one gendarme) and conversations at every stage, so that `make run`
shows a living 17Cyber console."""

import uuid
from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cyberaide.accounts.models import User
from cyberaide.core import communes
from cyberaide.diagnostic.models import DiagnosticResult
from cyberaide.diagnostic.services import create_result

from . import services
from .lifecycle import Author, Status
from .models import Agent, Conversation, Force, Message
from .setup import read_yaml

DEMO_AGENTS = {
    Force.POLICE: ("policier@cyberaide.example", "Brigadier-chef Moreau", "Plateforme 17Cyber, police nationale"),
    Force.GENDARMERIE: ("gendarme@cyberaide.example", "Maréchal des logis Laurent", "Plateforme 17Cyber, gendarmerie"),
}


def create_demo_agents(password: str, totp_key: str) -> list[Agent]:
    agents = []
    for force, (email, name, unit) in DEMO_AGENTS.items():
        user, created = User.objects.get_or_create(username=email, defaults={"email": email})
        if created:
            user.set_password(password)
            user.save()
            TOTPDevice.objects.create(user=user, name="Démonstration", key=totp_key, confirmed=True)
        agent, _ = Agent.objects.get_or_create(
            user=user, defaults={"force": force, "display_name": name, "unit": unit}
        )
        agents.append(agent)
    return agents


DEMO_GRAPH_VERSION = 0  # marks the results made up for the demonstration conversations


def create_demo_conversations() -> int:
    """The demonstration conversations, made again at each `make run` so that their waiting times stay current."""
    demo_results = DiagnosticResult.objects.filter(graph_version=DEMO_GRAPH_VERSION)
    Conversation.objects.filter(result__in=demo_results).delete()
    demo_results.delete()
    agents = {
        agent.force: agent
        for agent in Agent.objects.filter(user__username__in=[e for e, _, _ in DEMO_AGENTS.values()])
    }
    now = timezone.now()
    count = 0
    for entry in read_yaml("demo_conversations.yaml"):
        result = create_result(
            audience=entry["audience"],
            incident_code=entry["incident"],
            situation=entry.get("situation"),
            graph_version=DEMO_GRAPH_VERSION,
        )
        commune = communes.communes_for_postcode(entry["postcode"])[0]
        conversation, _ = services.open_conversation(result=result, commune=commune)
        agent = agents.get(conversation.force)
        for message in entry["messages"]:
            if message["author"] == "agent" and conversation.status == Status.WAITING:
                conversation = services.claim(conversation, agent=agent)
            services.post_message(
                conversation,
                author=Author(message["author"]),
                agent=agent if message["author"] == "agent" else None,
                body=message["text"],
                client_id=uuid.uuid4(),
            )
        if entry["state"] == "closed":
            services.close(
                conversation,
                agent=agent,
                outcome=entry["outcome"],
                sheet=services.SheetDraft(unit=agent.unit, evidence="Captures d'écran et messages conservés."),
            )
        # Spread the conversation over the minutes it has lasted.
        opened = now - timedelta(minutes=entry["waiting_minutes"])
        Conversation.objects.filter(pk=conversation.pk).update(opened_at=opened)
        for message in Message.objects.filter(conversation=conversation):
            Message.objects.filter(pk=message.pk).update(created_at=opened + timedelta(seconds=40 * message.seq))
        count += 1
    return count
