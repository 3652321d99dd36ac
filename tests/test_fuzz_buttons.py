"""Property test of callback data: any button a client can forge gets a polite reply.

Buttons carry ids and choices back from the phone, where anyone can rewrite them. For
every button kind and flow the router knows, forged data (odd digits, huge numbers, any
text) is answered without an internal error, and changes no row.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import tests.hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from bot.app import build_app, build_router
from services.common.clock import ManualClock
from services.common.numbers import read_int
from tests.helpers import console_account, load_demo, row_counts, say, texts

ROUTER = build_router()
PREFIXES = sorted(ROUTER.buttons) + [f"f:{name}" for name in sorted(ROUTER.flows)]
WEIRD = ["²", "٣", "９", "-1", "+1", "0", "", "9" * 400, "1e3", "\x00", "\ud800", "🙂", ":"]
# Arguments that name no real object, so that no real action can happen by chance and
# "changes no row" is a fair expectation.
ARG = st.one_of(st.sampled_from(WEIRD), st.text(max_size=12)).filter(
    lambda a: read_int(a, 1, 10**6) is None
)
DATA = st.builds(
    lambda prefix, args: ":".join([prefix, *args])[:64],
    st.sampled_from(PREFIXES),
    st.lists(ARG, min_size=1, max_size=3),
)


def test_forged_button_data_is_answered_politely(
    db_url: str,
    settings_for,  # type: ignore[no-untyped-def]
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    loop = asyncio.new_event_loop()
    app = loop.run_until_complete(build_app(settings_for(db_url), clock=clock))
    try:
        loop.run_until_complete(load_demo(app))
        for login in ("coord", "insp01", "leader", "admin"):
            loop.run_until_complete(console_account(app, login))
        before = loop.run_until_complete(row_counts(app))

        def pressed(login: str, data: str) -> None:
            replies = loop.run_until_complete(say(app, login, button=data))
            assert "内部错误" not in texts(replies), (login, data)

        # Every kind with each odd value in each of the first two places, then random data.
        for prefix in PREFIXES:
            for value in WEIRD:
                pressed("coord", f"{prefix}:{value}"[:64])
                pressed("insp01", f"{prefix}:x:{value}"[:64])
                pressed("insp01", f"{prefix}:{value}:1"[:64])

        @given(st.sampled_from(["coord", "insp01", "leader", "admin"]), DATA)
        def press(login: str, data: str) -> None:
            pressed(login, data)

        press()
        after = loop.run_until_complete(row_counts(app))
        ignored = {"audit_log", "conversation_states"}
        assert {k: v for k, v in after.items() if k not in ignored} == {
            k: v for k, v in before.items() if k not in ignored
        }
    finally:
        loop.run_until_complete(app.aclose())
        loop.close()
