"""The strike policy inside a group commit: a batch of sends leaves exactly the rows,
decisions and notifications that the same sends leave one by one.

Each test sends one script twice, through the gateway's real action and engine: one send
per transaction in one conversation, then all of it as one batch in a second conversation
between two other users (same roles), and compares everything moderation wrote for each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging import actions
from messaging.errors import GatewayError, Suspended
from models import (
    AuditLog,
    Case,
    Conversation,
    Fingerprint,
    Message,
    MessageOriginal,
    Role,
    Strike,
    Suspension,
    User,
    Violation,
)
from moderation.notify import FEED_GROUP
from moderation.policy import StrikePolicy
from tests.moderation.conftest import EMAIL, PHONE, SPELLED

#: (sender: 0 the freelancer, 1 the client; text[, client_id]), by default s<place>
Script = list[tuple]


def _frames(frames: tuple[dict, ...]) -> list[dict]:
    keep = ("type", "seq", "text", "detail", "code", "types", "action")
    return [{key: frame[key] for key in keep if key in frame} for frame in frames]


def _outcome(outcome: actions.Outcome | GatewayError) -> object:
    if isinstance(outcome, GatewayError):
        return type(outcome).__name__
    return _frames(outcome.broadcast), _frames(outcome.reply)


def _snapshot(people: list[User], conversation: Conversation) -> dict:
    """What moderation and the gateway stored for these people, ids replaced by roles."""
    role = {person.pk: index for index, person in enumerate(people)}
    seqs = dict(Message.objects.filter(conversation=conversation).values_list("pk", "seq"))
    cases = list(Case.objects.filter(conversation=conversation).order_by("pk"))
    case_index = {case.pk: index for index, case in enumerate(cases)}
    violations = Violation.objects.filter(conversation=conversation).order_by("pk")
    return {
        "messages": [
            (seq, role[sender], text, redacted)
            for seq, sender, text, redacted in Message.objects.filter(conversation=conversation)
            .order_by("seq").values_list("seq", "sender_id", "text", "redacted")
        ],
        "originals": [
            (seqs[o.message_id], o.reason, o.text.reveal(), o.detail_types)
            for o in MessageOriginal.objects.filter(message__conversation=conversation)
            .order_by("pk")
        ],
        "violations": [
            (
                role[v.user_id], v.kinds, v.disguised, v.action, v.matched.reveal(),
                seqs.get(v.message_id), sorted(v.messages.values_list("seq", flat=True)),
                v.hold_state, case_index[v.case_id],
                sorted(v.fingerprints.values_list("kind", "digest")),
                [(s.points, s.expires_at - s.created_at)
                 for s in Strike.objects.filter(violation=v)],
            )
            for v in violations
        ],
        "fingerprints": Fingerprint.objects.filter(violation__conversation=conversation).count(),
        "cases": [
            (role[c.user_id], c.status, c.severity, c.flagged_at is not None) for c in cases
        ],
        "audit": [
            (a.action, role[a.subject_id], case_index.get(a.case_id), a.reason, a.data)
            for a in AuditLog.objects.filter(subject__in=people).order_by("pk")
        ],
        "suspensions": [
            (role[s.user_id], case_index.get(s.case_id), s.automatic, s.reason)
            for s in Suspension.objects.filter(user__in=people).order_by("pk")
        ],
        "suspended": [User.objects.get(pk=person.pk).is_suspended for person in people],
    }


def _notifications(callbacks: list[Callable], people: list[User]) -> list[tuple]:
    """The pushes registered for after the commit, in order, ids replaced by roles."""
    from consumers.chat import user_group

    groups = {user_group(person.pk): index for index, person in enumerate(people)}
    groups[FEED_GROUP] = "feed"
    role_of = {person.pk: index for index, person in enumerate(people)}
    pushed = []
    for callback in callbacks:
        group, event = callback.args
        frame = event.get("frame", {})
        case = frame.get("case")
        pushed.append((
            groups[group], event["type"], frame.get("type"),
            None if case is None else (
                role_of[case["user"]["id"]], case["status"], case["severity"],
                case["flagged_at"] is not None,
            ),
        ))
    return pushed


@pytest.fixture
def twins(make_user, make_conversation) -> Callable[[], tuple[list[User], Conversation]]:
    """A freelancer and a client with a project conversation of their own, each call."""
    made = iter(range(100))

    def make() -> tuple[list[User], Conversation]:
        number = next(made)
        people = [make_user(f"free{number}", Role.FREELANCER),
                  make_user(f"client{number}", Role.CLIENT)]
        return people, make_conversation(*people)

    return make


def _requests(
    script: Script, people: list[User], conversation: Conversation
) -> list[actions.SendRequest]:
    return [
        actions.SendRequest(people[sender], conversation.pk, (*rest, f"s{number}")[0], text)
        for number, (sender, text, *rest) in enumerate(script)
    ]


def _one_by_one(script: Script, people: list[User], conversation: Conversation) -> list:
    outcomes = []
    for request in _requests(script, people, conversation):
        try:
            outcomes.append(actions.send_message(
                request.user, request.conversation_id, request.client_id, request.text
            ))
        except GatewayError as error:
            outcomes.append(error)
    return outcomes


def _batched(script: Script, people: list[User], conversation: Conversation) -> list:
    return actions.send_messages(_requests(script, people, conversation))


def _run(script: Script, twins, capture) -> tuple[list, dict, list, list, dict, list]:
    """The script one by one, then as one batch: outcomes, rows and pushes of each."""
    runs = []
    for send in (_one_by_one, _batched):
        people, conversation = twins()
        with capture(execute=False) as callbacks:
            outcomes = send(script, people, conversation)
        runs += [
            [_outcome(outcome) for outcome in outcomes],
            _snapshot(people, conversation),
            _notifications(callbacks, people),
        ]
    return tuple(runs)


class UnbatchedStrikePolicy:
    """The strike policy asked one decision at a time, as a policy without ``begin`` is."""

    def decide(self, redacted):
        return StrikePolicy().decide(redacted)


@pytest.mark.parametrize("policy", ["moderation.policy.StrikePolicy", "unbatched"])
def test_one_sender_crossing_flag_and_suspend_inside_one_batch(
    twins, django_capture_on_commit_callbacks, settings, policy
):
    if policy == "unbatched":
        settings.GATEWAY_POLICY = f"{__name__}.UnbatchedStrikePolicy"
    script: Script = [
        (0, PHONE), (0, "hello"), (1, "hi there"), (0, EMAIL), (0, "still here"),
        (0, PHONE), (0, "anyone?"), (1, "yes"), (0, SPELLED),
    ]
    single, single_rows, single_pushes, batch, batch_rows, batch_pushes = _run(
        script, twins, django_capture_on_commit_callbacks
    )
    assert batch == single
    assert batch_rows == single_rows
    assert batch_pushes == single_pushes
    # What that is: a strike each, flagged at two points, suspended at three, and the
    # sender's later sends in the same batch refused; the client's go through.
    warnings = [batch[place][1][1]["detail"] for place in (0, 3, 5)]
    assert "2 strikes left" in warnings[0]
    assert "1 strike left" in warnings[1]
    assert "suspended until a moderator reviews it" in warnings[2]
    assert batch[6] == Suspended.__name__ and batch[8] == Suspended.__name__
    assert batch[7][0][0]["text"] == "yes"
    assert [v[0] for v in batch_rows["violations"]] == [0, 0, 0]
    assert batch_rows["cases"] == [(0, "open", 3, True)]
    assert [a[0] for a in batch_rows["audit"]] == ["flag", "suspend"]
    assert batch_rows["suspended"] == [True, False]
    assert batch_pushes == [
        ("feed", "feed.frame", "case.flagged", (0, "open", 2, True)),
        ("feed", "feed.frame", "case.updated", (0, "open", 3, True)),
        (0, "user.disconnect", "suspended", None),
    ]


def test_two_senders_in_one_batch(twins, django_capture_on_commit_callbacks):
    script: Script = [
        (0, PHONE), (1, EMAIL), (0, "ok"), (1, PHONE), (0, EMAIL), (1, "fine"),
        (1, "reach me on +91 98765 43210"), (0, "bye"),
    ]
    single, single_rows, single_pushes, batch, batch_rows, batch_pushes = _run(
        script, twins, django_capture_on_commit_callbacks
    )
    assert batch == single
    assert batch_rows == single_rows
    assert batch_pushes == single_pushes
    assert [case[:3] for case in batch_rows["cases"]] == [(0, "open", 2), (1, "open", 3)]
    assert batch_rows["suspended"] == [False, True]
    assert batch[7][0][0]["text"] == "bye"


def test_a_batch_writes_each_moderation_table_once(twins):
    """Four masked messages of two senders: one INSERT per table, one case UPDATE."""
    people, conversation = twins()
    script: Script = [(0, PHONE), (1, EMAIL), (0, "ok"), (1, PHONE), (0, EMAIL)]
    with CaptureQueriesContext(connection) as queries:
        _batched(script, people, conversation)
    statements = [query["sql"].split(" ", 3)[:3] for query in queries.captured_queries]
    for table in ("violation", "violation_messages", "fingerprint", "strike", "messageoriginal"):
        assert statements.count(["INSERT", "INTO", f'"gateway_{table}"']) == 1, table
    assert statements.count(["UPDATE", '"gateway_case"', "SET"]) == 1


def test_split_attempts_and_withheld_resends_in_one_batch(
    twins, django_capture_on_commit_callbacks, settings
):
    """Retro masks read the originals held earlier in the batch; a withheld send resent
    under its client_id in the same batch is the same attempt."""
    settings.MODERATION_RULES = {
        **settings.MODERATION_RULES,
        "project": {"strikes": True, "actions": {"phone": "block", "email": "hold"}},
    }
    script: Script = [
        (0, EMAIL, "held"), (0, "my number is 98765"), (0, "43210 call me"),
        (1, PHONE, "blocked"), (1, "hello"), (1, PHONE, "blocked"), (0, EMAIL, "held"),
        (1, "reach me on +91 98765 43210"),
    ]
    single, single_rows, single_pushes, batch, batch_rows, batch_pushes = _run(
        script, twins, django_capture_on_commit_callbacks
    )
    assert batch == single
    assert batch_rows == single_rows
    assert batch_pushes == single_pushes
    assert [v[3] for v in batch_rows["violations"]] == ["hold", "mask", "block", "block"]
    assert [o[1] for o in batch_rows["originals"]] == ["send", "retro"]  # none for withheld


@pytest.mark.parametrize("batched", [False, True], ids=["one by one", "one batch"])
def test_a_pattern_across_conversations_inside_one_batch(
    make_user, make_conversation, freelancer, django_capture_on_commit_callbacks, batched
):
    """The same number into two conversations raises the second case's severity, as of
    each violation: the feed frames carry the severity each case had at that point."""
    first = make_conversation(freelancer, make_user("cleo", Role.CLIENT))
    second = make_conversation(freelancer, make_user("cody", Role.CLIENT))
    requests = [
        actions.SendRequest(freelancer, first.pk, "a", PHONE),
        actions.SendRequest(freelancer, second.pk, "b", "reach me on +91 98765 43210"),
        actions.SendRequest(freelancer, first.pk, "c", EMAIL),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if batched:
            actions.send_messages(requests)
        else:
            for request in requests:
                actions.send_messages([request])
    feed = [
        (event["frame"]["type"], event["frame"]["case"]["conversation"],
         event["frame"]["case"]["severity"])
        for group, event in (callback.args for callback in callbacks) if group == FEED_GROUP
    ]
    assert feed == [("case.flagged", second.pk, 3), ("case.flagged", first.pk, 3)]
    assert sorted(Case.objects.values_list("conversation_id", "severity")) == sorted(
        [(first.pk, 3), (second.pk, 3)]
    )
    assert User.objects.get(pk=freelancer.pk).is_suspended


def test_a_strike_expiring_in_the_middle_of_a_batch_stops_counting_there(
    freelancer, project, clock, monkeypatch, frame_of
):
    """The batch's memo of active points is only good until the first of them expires."""
    actions.send_message(freelancer, project.pk, "old", PHONE)
    clock(timedelta(days=30, seconds=-1.5))
    next_seq = actions._next_seq

    def one_second_per_send(conversation):
        clock(timedelta(seconds=1))
        return next_seq(conversation)

    monkeypatch.setattr(actions, "_next_seq", one_second_per_send)
    before, after = actions.send_messages([
        actions.SendRequest(freelancer, project.pk, "a", EMAIL),  # the old strike counts
        actions.SendRequest(freelancer, project.pk, "b", PHONE),  # it has expired
    ])
    assert "1 strike left" in frame_of(before, "warning")["detail"]
    assert "1 strike left" in frame_of(after, "warning")["detail"]
    assert not User.objects.get(pk=freelancer.pk).is_suspended
    assert Strike.objects.count() == 3
