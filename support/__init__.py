"""Live support chat: queue, agents, assignment, handover, notes and transcripts."""
