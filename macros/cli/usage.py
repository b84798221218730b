"""The one error every command reports the same way: the command line was wrong."""
from __future__ import annotations


class UsageError(Exception):
    pass
