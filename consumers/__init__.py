"""Channels consumers: transport only, the rules live in :mod:`messaging`."""
