"""Choosing a player backend without importing libVLC until it is needed."""

from __future__ import annotations

from co_app.player.protocol import Player, PlayerFactory, PlayerUnavailable


def vlc_factory() -> Player:
    from co_app.player.vlc_backend import VlcPlayer

    return VlcPlayer()


def fake_factory() -> Player:
    from co_app.player.fake import FakePlayer

    return FakePlayer()


FACTORIES: dict[str, PlayerFactory] = {"vlc": vlc_factory, "fake": fake_factory}


def factory_for(name: str) -> PlayerFactory:
    try:
        return FACTORIES[name]
    except KeyError:
        raise PlayerUnavailable(f"unknown player backend {name!r}") from None
