"""The window's store: the in-memory default, entries as plain data, and ``forget``."""

from __future__ import annotations

import json

import pytest

from redaction import Context, DetailType, Finding, Piece, Redactor, RedactorConfig
from redaction.normalize import normalise
from redaction.window import (
    Entry,
    SplitWindow,
    WindowKey,
    classify,
    entry_from_data,
    entry_to_data,
    findings_to_data,
)

KEY = ("c1", "u1")


def fragment_entry(message_id: str, text: str, timestamp: float = 100.0, findings=()) -> Entry:
    norm = normalise(text)
    return Entry(message_id, timestamp, classify(norm.text), norm, tuple(findings))


def prose_entry(message_id: str, timestamp: float = 100.0) -> Entry:
    return Entry(message_id, timestamp, None, None)


class JsonWindow:
    """A store that keeps nothing but JSON text, as an external store would."""

    def __init__(self) -> None:
        self.lists: dict[WindowKey, list[str]] = {}

    def recent(self, key: WindowKey, now: float) -> list[Entry]:
        return [entry_from_data(json.loads(item)) for item in self.lists.get(key, [])]

    def add(self, key: WindowKey, entry: Entry) -> None:
        self.lists.setdefault(key, []).append(json.dumps(entry_to_data(entry)))

    def amend(self, key: WindowKey, message_id: str, findings: tuple[Finding, ...]) -> None:
        items = self.lists.get(key, [])
        for i, data in enumerate(map(json.loads, items)):
            if data["id"] == message_id:
                items[i] = json.dumps({**data, "findings": findings_to_data(findings)})

    def forget(self, key: WindowKey, message_id: str) -> None:
        self.lists[key] = [e for e in self.lists.get(key, [])
                           if json.loads(e)["id"] != message_id]


def send(redactor: Redactor, text: str, message_id: str, at: float, sender: str = "u1"):
    return redactor.redact(text, Context("c1", sender, message_id, (), at))


# --- SplitWindow, the in-memory store ----------------------------------------------------------


def test_memory_store_keeps_the_last_messages_within_the_age_limit():
    window = SplitWindow(RedactorConfig(window_messages=3, window_seconds=60))
    for i in range(5):
        window.add(KEY, prose_entry(f"m{i}", 100.0 + i))
    # At most window_messages - 1 earlier entries are handed out: the current one completes it.
    assert [e.message_id for e in window.recent(KEY, 105.0)] == ["m3", "m4"]
    assert [e.message_id for e in window.recent(KEY, 163.5)] == ["m4"]
    assert window.recent(("c1", "u2"), 105.0) == []


def test_memory_store_amends_and_forgets_every_entry_of_one_message():
    """An edit is judged under its message's id, so one id may hold two entries."""
    window = SplitWindow(RedactorConfig())
    finding = Finding(0, 5, DetailType.PHONE, "phone", 0.9, frozenset({"split"}))
    for message_id in ("m1", "m2", "m1"):
        window.add(KEY, fragment_entry(message_id, "98765"))
    window.add(("c1", "u2"), fragment_entry("m1", "98765"))

    window.amend(KEY, "m1", (finding,))
    assert [e.findings for e in window.recent(KEY, 100.0)] == [(finding,), (), (finding,)]

    window.forget(KEY, "m1")
    assert [e.message_id for e in window.recent(KEY, 100.0)] == ["m2"]
    assert [e.message_id for e in window.recent(("c1", "u2"), 100.0)] == ["m1"]
    window.forget(("c9", "u9"), "m1")  # an unknown sender is nothing to forget


# --- Entries as plain data ---------------------------------------------------------------------


def test_a_fragment_entry_survives_json_with_its_text_and_findings():
    finding = Finding(4, 9, DetailType.PHONE, "phone", 0.875, frozenset({"split", "unicode"}),
                      (Piece("m0", 5, 10), Piece("m-1", 0, 3)))
    entry = fragment_entry("m1", "last ９８７６５", 1_700_000_000.123456, [finding])

    data = json.loads(json.dumps(entry_to_data(entry)))
    assert data["text"] == "last ９８７６５"
    assert entry_from_data(data) == entry  # norm and fragment rebuilt from the text


def test_a_prose_entry_keeps_no_text():
    entry = prose_entry("m1")
    data = entry_to_data(entry)
    assert data["text"] is None
    assert entry_from_data(json.loads(json.dumps(data))) == entry


def test_a_saved_text_that_is_no_longer_a_fragment_comes_back_as_prose():
    data = {"id": "m1", "ts": 1.0, "findings": [],
            "text": "thanks, the new homepage layout looks great, approving the milestone now"}
    entry = entry_from_data(data)
    assert (entry.fragment, entry.norm) == (None, None)


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"id": "m1", "ts": 1.0, "text": None},
        {"id": 7, "ts": 1.0, "text": None, "findings": []},
        {"id": "m1", "ts": "soon", "text": None, "findings": []},
        {"id": "m1", "ts": 1.0, "text": 98765, "findings": []},
        {"id": "m1", "ts": 1.0, "text": None, "findings": {}},
    ],
)
def test_malformed_data_is_a_clear_value_error(data):
    with pytest.raises(ValueError, match="malformed window entry"):
        entry_from_data(data)


@pytest.mark.parametrize(
    "finding",
    [
        [0, 5, "fax", "r", 0.9, [], []],
        [0, 5, "phone", "r", 0.9, "split", []],
        [0, 5, "phone"],
        [0, 5, "phone", "r", 0.9, [], [["m0"]]],
        ["zero", 5, "phone", "r", 0.9, [], []],
    ],
)
def test_a_malformed_finding_is_a_clear_value_error(finding):
    with pytest.raises(ValueError, match="malformed window entry"):
        entry_from_data({"id": "m1", "ts": 1.0, "text": None, "findings": [finding]})


# --- The engine with a store of the caller's ---------------------------------------------------


def test_a_split_number_is_joined_through_a_store_that_keeps_only_json():
    window = JsonWindow()
    redactor = Redactor(window=window)
    first = send(redactor, "call 98765", "m1", 1000.0)
    assert first.masked == "call 98765"
    second = send(redactor, "43210", "m2", 1001.0)

    assert second.masked == "[phone removed]"
    (retro,) = second.retro
    assert (retro.message_id, retro.masked_text) == ("m1", "call [phone removed]")
    # The amend reached the store: the first piece is recorded as used by the attempt.
    (stored, _) = window.recent(("c1", "u1"), 1002.0)
    assert [(f.start, f.end, "split" in f.disguises) for f in stored.findings] == [(5, 10, True)]


def test_a_forgotten_message_is_never_named_by_a_later_retro_mask():
    redactor = Redactor()
    send(redactor, "98765", "7", 1000.0)
    redactor.forget("c1", "u1", "7")  # withheld: "7" will be the next message's id

    result = send(redactor, "43210", "8", 1001.0)
    assert result.retro == ()
    assert result.masked == "43210"


def test_forgetting_one_sender_leaves_the_others_attempts():
    redactor = Redactor()
    send(redactor, "98765", "7", 1000.0, sender="u2")
    redactor.forget("c1", "u1", "7")

    result = send(redactor, "43210", "8", 1001.0, sender="u2")
    assert [r.message_id for r in result.retro] == ["7"]


def test_forget_needs_strings_like_the_context():
    with pytest.raises(TypeError, match="str conversation"):
        Redactor().forget("c1", 7, "m1")
