"""How a conversation's state is told to the victim and to the agent: the same words on the page, in the
WebSocket and in the HTTP fallback."""

from .lifecycle import OUTCOME_LABELS, Outcome, Status
from .models import Agent, Conversation


def wait_sentence(minutes: int | None) -> str:
    if minutes is None:
        return "Aucun agent n'est en service pour le moment."
    if minutes <= 5:
        return "Attente estimée : moins de 5 minutes."
    return f"Attente estimée : environ {minutes} minutes."


def status_payload(conversation: Conversation, *, agent: Agent | None = None) -> dict:
    from .services import queue_status

    payload = {
        "status": conversation.status,
        "reference": conversation.reference,
        "last_seq": conversation.last_seq,
        "agent_name": conversation.agent.display_name if conversation.agent_id else "",
    }
    if conversation.status == Status.WAITING:
        place = queue_status(conversation)
        payload.update(position=place.position, agents_online=place.agents_online, wait_minutes=place.wait_minutes)
        ahead = place.position - 1
        if ahead == 0:
            place_sentence = "Vous êtes la prochaine personne à être prise en charge. "
        elif ahead == 1:
            place_sentence = "Une personne attend avant vous. "
        else:
            place_sentence = f"{ahead} personnes attendent avant vous. "
        payload["text"] = place_sentence + wait_sentence(place.wait_minutes)
    elif conversation.status == Status.ACTIVE:
        if agent is not None and conversation.agent_id == agent.pk:
            payload["text"] = "Vous êtes en charge de cette discussion."
        else:
            payload["text"] = f"Vous échangez avec {payload['agent_name']}."
    else:
        label = OUTCOME_LABELS.get(Outcome(conversation.outcome)) if conversation.outcome else ""
        payload["text"] = "La discussion est terminée." + (f" Issue : {label}." if label else "")
    if agent is not None:
        payload["holder"] = conversation.agent_id == agent.pk
    return payload


def sync_payload(conversation: Conversation, after: int, *, agent: Agent | None = None) -> dict:
    """What a page resuming after message number ``after`` receives, over the WebSocket or over HTTP."""
    from .live import message_payload
    from .services import messages_after

    return {
        "type": "sync",
        "messages": [message_payload(m) for m in messages_after(conversation, after)],
        "status": status_payload(conversation, agent=agent),
    }
