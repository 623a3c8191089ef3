"""Tell open pages that something changed, after the transaction commits. The channel layer only notifies: a
message it drops is found again by the client's next resume (``seq`` shows the gap), since the database holds
everything."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .lifecycle import Author


def conversation_group(conversation_id: int) -> str:
    return f"chat-conversation-{conversation_id}"


def queue_group(force: str) -> str:
    return f"chat-queue-{force}"


def agent_group(agent_id: int) -> str:
    return f"chat-agent-{agent_id}"


PRESENCE_GROUP = "chat-presence"


def message_payload(message) -> dict:
    """What a client shows of a message. The agent is named as they chose to be; the victim never is."""
    return {
        "seq": message.seq,
        "author": message.author,
        "name": message.agent.display_name if message.author == Author.AGENT and message.agent else "",
        "client_id": message.client_id,
        "body": message.body,
        "at": message.created_at.isoformat(),
    }


def _send_after_commit(group: str, event: dict):
    def send():
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, event)

    # The change is stored: if Redis is unreachable, the pages find it at their next resume. A failed notification
    # must neither fail the request nor stop the other notifications.
    transaction.on_commit(send, robust=True)


def message_posted(conversation_id: int, message):
    _send_after_commit(
        conversation_group(conversation_id), {"type": "chat.message", "message": message_payload(message)}
    )


def status_changed(conversation_id: int):
    _send_after_commit(conversation_group(conversation_id), {"type": "chat.status"})


def queue_changed(force: str):
    _send_after_commit(queue_group(force), {"type": "console.changed"})


def agent_changed(agent_id: int):
    _send_after_commit(agent_group(agent_id), {"type": "console.changed"})


def presence_changed():
    _send_after_commit(PRESENCE_GROUP, {"type": "console.changed"})
