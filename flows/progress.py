"""A tiny hook so the CLI can draw a progress bar while a flow runs in-process."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[str, int, int], None]] = []


def subscribe(fn: Callable[[str, int, int], None]) -> None:
    _listeners.append(fn)


def unsubscribe(fn: Callable[[str, int, int], None]) -> None:
    if fn in _listeners:
        _listeners.remove(fn)


def advance(stage: str, done: int, total: int) -> None:
    for fn in list(_listeners):
        fn(stage, done, total)
