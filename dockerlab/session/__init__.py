"""Who owns what: the session's labels, the current lesson, and cleanup."""
