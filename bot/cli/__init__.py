"""Command line tools (``python -m bot users ...``, ``python -m bot purge``)."""
