"""The optional local HTTP endpoint (SPEC §8): the bus's events as Server-Sent Events."""
