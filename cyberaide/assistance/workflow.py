"""The life of an assistance request, as a table. Pure Python; ``services`` applies it to the database.

new ──accept──▶ accepted ──start──▶ in_progress ──close (report)──▶ closed ──rate──▶ rated
 │  └─decline (reason)──▶ declined
 └─expire (no answer in time)──▶ expired
"""

from dataclasses import dataclass
from enum import StrEnum

from cyberaide.core.errors import UserError


class Status(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"
    RATED = "rated"
    EXPIRED = "expired"


STATUS_LABELS = {
    Status.NEW: "Nouvelle",
    Status.ACCEPTED: "Acceptée",
    Status.DECLINED: "Refusée par le prestataire",
    Status.IN_PROGRESS: "En cours",
    Status.CLOSED: "Terminée",
    Status.RATED: "Terminée et notée",
    Status.EXPIRED: "Sans réponse dans le délai",
}


EVENT_LABELS = {
    "create": "Demande envoyée",
    "accept": "Acceptée par le prestataire",
    "decline": "Refusée par le prestataire",
    "start": "Intervention commencée",
    "close": "Intervention terminée",
    "rate": "Avis donné",
    "expire": "Sans réponse dans le délai",
}


class Actor(StrEnum):
    PROVIDER = "provider"
    VICTIM = "victim"
    SYSTEM = "system"


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    actor: Actor
    reason_required: bool = False


ACTIONS = {
    action.code: action
    for action in (
        Action("accept", "Accepter la demande", Actor.PROVIDER),
        Action("decline", "Refuser la demande", Actor.PROVIDER, reason_required=True),
        Action("start", "Commencer l'intervention", Actor.PROVIDER),
        Action("close", "Clôturer avec le rapport d'intervention", Actor.PROVIDER),
        Action("rate", "Noter l'intervention", Actor.VICTIM),
        Action("expire", "Expirer faute de réponse", Actor.SYSTEM),
    )
}

TRANSITIONS: dict[tuple[Status, str], Status] = {
    (Status.NEW, "accept"): Status.ACCEPTED,
    (Status.NEW, "decline"): Status.DECLINED,
    (Status.NEW, "expire"): Status.EXPIRED,
    (Status.ACCEPTED, "start"): Status.IN_PROGRESS,
    (Status.IN_PROGRESS, "close"): Status.CLOSED,
    (Status.CLOSED, "rate"): Status.RATED,
}

# Requests that occupy a provider (its workload, for matching).
OPEN = frozenset({Status.NEW, Status.ACCEPTED, Status.IN_PROGRESS})
# Requests after which the victim may turn to another provider.
ENDED_WITHOUT_HELP = frozenset({Status.DECLINED, Status.EXPIRED})
FINAL = frozenset({Status.RATED, Status.DECLINED, Status.EXPIRED})


class TransitionError(UserError):
    pass


def next_status(status: str, action_code: str, *, actor: Actor, reason: str = "") -> Status:
    action = ACTIONS.get(action_code)
    if action is None:
        raise TransitionError("Cette action n'existe pas.")
    if action.actor != actor:
        raise TransitionError("Vous ne pouvez pas faire cette action sur cette demande.")
    target = TRANSITIONS.get((Status(status), action_code))
    if target is None:
        raise TransitionError(
            f"Action « {action.label} » impossible : la demande est « {STATUS_LABELS[Status(status)]} »."
        )
    if action.reason_required and not reason.strip():
        raise TransitionError(f"Un motif est obligatoire pour « {action.label} ».")
    return target


def actions_for(status: str, actor: Actor) -> list[Action]:
    return [ACTIONS[code] for (source, code) in TRANSITIONS if source == status and ACTIONS[code].actor == actor]
