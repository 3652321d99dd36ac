"""The signature page: GET/POST /sign/TOKEN, opened from a one-time link on a phone.

The signer reads the on-site record and signs with a finger (or refuses, with a reason).
The POST is refused from another site: the browser's Origin (or Referer) must be this
site, and the form carries a token bound to both the link and a SameSite=Strict cookie
(HMAC of the link's token under the cookie's random nonce), so that a form of one link
cannot post to another. The drawing arrives as a PNG data URL (or a file), read within a
limit before it is parsed. The page's policy lets only our own script run; the link's
token is in the path, so the page sends no referrer to other sites and is never cached.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Message

from bot import signature_render as render
from bot.app import App
from bot.bodies import BodyRefused, read_body
from bot.web import SECURITY_HEADERS
from handlers.core.db import unit_of_work
from handlers.core.i18n import t
from services.common.errors import Conflict, DomainError, InvalidInput, NotFound
from services.records import signature_links, signatures
from services.records.signature_png import MAX_SIGNATURE_BYTES

COOKIE = "jc_sign"
FORM_OVERHEAD = 64 * 1024  # the text fields and the multipart framing around the drawing
BODY_LIMIT = MAX_SIGNATURE_BYTES * 4 // 3 + FORM_OVERHEAD  # the drawing, base64-encoded
DATA_URL = "data:image/png;base64,"
SIGN_PAGE_CSP = (
    SECURITY_HEADERS["Content-Security-Policy"] + "; script-src 'self'; img-src 'self' data:"
)
SIGN_HEADERS = {"Content-Security-Policy": SIGN_PAGE_CSP, "Referrer-Policy": "same-origin"}
# Refusals that end the link's page: nothing of the record is shown again.
LINK_KEYS = {
    "sign.link_unknown",
    "sign.link_used",
    "sign.link_expired",
    "sign.link_closed",
    "sign.slot_taken",
    "sign.signed_on_paper",
}
_SHA = re.compile(r"[0-9a-f]{64}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def form_token(nonce: str, token: str) -> str:
    """The form's token: the link's token under the cookie's nonce."""
    return hmac.new(nonce.encode(), token.encode(), hashlib.sha256).hexdigest()


def _same_origin(request: Request) -> bool:
    """The browser's Origin (or, without one, its Referer) names this host, or is absent."""
    sent = request.headers.get("origin") or request.headers.get("referer")
    if sent is None:
        return True  # not a browser: the form token still has to match
    # The host alone: behind a proxy that ends TLS the request itself may read as http.
    return sent != "null" and urlsplit(sent).netloc == urlsplit(str(request.url)).netloc


def _status(exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if exc.key in ("sign.link_used", "sign.link_expired"):
        return 410
    if isinstance(exc, Conflict):
        return 409
    return 413 if exc.key == "evidence.too_big" else 400


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=SIGN_HEADERS)


def _refused(exc: DomainError) -> HTMLResponse:
    return _html(render.refused_page(t("zh", exc.key, **exc.params)), _status(exc))


async def _parse(request: Request, body: bytes) -> FormData:
    """The form of a body already read (within the limit), parsed once."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    replay = Request(request.scope, receive)
    return await replay.form(max_files=1, max_fields=8, max_part_size=BODY_LIMIT)


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def drawing(form: FormData) -> bytes:
    """The drawn PNG: a data URL in the `signature` field, or a file sent as it."""
    value = form.get("signature")
    if isinstance(value, UploadFile):
        return await value.read()
    if not isinstance(value, str) or not value.startswith(DATA_URL):
        raise InvalidInput("sign.png_blank" if not value else "sign.png_unreadable")
    try:
        return base64.b64decode(value[len(DATA_URL) :], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("sign.png_unreadable") from None


def signature_routes(app: App) -> list[BaseRoute]:
    """The routes of /sign/TOKEN (GET the page, POST a signature or a refusal)."""
    files_dir = app.settings.data_dir

    async def show_page(request: Request, token: str, nonce: str, error: str = "") -> Response:
        try:
            async with unit_of_work(app.sessions, write=False) as session:
                view = await signature_links.page(session, token, app.clock.now())
        except DomainError as exc:
            return _refused(exc)
        html = render.sign_page(view, token, form_token(nonce, token), error=error)
        response = _html(html, 400 if error else 200)
        response.set_cookie(
            COOKIE,
            nonce,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path=f"/sign/{token}",
        )
        return response

    def nonce_of(request: Request) -> str:
        kept = request.cookies.get(COOKIE, "")
        return kept if _NONCE.fullmatch(kept) else secrets.token_urlsafe(24)

    async def show(request: Request) -> Response:
        token = str(request.path_params["token"])
        return await show_page(request, token, nonce_of(request))

    async def submit(request: Request) -> Response:
        token = str(request.path_params["token"])
        if not _same_origin(request):
            return _html(render.refused_page("请在签字页面上提交签名。"), 403)
        try:
            body = await read_body(request, BODY_LIMIT)
            form = await _parse(request, body)
        except BodyRefused as refused:
            sentence = "提交的内容过大，请清除签名后重新签写。"
            return _html(render.refused_page(sentence), refused.status)
        except (HTTPException, MultiPartException):
            return _html(render.refused_page("无法读取提交的内容，请重新打开签字链接。"), 400)
        nonce = request.cookies.get(COOKIE, "")
        try:
            sent = _text(form, "csrf")
            if not _NONCE.fullmatch(nonce) or not hmac.compare_digest(
                sent, form_token(nonce, token)
            ):
                sentence = "页面已过期，请重新打开签字链接后再提交。"
                return _html(render.refused_page(sentence), 403)
            action, content = _text(form, "action"), _text(form, "content")
            if action not in ("sign", "refuse") or _SHA.fullmatch(content) is None:
                return _html(render.refused_page("无法读取提交的内容，请重新打开签字链接。"), 400)
            now = app.clock.now()
            async with unit_of_work(app.sessions) as session:
                if action == "sign":
                    png = await drawing(form)
                    done = await signatures.sign(
                        session, token, png, now, files_dir, expected_sha256=content
                    )
                else:
                    reason = _text(form, "reason")
                    done = await signatures.refuse(
                        session, token, reason, now, expected_sha256=content
                    )
        except DomainError as exc:
            if exc.key in LINK_KEYS:
                return _refused(exc)
            return await show_page(request, token, nonce, t("zh", exc.key, **exc.params))
        finally:
            await form.close()
        # The cookie stays: a form sent again is told that its link was used.
        return _html(render.thanks_page(done))

    return [
        Route("/sign/{token}", show, methods=["GET"]),
        Route("/sign/{token}", submit, methods=["POST"]),
    ]
