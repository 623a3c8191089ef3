"""The life of a conversation, driven at random through the real services and database: whatever agents and
victims do, the status follows the table, messages are numbered 1..n without gap or repeat, and nobody writes
where they may not."""

import uuid

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cyberaide.chat import lifecycle, services
from cyberaide.chat.lifecycle import Status
from cyberaide.chat.models import Conversation, Message
from cyberaide.core.errors import UserError

from .conftest import commune


def test_every_action_leads_from_its_sources_only():
    for action in lifecycle.ACTIONS.values():
        for status in Status:
            if status in action.sources:
                assert lifecycle.next_status(status, action.code) == action.target
            else:
                with pytest.raises(UserError):
                    lifecycle.next_status(status, action.code)


def test_nobody_writes_in_a_closed_conversation_and_agents_only_once_it_is_claimed():
    assert lifecycle.may_write(Status.WAITING, lifecycle.Author.VICTIM)
    assert not lifecycle.may_write(Status.WAITING, lifecycle.Author.AGENT)
    assert lifecycle.may_write(Status.ACTIVE, lifecycle.Author.AGENT)
    assert not any(lifecycle.may_write(Status.CLOSED, author) for author in lifecycle.Author)


@pytest.mark.django_db
def test_random_lives_of_a_conversation(make_result, make_agent):
    police = [make_agent(name="Policier A"), make_agent(name="Policier B")]
    result = make_result()

    class Conversations(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.conversation, _ = services.open_conversation(result=result, commune=commune("35000"))
            self.expected_status = Status.WAITING
            self.holder = None
            self.sent = 1  # the opening information message

        def refresh(self):
            self.conversation.refresh_from_db()
            return self.conversation

        @rule(agent=st.sampled_from([0, 1]))
        def claim(self, agent):
            try:
                services.claim(self.refresh(), agent=police[agent])
            except UserError:
                assert self.expected_status != Status.WAITING
            else:
                self.expected_status, self.holder = Status.ACTIVE, police[agent]
                self.sent += 1

        @rule(author=st.sampled_from(["victim", "agent0", "agent1"]), body=st.text(min_size=1, max_size=30))
        def write(self, author, body):
            agent = police[int(author[-1])] if author.startswith("agent") else None
            kind = "agent" if agent else "victim"
            allowed = lifecycle.may_write(self.expected_status, kind) and (agent is None or agent == self.holder)
            valid = bool(body.strip()) and not services.CONTROL_CHARACTERS.search(body.strip())
            try:
                services.post_message(self.refresh(), author=kind, agent=agent, body=body, client_id=uuid.uuid4())
            except UserError:
                assert not (allowed and valid)
            else:
                assert allowed and valid
                self.sent += 1

        @precondition(lambda self: self.holder is not None)
        @rule()
        def hand_to_colleague(self):
            other = police[1] if self.holder == police[0] else police[0]
            try:
                services.transfer_to_agent(self.refresh(), agent=self.holder, to_agent=other)
            except UserError:
                assert self.expected_status != Status.ACTIVE
            else:
                self.holder = other
                self.sent += 1

        @precondition(lambda self: self.holder is not None)
        @rule()
        def back_to_queue(self):
            try:
                services.transfer_to_queue(self.refresh(), agent=self.holder, force="police")
            except UserError:
                assert self.expected_status != Status.ACTIVE
            else:
                self.expected_status, self.holder = Status.WAITING, None
                self.sent += 1

        @rule(agent=st.sampled_from([0, 1]))
        def close(self, agent):
            try:
                services.close(self.refresh(), agent=police[agent], outcome="advice")
            except UserError:
                assert not (self.expected_status == Status.ACTIVE and self.holder == police[agent])
            else:
                self.expected_status = Status.CLOSED
                self.sent += 1

        @rule()
        def victim_leaves(self):
            try:
                services.leave(self.refresh())
            except UserError:
                assert self.expected_status == Status.CLOSED
            else:
                self.expected_status, self.sent = Status.CLOSED, self.sent + 1

        @invariant()
        def status_and_numbering_hold(self):
            conversation = self.refresh()
            assert conversation.status == self.expected_status
            seqs = list(Message.objects.filter(conversation=conversation).values_list("seq", flat=True))
            assert seqs == list(range(1, self.sent + 1)) == list(range(1, conversation.last_seq + 1))

        def teardown(self):
            Conversation.objects.filter(pk=self.conversation.pk).delete()

    runner = Conversations.TestCase()
    runner.settings = settings(
        max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)
    )
    runner.runTest()
