"""The 17Cyber WebSockets: a victim's conversation, an agent's conversation, the agent's console.

Protocol (JSON both ways). The client sends ``{"type": "resume", "after": n}`` and receives ``{"type": "sync",
"messages": [...], "status": {...}}`` with every message after n; it sends ``{"type": "message", "client_id":
uuid, "body": text}`` and receives ``{"type": "ack", "client_id", "seq"}`` once it is stored, then everyone in
the conversation receives ``{"type": "message", "message": {...}}``. A resend with the same client_id is
acknowledged again, never stored twice. Refusals come as ``{"type": "error", "code", "message"}``.
"""

import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cyberaide.accounts.twofactor import session_is_verified

from . import live, services
from .lifecycle import Author, Status
from .models import Agent, Conversation
from .presentation import status_payload, sync_payload

logger = logging.getLogger("cyberaide.chat")


# A frame longer than this cannot hold a valid message (the body is limited to CHAT_MESSAGE_MAX_LENGTH characters,
# each at most 12 bytes once escaped in JSON).
MAX_FRAME_BYTES = 4096


def verified_agent(scope) -> Agent | None:
    user, session = scope.get("user"), scope.get("session")
    if user is None or not session_is_verified(user, session):
        return None
    return Agent.objects.filter(user=user, is_active=True).first()


class ConversationConsumer(AsyncJsonWebsocketConsumer):
    """What victims and agents share: resume, send, receive. Subclasses say who may connect."""

    author: Author
    conversation_id: int | None = None
    agent: Agent | None = None

    def find_conversation(self) -> Conversation | None:
        raise NotImplementedError

    def still_allowed(self, conversation: Conversation) -> bool:
        """Checked again at every request and status change, not only at connection."""
        return True

    async def connect(self):
        conversation = await database_sync_to_async(self.find_conversation)()
        if conversation is None:
            logger.warning("chat websocket refused: %s", self.author)
            await self.close(code=4403)
            return
        self.conversation_id = conversation.pk
        self.reference = conversation.reference
        await self.channel_layer.group_add(live.conversation_group(conversation.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.conversation_id is not None:
            await self.channel_layer.group_discard(live.conversation_group(self.conversation_id), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_FRAME_BYTES * 3:
            await self.refuse("malformed", "Message illisible ou trop long.")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            content = None
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.refuse("malformed", "Message illisible.")
            return
        if content["type"] == "resume":
            await self.resume(content.get("after"))
        elif content["type"] == "message":
            await self.post(content.get("client_id"), content.get("body"))
        else:
            await self.refuse("malformed", "Type de message inconnu.")

    async def refuse(self, code: str, message: str, **extra):
        logger.warning("chat refused: %s on %s (%s)", code, getattr(self, "reference", "?"), self.author)
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    async def resume(self, after):
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            await self.refuse("malformed", "Position de reprise invalide.")
            return
        payload = await database_sync_to_async(self.sync_payload)(after)
        if payload is None:
            await self.shut()
        else:
            await self.send_json(payload)

    async def shut(self):
        """No longer allowed (transferred, closed for this agent, account withdrawn, erased): say so and close."""
        logger.warning("chat websocket closed: no longer allowed on %s (%s)", self.reference, self.author)
        await self.send_json({"type": "status", "status": {"status": "closed", "holder": False, "text": ""}})
        await self.close(code=4403)

    def _conversation(self) -> Conversation | None:
        conversation = Conversation.objects.select_related("incident", "agent").get(pk=self.conversation_id)
        self.force = conversation.force
        return conversation if self.still_allowed(conversation) else None

    def sync_payload(self, after: int) -> dict | None:
        conversation = self._conversation()
        return None if conversation is None else sync_payload(conversation, after, agent=self.agent)

    async def post(self, client_id, body):
        outcome = await database_sync_to_async(self.store)(client_id, body)
        if "error" in outcome:
            await self.refuse(
                outcome["code"], outcome["error"], client_id=client_id if isinstance(client_id, str) else ""
            )
        else:
            await self.send_json({"type": "ack", "client_id": outcome["client_id"], "seq": outcome["seq"]})

    def store(self, client_id, body) -> dict:
        # post_message checks, with the conversation locked, that this side may still write in it.
        try:
            message, _ = services.post_message(
                Conversation(pk=self.conversation_id),
                author=self.author,
                body=body,
                client_id=client_id,
                agent=self.agent,
                limit_rate=True,
            )
        except services.RateLimited as error:
            return {"code": "rate_limited", "error": error.message}
        except services.ChatError as error:
            return {"code": "refused", "error": error.message}
        return {"client_id": message.client_id, "seq": message.seq}

    async def chat_message(self, event):
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_status(self, event):
        status = await database_sync_to_async(self.current_status)()
        if status is None:
            await self.shut()
        else:
            await self.send_json({"type": "status", "status": status})

    def current_status(self) -> dict | None:
        conversation = self._conversation()
        return None if conversation is None else status_payload(conversation, agent=self.agent)


class VictimConsumer(ConversationConsumer):
    """The victim holds only the token of their conversation; it is the key to it and to nothing else."""

    author = Author.VICTIM

    def find_conversation(self):
        conversation = services.conversation_for_token(self.scope["url_route"]["kwargs"]["token"])
        if conversation is None or conversation.purged_at is not None:
            return None
        self.queue_force = conversation.force
        return conversation

    def still_allowed(self, conversation):
        return conversation.purged_at is None

    async def connect(self):
        await super().connect()
        if self.conversation_id is not None:
            # While waiting, the place in the queue changes when others are served.
            await self.channel_layer.group_add(live.queue_group(self.queue_force), self.channel_name)

    async def disconnect(self, code):
        await super().disconnect(code)
        if self.conversation_id is not None:
            await self.channel_layer.group_discard(live.queue_group(self.queue_force), self.channel_name)

    async def chat_status(self, event):
        queue_force = self.queue_force
        await super().chat_status(event)  # reads the conversation again, its force included
        if self.force != queue_force:
            # Handed back to the other force's queue: follow it, so the place shown stays true.
            await self.channel_layer.group_discard(live.queue_group(queue_force), self.channel_name)
            self.queue_force = self.force
            await self.channel_layer.group_add(live.queue_group(self.queue_force), self.channel_name)

    async def console_changed(self, event):
        status = await database_sync_to_async(self.current_status)()
        if status is not None and status["status"] == Status.WAITING:
            await self.send_json({"type": "status", "status": status})


class AgentConversationConsumer(ConversationConsumer):
    """An agent signed in with both factors, on a conversation they hold."""

    author = Author.AGENT

    def find_conversation(self):
        self.agent = verified_agent(self.scope)
        if self.agent is None:
            return None
        return Conversation.objects.filter(
            reference=self.scope["url_route"]["kwargs"]["reference"], agent=self.agent, status=Status.ACTIVE
        ).first()

    def still_allowed(self, conversation):
        # The holder was read with the conversation: whether this account is still active costs no query.
        return conversation.agent_id == self.agent.pk and conversation.agent.is_active


class AgentConsoleConsumer(AsyncJsonWebsocketConsumer):
    """Says "the queue, your conversations or who is online changed"; the page then fetches its lists over HTTP.
    The page's heartbeat every 30 seconds keeps the agent counted as online."""

    groups_joined: tuple = ()

    async def connect(self):
        agent = await database_sync_to_async(verified_agent)(self.scope)
        if agent is None:
            logger.warning("chat console websocket refused")
            await self.close(code=4403)
            return
        self.agent_id = agent.pk
        self.groups_joined = (live.queue_group(agent.force), live.agent_group(agent.pk), live.PRESENCE_GROUP)
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await database_sync_to_async(services.heartbeat)(self.agent_id)

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "heartbeat":
            await database_sync_to_async(services.heartbeat)(self.agent_id)

    async def console_changed(self, event):
        await self.send_json({"type": "console.changed"})
