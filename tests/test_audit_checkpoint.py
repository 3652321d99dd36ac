"""A history cut short, emptied or rewritten without the key fails against a checkpoint."""

from __future__ import annotations

import argparse
import secrets

import pytest
from sqlalchemy import delete

from bot import cli_audit
from handlers.core.db import unit_of_work
from models import AuditEntry, AuditHead
from services.common import audit
from services.common.audit_files import AuditFiles, read_checkpoints
from services.common.errors import InvalidInput
from tests import audit_fixture as fx


async def _delete(app, where=True) -> None:  # type: ignore[no-untyped-def]
    async with unit_of_work(app.sessions) as session:
        await session.execute(delete(AuditEntry).where(where))
        await session.execute(delete(AuditHead))


async def test_truncation_with_the_head_row_fails_against_the_checkpoint(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 60)
    checkpoint = await fx.head(app)
    await _delete(app, AuditEntry.seq > 10)  # the last 50 entries and the head row
    report = await fx.verify(app, checkpoint)
    assert (report.broken_seq, report.reason, report.checked) == (11, "truncated", 10)


async def test_deleting_everything_fails_against_the_checkpoint(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 60)
    checkpoint = await fx.head(app)
    await _delete(app)
    report = await fx.verify(app, checkpoint)
    assert (report.broken_seq, report.reason, report.checked) == (1, "truncated", 0)


async def test_head_row_deleted_alone_is_named(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 3)
    async with unit_of_work(app.sessions) as session:
        await session.execute(delete(AuditHead))
    report = await fx.verify(app)
    assert (report.broken_seq, report.reason) == (4, "head")


async def test_whole_chain_recomputed_with_plain_sha256_differs_from_the_checkpoint(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 60)
    checkpoint = await fx.head(app)
    await fx.forge(app, 1, None)  # relabelled as an old unkeyed history, every link intact
    report = await fx.verify(app, checkpoint)
    assert (report.broken_seq, report.reason) == (60, "checkpoint")


@pytest.mark.parametrize(
    ("forger_key", "reason"),
    [(None, "downgraded"), (secrets.token_bytes(32), "altered")],
    ids=["plain-sha256", "wrong-key"],
)
async def test_recomputed_edit_is_named_at_the_entry(app, forger_key, reason) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 60)
    await fx.forge(app, 30, forger_key)
    report = await fx.verify(app)
    assert (report.broken_seq, report.reason) == (30, reason)


async def test_a_chain_that_grew_after_the_checkpoint_holds(app) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 5)
    checkpoint = await fx.head(app)
    await fx.write(app, 5)
    report = await fx.verify(app, checkpoint)
    assert report.ok
    assert (report.checked, report.keyed, report.checkpoint) == (10, 10, checkpoint)


def test_checkpoint_text_is_read_or_refused() -> None:
    digest = "ab" * 32
    assert audit.Checkpoint.parse(f" 12:{digest.upper()} ") == audit.Checkpoint(12, digest)
    with pytest.raises(InvalidInput) as refused:
        audit.Checkpoint.parse("12:abc")
    assert refused.value.key == "audit.bad_checkpoint"


def _args(command: str, checkpoint: str | None = None) -> argparse.Namespace:
    return argparse.Namespace(command="audit", audit_command=command, checkpoint=checkpoint)


async def test_cli_checkpoint_appends_and_prints_seq_hash_last(app, capsys) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 7)
    assert await cli_audit.run_audit(app, _args("checkpoint")) == 0
    head = await fx.head(app)
    assert capsys.readouterr().out.splitlines()[-1] == f"7:{head.hash}"
    recorded = read_checkpoints(AuditFiles.of(app.settings.data_dir).checkpoints)
    assert [(r.checkpoint, r.source, r.at) for r in recorded] == [(head, "cli", app.clock.now())]


async def test_cli_verify_holds_the_chain_to_the_checkpoint_file(app, capsys) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 60)
    assert await cli_audit.run_audit(app, _args("checkpoint")) == 0
    await _delete(app, AuditEntry.seq > 10)
    assert await cli_audit.run_audit(app, _args("verify")) == 1
    assert "broken at entry 11 (truncated)" in capsys.readouterr().out


async def test_cli_verify_holds_the_chain_to_a_given_checkpoint(app, capsys) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 60)
    given = str(await fx.head(app))  # as read out of the leaders' group chat
    await _delete(app)
    assert await cli_audit.run_audit(app, _args("verify", given)) == 1
    assert "broken at entry 1 (truncated)" in capsys.readouterr().out


async def test_cli_verify_without_any_checkpoint_says_so(app, capsys) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 3)
    assert await cli_audit.run_audit(app, _args("verify")) == 0
    assert "no checkpoint found" in capsys.readouterr().out


async def test_cli_checkpoint_of_a_broken_chain_records_nothing(app, capsys) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 5)
    await fx.forge(app, 3, secrets.token_bytes(32))
    assert await cli_audit.run_audit(app, _args("checkpoint")) == 1
    assert "no checkpoint taken" in capsys.readouterr().out
    assert read_checkpoints(AuditFiles.of(app.settings.data_dir).checkpoints) == []


async def test_cli_verify_of_a_grown_chain_names_the_checkpoint_it_held_to(app, capsys) -> None:
    app = await fx.keyed(app)
    await fx.write(app, 4)
    await cli_audit.run_audit(app, _args("checkpoint"))
    checkpoint = await fx.head(app)
    await fx.write(app, 4)
    capsys.readouterr()
    assert await cli_audit.run_audit(app, _args("verify")) == 0
    assert capsys.readouterr().out.splitlines()[-1] == str(checkpoint)
