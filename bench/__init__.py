"""Benchmarks and the harness they share with the end-to-end tests.

``bench.servers`` starts real gateway processes (daphne) on a database and channel layer of
their own; ``bench.client`` is a gateway user as a browser or a script sees it (HTTP login,
then the chat WebSocket); ``bench.loadgen`` drives many such users and prints figures.
"""
