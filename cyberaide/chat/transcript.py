"""The transcript of a conversation as plain text, for the victim and for the agent."""

from django.utils import timezone

from .lifecycle import Author
from .models import Conversation


def author_label(message, *, for_agent: bool = False) -> str:
    if message.author == Author.VICTIM:
        return "Victime" if for_agent else "Vous"
    if message.author == Author.AGENT:
        return message.agent.display_name if message.agent else "Agent"
    return "Information"


def transcript_text(conversation: Conversation, *, for_agent: bool = False) -> str:
    lines = [
        f"17Cyber — discussion {conversation.reference}",
        f"Ouverte le {timezone.localtime(conversation.opened_at):%d/%m/%Y à %H:%M}",
    ]
    if conversation.diagnosis.get("incident"):
        lines.append(f"Diagnostic : {conversation.diagnosis['incident']}")
    lines.append("")
    for message in conversation.messages.select_related("agent").order_by("seq"):
        stamp = timezone.localtime(message.created_at).strftime("%d/%m/%Y %H:%M")
        lines.append(f"[{stamp}] {author_label(message, for_agent=for_agent)} :")
        lines.extend("  " + line for line in message.body.splitlines() or [""])
    lines.append("")
    lines.append("Conservez ce document : il peut servir de preuve et vous évite de tout raconter à nouveau.")
    return "\n".join(lines) + "\n"
