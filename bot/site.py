"""The whole web app as `run` and `web` serve it: the public site and every page beside it.

`bot.web` builds the core app (results, health, security headers); the pages here import
from it, so they are composed in this one visible place rather than inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.routing import BaseRoute

from bot.public_documents import document_routes
from bot.public_history import history_routes
from bot.public_objections import objection_routes
from bot.public_site import public_routes
from bot.signature_page import signature_routes
from bot.web import create_web_app

if TYPE_CHECKING:
    from bot.app import App


def site_routes(app: App) -> list[BaseRoute]:
    """The public pages beside /results: items, plans, draws, history, objections,
    signatures and document verification."""
    return [
        *public_routes(app),
        *history_routes(app),
        *objection_routes(app),
        *signature_routes(app),
        *document_routes(app),
    ]


def create_site(app: App, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The web app with every public page and the platforms' callbacks (`extra_routes`)."""
    return create_web_app(app, extra_routes=[*site_routes(app), *extra_routes])
