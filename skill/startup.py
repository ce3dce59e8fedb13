"""Start-up without the cyclic garbage collector.

Building the app makes 50,000 to 100,000 objects the collector tracks (Flask, the AWS and
Alexa models, the content), nearly all of which live as long as the worker. Collecting them
while they are being made costs about a tenth of start-up (some two hundred collections, a few
of them full ones); held, start-up spends about half that, in one full collection at the end.
A server's entry point calls ``hold_collection()`` before it imports ``skill.app``;
``create_app`` then collects once, moves what is left out of the collector's reach
(``gc.freeze``) and turns collection back on (``settle``).

This module imports nothing of the skill, so an entry point can call it first.
"""

from __future__ import annotations

import gc


def hold_collection() -> None:
    """No automatic collections until ``settle`` (call before importing ``skill.app``)."""
    gc.disable()


def settle() -> None:
    """Collect start-up's garbage once, keep what lives on out of later collections, and turn
    automatic collection on (whether or not it was held)."""
    gc.collect()
    gc.freeze()
    gc.enable()
