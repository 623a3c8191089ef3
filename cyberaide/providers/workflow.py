"""The life of a provider's referencing, as a table: which action leads from which state to which.

Pure Python, no database: ``Provider.apply_action`` enforces it and records each transition.
"""

from dataclasses import dataclass

from cyberaide.core.errors import UserError

from .enums import ProviderStatus as S


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    reason_required: bool
    by_staff: bool


SUBMIT = Action("submit", "Envoyer la candidature", reason_required=False, by_staff=False)
REQUEST_INFO = Action("request_info", "Demander des informations", reason_required=True, by_staff=True)
ACCEPT = Action("accept", "Accepter", reason_required=False, by_staff=True)
REFUSE = Action("refuse", "Refuser", reason_required=True, by_staff=True)
SUSPEND = Action("suspend", "Suspendre", reason_required=True, by_staff=True)
REINSTATE = Action("reinstate", "Rétablir le référencement", reason_required=True, by_staff=True)
DELIST = Action("delist", "Déréférencer", reason_required=True, by_staff=True)

ACTIONS = {action.code: action for action in (SUBMIT, REQUEST_INFO, ACCEPT, REFUSE, SUSPEND, REINSTATE, DELIST)}

TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, "submit"): S.SUBMITTED,
    (S.INFO_REQUESTED, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "request_info"): S.INFO_REQUESTED,
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "refuse"): S.REFUSED,
    (S.ACCEPTED, "suspend"): S.SUSPENDED,
    (S.SUSPENDED, "reinstate"): S.ACCEPTED,
    (S.ACCEPTED, "delist"): S.DELISTED,
    (S.SUSPENDED, "delist"): S.DELISTED,
}

# The provider may change its application only in these states.
EDITABLE = frozenset({S.DRAFT, S.INFO_REQUESTED})
# Publicly referenced: shown in the directory, proposed to victims.
REFERENCED = frozenset({S.ACCEPTED})
# Still has a working space (its requests, its details to keep up to date), even while suspended.
ACTIVE = frozenset({S.ACCEPTED, S.SUSPENDED})


class TransitionError(UserError):
    pass


def next_status(status: str, action_code: str, reason: str = "") -> str:
    """The state reached by ``action_code`` from ``status``, or TransitionError with a French message."""
    action = ACTIONS.get(action_code)
    if action is None:
        raise TransitionError("Cette action n'existe pas.")
    target = TRANSITIONS.get((status, action_code))
    if target is None:
        raise TransitionError(f"Action « {action.label} » impossible : la candidature est « {S(status).label} ».")
    if action.reason_required and not reason.strip():
        raise TransitionError(f"Un motif est obligatoire pour « {action.label} ».")
    return target


def actions_from(status: str, *, staff: bool) -> list[Action]:
    return [ACTIONS[code] for (source, code) in TRANSITIONS if source == status and ACTIONS[code].by_staff == staff]
