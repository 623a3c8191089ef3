"""The life of a 17Cyber conversation, as a table. Pure Python; ``services`` applies it to the database.

waiting ──claim (agent)──▶ active ──close (agent, outcome)──▶ closed
   ▲                        │  └──transfer to an agent──▶ active (another agent)
   └──transfer to a queue───┘
waiting or active ──leave (victim) / abandon (no activity)──▶ closed
"""

from dataclasses import dataclass
from enum import StrEnum

from cyberaide.core.errors import UserError


class Status(StrEnum):
    WAITING = "waiting"
    ACTIVE = "active"
    CLOSED = "closed"


STATUS_LABELS = {
    Status.WAITING: "En attente d'un agent",
    Status.ACTIVE: "En cours",
    Status.CLOSED: "Terminée",
}


class Author(StrEnum):
    VICTIM = "victim"
    AGENT = "agent"
    SYSTEM = "system"


class Outcome(StrEnum):
    ADVICE = "advice"
    COMPLAINT = "complaint"
    APPOINTMENT = "appointment"
    PROVIDER = "provider"
    ESCALATION = "escalation"
    VICTIM_LEFT = "victim_left"
    ABANDONED = "abandoned"


OUTCOME_LABELS = {
    Outcome.ADVICE: "Conseils donnés",
    Outcome.COMPLAINT: "Plainte en ligne (THESEE)",
    Outcome.APPOINTMENT: "Rendez-vous au commissariat ou à la brigade",
    Outcome.PROVIDER: "Orientation vers un prestataire référencé",
    Outcome.ESCALATION: "Signalement urgent à une unité",
    Outcome.VICTIM_LEFT: "Discussion quittée par la victime",
    Outcome.ABANDONED: "Sans activité, close automatiquement",
}

# What an agent may choose when closing; the last two are recorded by the victim's leaving or by the system.
AGENT_OUTCOMES = (Outcome.ADVICE, Outcome.COMPLAINT, Outcome.APPOINTMENT, Outcome.PROVIDER, Outcome.ESCALATION)
# Outcomes that pass the case to a local unit: the agent writes a transmission sheet for them.
SHEET_OUTCOMES = frozenset({Outcome.COMPLAINT, Outcome.APPOINTMENT, Outcome.ESCALATION})
# Counted by the observatory as journeys that led to a complaint.
COMPLAINT_OUTCOMES = frozenset({Outcome.COMPLAINT, Outcome.APPOINTMENT})


class Actor(StrEnum):
    VICTIM = "victim"
    HOLDER = "holder"  # the agent holding the conversation
    AGENT = "agent"  # any agent of the right force, for a waiting conversation
    SYSTEM = "system"


@dataclass(frozen=True)
class Action:
    code: str
    actor: Actor
    sources: frozenset[Status]
    target: Status


ACTIONS = {
    action.code: action
    for action in (
        Action("claim", Actor.AGENT, frozenset({Status.WAITING}), Status.ACTIVE),
        Action("transfer_to_agent", Actor.HOLDER, frozenset({Status.ACTIVE}), Status.ACTIVE),
        Action("transfer_to_queue", Actor.HOLDER, frozenset({Status.ACTIVE}), Status.WAITING),
        Action("close", Actor.HOLDER, frozenset({Status.ACTIVE}), Status.CLOSED),
        Action("leave", Actor.VICTIM, frozenset({Status.WAITING, Status.ACTIVE}), Status.CLOSED),
        Action("abandon", Actor.SYSTEM, frozenset({Status.WAITING, Status.ACTIVE}), Status.CLOSED),
    )
}

REFUSALS = {
    Status.WAITING: "Cette discussion attend encore un agent.",
    Status.ACTIVE: "Cette discussion a déjà été prise en charge par un agent.",
    Status.CLOSED: "Cette discussion est terminée.",
}


def next_status(status: Status, action_code: str) -> Status:
    """The status after ``action_code``, or a UserError saying why it is not possible now."""
    action = ACTIONS.get(action_code)
    if action is None:
        raise UserError("Cette action n'existe pas.")
    if status not in action.sources:
        raise UserError(REFUSALS[status])
    return action.target


def may_write(status: Status, author: Author) -> bool:
    """The victim may write while waiting (the agent reads it on claiming) and while active; the holding agent
    while active; nobody once closed."""
    if status == Status.CLOSED:
        return False
    if author == Author.AGENT:
        return status == Status.ACTIVE
    return True
