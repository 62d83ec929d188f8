"""The engine boundary: the only code in dockerlab that imports docker-py.

``client`` (the Engine: docker-py's APIClient held by composition), ``names`` (the classroom
scope both ways and image references), ``streams`` (logs, events, stats), ``errors`` (one
root, one translation) and ``podman`` (every Podman difference).
"""
