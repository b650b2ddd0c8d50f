"""Statistics: one fold of stored events, persisted by a projection or streamed by a replay."""
