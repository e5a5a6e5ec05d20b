"""Small helpers the gateway tests share."""

from __future__ import annotations

import json

from channels.testing import WebsocketCommunicator


async def closed_with(socket: WebsocketCommunicator) -> tuple[dict | None, int]:
    """The ``error`` frame (if any) and the close code a refused socket received."""
    error = None
    output = await socket.receive_output()
    if output["type"] == "websocket.send":
        error = json.loads(output["text"])
        output = await socket.receive_output()
    assert output["type"] == "websocket.close", output
    return error, output["code"]


async def frames_until(socket: WebsocketCommunicator, frame_type: str) -> list[dict]:
    """Frames received up to and including the first of ``frame_type``."""
    received = []
    while True:
        frame = await socket.receive_json_from()
        received.append(frame)
        if frame["type"] == frame_type:
            return received
