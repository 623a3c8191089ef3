"""The referencing state machine, alone: every sequence of actions either moves along the table or is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyberaide.providers import workflow
from cyberaide.providers.enums import ProviderStatus as S

ACTION_CODES = sorted(workflow.ACTIONS) + ["delete", ""]


@given(st.lists(st.tuples(st.sampled_from(ACTION_CODES), st.sampled_from(["", "motif"])), max_size=30))
def test_any_sequence_of_actions_stays_within_the_table(steps):
    status = S.DRAFT
    for code, reason in steps:
        try:
            target = workflow.next_status(status, code, reason)
        except workflow.TransitionError as error:
            assert error.message  # always a French explanation
            continue
        assert (status, code) in workflow.TRANSITIONS
        assert workflow.TRANSITIONS[(status, code)] == target
        assert reason or not workflow.ACTIONS[code].reason_required
        status = target
    assert status in S.values


def test_refusing_requires_a_reason():
    with pytest.raises(workflow.TransitionError, match="motif est obligatoire"):
        workflow.next_status(S.SUBMITTED, "refuse", "  ")


def test_an_accepted_provider_cannot_be_accepted_again():
    with pytest.raises(workflow.TransitionError, match="impossible"):
        workflow.next_status(S.ACCEPTED, "accept")


def test_resubmission_after_a_request_for_information():
    status = workflow.next_status(S.SUBMITTED, "request_info", "Précisez votre zone")
    assert workflow.next_status(status, "submit") == S.SUBMITTED


def test_every_state_is_reachable_from_draft():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        current = frontier.pop()
        for (source, _), target in workflow.TRANSITIONS.items():
            if source == current and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S)


def test_staff_and_provider_actions_are_separate():
    assert [a.code for a in workflow.actions_from(S.DRAFT, staff=False)] == ["submit"]
    assert not workflow.actions_from(S.DRAFT, staff=True)
    assert {a.code for a in workflow.actions_from(S.SUBMITTED, staff=True)} == {"request_info", "accept", "refuse"}
