"""The only layer that imports docker-py: connection, labels, specs, errors, resources,
inventory, streams and cleanup. Everything above it (widgets, exercises, kit) calls here."""
