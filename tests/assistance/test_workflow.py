"""The assistance request state machine, alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cyberaide.assistance import workflow
from cyberaide.assistance.workflow import Actor, Status

STEPS = st.lists(
    st.tuples(st.sampled_from(sorted(workflow.ACTIONS) + ["cancel"]), st.sampled_from(list(Actor)), st.booleans()),
    max_size=25,
)


@given(STEPS)
def test_any_sequence_moves_only_along_the_table_and_by_the_right_actor(steps):
    status = Status.NEW
    history = [status]
    for code, actor, with_reason in steps:
        try:
            target = workflow.next_status(status, code, actor=actor, reason="motif" if with_reason else "")
        except workflow.TransitionError as error:
            assert error.message
            continue
        assert workflow.ACTIONS[code].actor == actor
        assert workflow.TRANSITIONS[(status, code)] == target
        status = target
        history.append(status)
    # Once final, nothing moves any more.
    for index, reached in enumerate(history):
        if reached in workflow.FINAL:
            assert index == len(history) - 1


def test_only_the_victim_rates_and_only_after_closing():
    with pytest.raises(workflow.TransitionError):
        workflow.next_status(Status.CLOSED, "rate", actor=Actor.PROVIDER)
    with pytest.raises(workflow.TransitionError):
        workflow.next_status(Status.IN_PROGRESS, "rate", actor=Actor.VICTIM)
    assert workflow.next_status(Status.CLOSED, "rate", actor=Actor.VICTIM) == Status.RATED


def test_declining_requires_a_reason():
    with pytest.raises(workflow.TransitionError, match="motif"):
        workflow.next_status(Status.NEW, "decline", actor=Actor.PROVIDER)
