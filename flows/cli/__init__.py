"""The claimwatch command line."""

from __future__ import annotations


def main() -> None:
    from flows.cli.app import app

    app()
