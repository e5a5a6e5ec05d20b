"""The gateway's business rules as plain modules, callable without a socket.

``frames`` validates client frames, ``actions`` changes state inside transactions,
``serializers`` builds server frames, ``ratelimit`` throttles a socket, ``tickets``
signs WebSocket tickets, ``redactor`` holds the process-wide engine, ``policy`` decides
what happens to a redacted message, and ``views`` is the JSON API.
"""
