"""`jointcheck import results FILE`: results of checks done before JointCheck."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import App


async def run_import_results(app: App, args: argparse.Namespace) -> int:
    """Import a results file in one transaction; print the number imported last."""
    from handlers.core.db import unit_of_work
    from handlers.core.i18n import t
    from services.common.errors import DomainError
    from services.records import past

    path: Path = args.file
    try:
        async with unit_of_work(app.sessions) as session:
            count = await past.import_results(
                session, None, path, app.clock.now(), app.settings.import_limits()
            )
    except DomainError as exc:
        # A refusal is one sentence in both languages; the transaction wrote nothing.
        print(f"{t('zh', exc.key, **exc.params)} / {t('en', exc.key, **exc.params)}")
        return 1
    print(f"已导入 {count} 条以往检查结果 / {count} past results imported")
    print(count)
    return 0
