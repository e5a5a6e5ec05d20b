"""``python -m redaction``: one text, a JSONL scan with retroactive masks, bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from doubles import ALL

from redaction import Redactor
from redaction.cli import InputError, read_rows, redact_rows, write_rows

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = [
    {"id": "a1", "conversation": "c1", "sender": "u1", "text": "hi, call me on 98765 43210"},
    {"id": "a2", "conversation": "c1", "sender": "u2", "text": "Rs 45000 for 3 pages, ok?"},
    {"id": "a3", "conversation": "c1", "sender": "u1", "text": "mail id priya.k92"},
    {"id": "a4", "conversation": "c1", "sender": "u2", "text": "?"},
    {"id": "a5", "conversation": "c1", "sender": "u1", "text": "@gmail.com"},
    {"id": "a6", "text": "no conversation: a@b.in"},
]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "redaction", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )


def scan(lines: list[dict]) -> list[dict]:
    rows = read_rows(io.BytesIO("".join(json.dumps(r) + "\n" for r in lines).encode()))
    redact_rows(Redactor(detectors=ALL), rows)
    out = io.StringIO()
    write_rows(rows, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_scan_writes_the_final_state_of_every_message():
    """One line per input, in order; the earlier piece carries its retroactive mask."""
    out = scan(SAMPLE)
    assert [o["id"] for o in out] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    assert out[0]["redacted"] == "hi, call me on [phone removed]"
    assert out[0]["spans"] == [{"start": 15, "end": 26, "type": "phone"}]
    assert out[1]["spans"] == [] and out[1]["redacted"] == SAMPLE[1]["text"]
    assert out[2]["redacted"] == "mail id [email removed]"
    assert out[2]["spans"] == [{"start": 8, "end": 17, "type": "email"}]
    assert out[4]["spans"] == [{"start": 0, "end": 10, "type": "email"}]
    assert out[5]["redacted"] == "no conversation: [email removed]"


def test_scan_keeps_input_ids_even_when_repeated():
    """Output ids are the input ids, even duplicated ones, in input order."""
    out = scan([{"id": 7, "text": "98765 43210"}, {"id": 7, "text": "ok"}])
    assert [(o["id"], o["redacted"]) for o in out] == [(7, "[phone removed]"), (7, "ok")]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: invalid JSON"),
        ('["text"]', "line 2: expected a JSON object, got list"),
        ('{"id": 1}', "line 2: 'text' is missing"),
        ('{"text": 5}', "line 2: 'text' is a int, not a string"),
        ('{"text": "x", "sender": [1]}', "line 2: 'sender' must be a string or an integer"),
        ('{"text": "x", "timestamp": "now"}', "line 2: 'timestamp' must be seconds or an ISO"),
        ("", "line 2: empty line"),
    ],
)
def test_bad_lines_are_named_and_nothing_is_written(line, message):
    """Each kind of bad line is reported with its line number."""
    data = json.dumps({"text": "fine"}) + "\n" + line + "\n" + json.dumps({"text": "ok"}) + "\n"
    with pytest.raises(InputError, match=message):
        read_rows(io.BytesIO(data.encode()))


def test_invalid_utf8_is_reported():
    """Bytes that are not UTF-8 are an input error, not a crash."""
    with pytest.raises(InputError, match="line 1: not UTF-8"):
        read_rows(io.BytesIO(b'{"text": "\xff"}\n'))


def test_lone_surrogates_are_written_as_valid_json():
    """A JSON escape can carry a lone surrogate; the output must still be UTF-8 JSON."""
    out = scan([{"id": "s", "text": "\ud800 call 98765 43210"}])
    assert out[0]["redacted"] == "\ud800 call [phone removed]"


def test_cli_masks_one_text():
    """The text mode prints the masked message."""
    result = run("call me on 98765 43210 or priya.k92@gmail.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "call me on [phone removed] or [email removed]\n"


def test_cli_scan_reads_and_writes_files(tmp_path):
    """--input/--output work like stdin/stdout."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in SAMPLE), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = run("scan", "--input", str(source), "--output", str(target))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(out) == len(SAMPLE)
    assert out[2]["redacted"] == "mail id [email removed]"


def test_cli_scan_fails_clearly_on_bad_input():
    """A bad line: message on stderr, exit 1, no partial output."""
    result = run("scan", stdin='{"text": "ok"}\n{"id": 2}\n')
    assert result.returncode == 1
    assert "line 2: 'text' is missing" in result.stderr
    assert result.stdout == ""


def test_cli_scan_reports_a_missing_file(tmp_path):
    """An unreadable input file is a clear error with exit 1."""
    result = run("scan", "--input", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr


def test_cli_without_arguments_shows_usage():
    """No arguments: usage on stderr and exit 2."""
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_timestamps_may_be_seconds_or_iso_dates():
    """Pieces further apart than the window (600 s) are not joined, whatever the format."""
    moments = ["2024-06-01T10:00:00Z", "2024-06-01T10:20:00", 100, 160.5]
    lines = [
        {"id": i, "conversation": f"c{i // 2}", "sender": "u", "text": text, "timestamp": moment}
        for i, (text, moment) in enumerate(zip(["98765", "43210"] * 2, moments, strict=True))
    ]
    redacted = [o["redacted"] for o in scan(lines)]
    assert redacted == ["98765", "43210", "[phone removed]", "[phone removed]"]
