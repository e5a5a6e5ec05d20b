"""Command line: mask one text, scan a JSONL chat log, or benchmark the engine.

    python -m redaction "call me on 98765 43210"      # prints the masked text
    python -m redaction scan < in.jsonl > out.jsonl    # or --input/--output paths
    python -m redaction bench                          # throughput and latency figures

``scan`` reads one JSON object per line with ``text`` and optional ``id``,
``conversation``, ``sender`` and ``timestamp`` (seconds or ISO 8601), in file order as a live
chat would see them, and writes one line per input with the message's final state
(retroactive masking by later pieces included)::

    {"id": ..., "redacted": ..., "spans": [{"start": ..., "end": ..., "type": ...}]}

The whole input is validated before anything is written: a bad line is reported
with its number on stderr and the exit status is 1, so no line is ever dropped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any

from redaction.engine import Redactor
from redaction.merge import merge
from redaction.types import Context, Finding

#: Errors listed before ``scan`` gives up reading further.
MAX_ERRORS = 20


class InputError(ValueError):
    """A line of the input cannot be read as a message."""


@dataclass(slots=True)
class _Row:
    """One input message and its current output state."""

    id: Any
    text: str
    context: Context
    masked: str = ""
    findings: list[Finding] = field(default_factory=list)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "scan":
        return _scan(args[1:])
    if args and args[0] == "bench":
        from redaction.bench import main as bench

        return bench(args[1:])
    parser = argparse.ArgumentParser(
        prog="python -m redaction",
        description="Print TEXT with contact details masked. "
        "Subcommands: 'scan' (JSONL in, JSONL out) and 'bench'; add --help to either.",
    )
    parser.add_argument("text", nargs="+", help="the message (several words are joined by spaces)")
    options = parser.parse_args(args)
    sys.stdout.reconfigure(errors="backslashreplace")
    print(Redactor().redact(" ".join(options.text)).masked)
    return 0


def _scan(args: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m redaction scan",
        description="Redact a JSONL chat log in file order; one output line per input line.",
    )
    parser.add_argument("--input", "-i", help="JSONL file to read (default: stdin)")
    parser.add_argument("--output", "-o", help="JSONL file to write (default: stdout)")
    options = parser.parse_args(args)
    try:
        if options.input:
            with open(options.input, "rb") as stream:
                rows = read_rows(stream)
        else:
            rows = read_rows(sys.stdin.buffer)
    except OSError as error:
        print(f"scan: cannot read {options.input}: {error.strerror}", file=sys.stderr)
        return 1
    except InputError as error:
        print(f"scan: {error}", file=sys.stderr)
        return 1
    redact_rows(Redactor(), rows)
    try:
        if options.output:
            with open(options.output, "w", encoding="utf-8") as out:
                write_rows(rows, out)
        else:
            sys.stdout.reconfigure(encoding="utf-8")
            write_rows(rows, sys.stdout)
    except OSError as error:
        print(f"scan: cannot write {options.output}: {error.strerror}", file=sys.stderr)
        return 1
    return 0


def read_rows(stream: IO[bytes]) -> list[_Row]:
    """Parse every line; raise :class:`InputError` listing the bad ones by number."""
    rows: list[_Row] = []
    errors: list[str] = []
    for number, raw in enumerate(stream, 1):
        try:
            rows.append(_parse(number, raw))
        except InputError as error:
            errors.append(str(error))
            if len(errors) >= MAX_ERRORS:
                errors.append("(stopped reading after this many errors)")
                break
    if errors:
        raise InputError("bad input:\n  " + "\n  ".join(errors))
    return rows


def _parse(number: int, raw: bytes) -> _Row:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 ({error.reason} at byte {error.start})"
        raise InputError(f"line {number}: {reason}") from None
    if not line.strip():
        raise InputError(f"line {number}: empty line (expected a JSON object)")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        reason = f"invalid JSON: {error.msg} (column {error.colno})"
        raise InputError(f"line {number}: {reason}") from None
    if not isinstance(record, dict):
        raise InputError(f"line {number}: expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        problem = "missing" if text is None else f"a {type(record['text']).__name__}, not a string"
        raise InputError(f"line {number}: 'text' is {problem}")
    fields: dict[str, str | None] = {}
    for name in ("conversation", "sender"):
        value = record.get(name)
        if value is not None and not isinstance(value, str | int):
            raise InputError(f"line {number}: '{name}' must be a string or an integer")
        fields[name] = None if value is None else str(value)
    timestamp = _timestamp(number, record.get("timestamp"))
    context = Context(
        conversation=fields["conversation"],
        sender=fields["sender"],
        message_id=str(number),  # unique even when the input's ids are not
        timestamp=timestamp,
    )
    return _Row(record.get("id", number), text, context)


def _timestamp(number: int, value: Any) -> float | None:
    """Seconds since the epoch from a number or an ISO 8601 string (naive means UTC)."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            return moment.timestamp()
    raise InputError(f"line {number}: 'timestamp' must be seconds or an ISO 8601 date-time")


def redact_rows(redactor: Redactor, rows: list[_Row]) -> None:
    """Redact rows in order, applying retroactive masks to the rows they name."""
    by_message = {row.context.message_id: row for row in rows}
    for row in rows:
        result = redactor.redact(row.text, row.context)
        row.masked, row.findings = result.masked, list(result.findings)
        for retro in result.retro:
            earlier = by_message[retro.message_id]
            earlier.masked = retro.masked_text
            earlier.findings = merge([*earlier.findings, *retro.findings])


def write_rows(rows: list[_Row], out: IO[str]) -> None:
    for row in rows:
        record = {
            "id": row.id,
            "redacted": row.masked,
            "spans": [{"start": f.start, "end": f.end, "type": str(f.type)} for f in row.findings],
        }
        line = json.dumps(record, ensure_ascii=False)
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only an escaped form is valid UTF-8
            line = json.dumps(record)
        out.write(line + "\n")

