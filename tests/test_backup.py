"""`jointcheck backup` / `restore`: a consistent copy while the bot writes, every hash held."""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import cli_backup
from bot.app import build_app
from bot.backup import create_backup
from bot.backup_format import BackupRefused
from bot.backup_schedule import JOB_ID, add_backup_job, prune, run_scheduled_backup, trigger
from bot.restore import restore
from services.common.audit_files import create_key
from services.common.clock import ManualClock
from tests import backup_fixture as fx
from tests.conftest import START
from tests.helpers import row_counts

WRITTEN = ("invite_codes", "audit_log", "audit_head")  # the tables the writer adds to


async def test_a_backup_taken_while_records_are_written_restores_that_moment(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = await fx.source(tmp_path / "src", clock)
    try:
        base = await row_counts(app)
        writer = fx.Writer(app)
        task = asyncio.create_task(writer.run())
        await writer.going.wait()  # a few commits made: surely writing before the backup
        before = writer.committed
        meter = fx.HoldAfterSnapshot(writer)
        written = await create_backup(
            app.settings, tmp_path / "b.tar.gz", now=clock.now(), meter=meter
        )
        writer.stopped = True
        await task
        source_after = await row_counts(app)
    finally:
        await app.aclose()
    assert meter.waited and meter.at_snapshot is not None

    target = fx.settings(tmp_path / "dst")
    done = await restore(target, written.path, key_file=app.settings.audit_files().key)
    assert done.ok, (done.rows_differ, done.report, done.problem)
    restored_app = await build_app(target, clock=clock)
    try:
        restored = await row_counts(restored_app)
    finally:
        await restored_app.aclose()

    # The copy is one moment of the writer's run: between the backup's start and the end
    # of the database copy (+1: a commit done but not yet counted by the writer).
    taken = restored["invite_codes"] - base["invite_codes"]
    assert before <= taken <= meter.at_snapshot + 1
    # ... and only that moment: the commits made while the archive was written are not in it.
    assert source_after["invite_codes"] - base["invite_codes"] == writer.committed > taken
    # Every transaction whole: each invite with its audit entry, the head row on the last.
    assert restored["audit_log"] == base["audit_log"] + taken
    assert done.report is not None
    assert done.report.checked == restored["audit_log"] and done.report.keyed
    assert done.report.checkpoint is not None  # held to the restored checkpoint file
    # The same counts as the backup's moment, in every table, and as its manifest says.
    assert {t: n for t, n in restored.items() if t not in WRITTEN} == {
        t: n for t, n in source_after.items() if t not in WRITTEN
    }
    assert {t: written.manifest["rows"][t] for t in restored} == restored
    # The files as they were.
    evidence = next((tmp_path / "dst" / "evidence").rglob("ab0*"))
    assert evidence.read_bytes() == fx.EVIDENCE
    assert (tmp_path / "dst" / "uploads" / "企业名录.csv").is_file()


async def test_the_archive_holds_a_manifest_of_every_file_and_never_the_audit_key(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = await fx.source(tmp_path / "src", clock)
    key = app.settings.audit_files().key.read_bytes()
    await app.aclose()
    code = await cli_backup.run(["backup", str(tmp_path / "b.tar.gz")], app.settings)
    assert code == 0
    content = fx.members(tmp_path / "b.tar.gz")
    manifest = fx.manifest(tmp_path / "b.tar.gz")
    assert manifest["format"] == "jointcheck-backup" and manifest["version"] == 1
    assert manifest["database"] == "sqlite" and manifest["schema_revision"]
    assert str(manifest["created_at"]).endswith("+00:00")
    listed = {e["path"]: e for e in manifest["files"]}  # type: ignore[attr-defined]
    assert set(listed) | {"manifest.json"} == set(content)
    assert set(listed) == {
        "database.sqlite3",
        "checkpoints.txt",
        "files/evidence/ab/ab" + "0" * 62,
        "files/uploads/企业名录.csv",
    }  # no key, no log, no -wal/-shm
    for path, entry in listed.items():
        assert entry["size"] == len(content[path])
        assert entry["sha256"] == hashlib.sha256(content[path]).hexdigest()
    assert all(key.strip() not in data for data in content.values())


async def test_backup_prints_the_archive_path_last_and_plain_progress_off_a_terminal(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    app = await fx.source(tmp_path / "src", clock)
    await app.aclose()
    assert await cli_backup.run(["backup"], app.settings) == 0
    out, err = capsys.readouterr()
    last = Path(out.strip().splitlines()[-1])
    assert list(app.settings.backup_dir.iterdir()) == [last]
    assert "备份 / backup: 4/4 files" in err  # captured: not a terminal, so plain lines


async def _archive(tmp_path: Path, clock: ManualClock) -> tuple[Path, Path]:
    app = await fx.source(tmp_path / "src", clock)
    await app.aclose()
    written = await create_backup(app.settings, tmp_path / "b.tar.gz", now=clock.now())
    return written.path, app.settings.audit_files().key


async def _restore(tmp_path: Path, archive: Path, *extra: str) -> int:
    return await cli_backup.run(["restore", str(archive), *extra], fx.settings(tmp_path / "dst"))


async def test_an_altered_file_is_refused_naming_it_and_nothing_is_restored(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, key = await _archive(tmp_path, clock)
    name = "files/evidence/ab/ab" + "0" * 62

    def alter(content: dict[str, bytes]) -> None:
        content[name] = content[name][:-1] + b"\x00"  # same size, one byte changed

    damaged = fx.rewrite(archive, tmp_path / "damaged.tar.gz", alter)
    assert await _restore(tmp_path, damaged, "--audit-key", str(key)) == 1
    err = capsys.readouterr().err
    assert str(damaged) in err and name in err and "SHA-256" in err
    assert "Traceback" not in err
    assert list((tmp_path / "dst").iterdir()) == []


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda c: c.pop("manifest.json"), "no manifest.json"),
        (lambda c: c.update({"manifest.json": b"{not json"}), "not a JointCheck manifest"),
        (lambda c: c.pop("checkpoints.txt"), "checkpoints.txt is listed in the manifest"),
        (lambda c: c.update({"files/extra.txt": b"x"}), "files/extra.txt is not listed"),
        (
            lambda c: c.update(
                {"manifest.json": c["manifest.json"].replace(b'"sqlite"', b'"postgresql"')}
            ),
            "not a JointCheck manifest",  # a database in a PostgreSQL backup
        ),
    ],
)
async def test_a_damaged_manifest_or_member_list_is_refused(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str], change, said
) -> None:  # type: ignore[no-untyped-def]
    archive, key = await _archive(tmp_path, clock)
    damaged = fx.rewrite(archive, tmp_path / "damaged.tar.gz", change)
    assert await _restore(tmp_path, damaged, "--audit-key", str(key)) == 1
    err = capsys.readouterr().err
    assert said in err and str(damaged) in err
    assert list((tmp_path / "dst").iterdir()) == []


async def test_a_cut_off_archive_is_refused_naming_it(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, key = await _archive(tmp_path, clock)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert await _restore(tmp_path, cut, "--audit-key", str(key)) == 1
    err = capsys.readouterr().err
    assert f"the backup {cut} is damaged" in err and "Traceback" not in err
    assert list((tmp_path / "dst").iterdir()) == []


async def test_a_member_climbing_out_of_the_data_directory_is_refused(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, key = await _archive(tmp_path, clock)
    evil = "files/../../evil.txt"

    def climb(content: dict[str, bytes]) -> None:
        manifest = json.loads(content.pop("manifest.json"))
        content[evil] = b"owned"
        manifest["files"].append(
            {"path": evil, "size": 5, "sha256": hashlib.sha256(b"owned").hexdigest()}
        )
        content["manifest.json"] = json.dumps(manifest).encode()

    bad = fx.rewrite(archive, tmp_path / "bad.tar.gz", climb)
    assert await _restore(tmp_path, bad, "--audit-key", str(key)) == 1
    assert "unsafe or unexpected member 'files/../../evil.txt'" in capsys.readouterr().err
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


async def test_a_member_landing_on_the_audit_key_is_refused(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, key = await _archive(tmp_path, clock)
    planted = "files/audit.key"

    def plant(content: dict[str, bytes]) -> None:
        manifest = json.loads(content.pop("manifest.json"))
        content[planted] = b"0" * 64 + b"\n"
        manifest["files"].append(
            {"path": planted, "size": 65, "sha256": hashlib.sha256(content[planted]).hexdigest()}
        )
        content["manifest.json"] = json.dumps(manifest).encode()

    bad = fx.rewrite(archive, tmp_path / "bad.tar.gz", plant)
    (tmp_path / "dst").mkdir()
    (tmp_path / "dst" / "audit.key").write_bytes(key.read_bytes())
    assert await _restore(tmp_path, bad) == 1
    assert "files/audit.key of the backup would replace" in capsys.readouterr().err
    assert (tmp_path / "dst" / "audit.key").read_bytes() == key.read_bytes()
    assert sorted(p.name for p in (tmp_path / "dst").iterdir()) == ["audit.key"]


async def test_restore_refuses_a_data_directory_that_is_not_empty(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, key = await _archive(tmp_path, clock)
    (tmp_path / "dst").mkdir()
    (tmp_path / "dst" / "notes.txt").write_text("mine", encoding="utf-8")
    assert await _restore(tmp_path, archive, "--audit-key", str(key)) == 2
    assert "is not empty (notes.txt" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "dst").iterdir()) == ["notes.txt"]


async def test_a_signed_history_is_not_restored_without_the_audit_key(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, _ = await _archive(tmp_path, clock)
    assert await _restore(tmp_path, archive) == 2
    err = capsys.readouterr().err
    assert "--audit-key" in err and "never in a" in err
    assert list((tmp_path / "dst").iterdir()) == []


async def test_the_key_already_in_place_is_used_and_another_key_breaks_verify(
    tmp_path: Path, clock: ManualClock, capsys: pytest.CaptureFixture[str]
) -> None:
    archive, key = await _archive(tmp_path, clock)
    (tmp_path / "dst").mkdir()
    (tmp_path / "dst" / "audit.key").write_bytes(key.read_bytes())  # the key may wait there
    assert await _restore(tmp_path, archive) == 0
    out = capsys.readouterr().out
    assert "audit chain intact" in out and out.strip().splitlines()[-1] == str(tmp_path / "dst")

    other = create_key(tmp_path / "other.key")
    assert other != key.read_bytes()
    again = tmp_path / "again"
    code = await cli_backup.run(
        ["restore", str(archive), "--audit-key", str(tmp_path / "other.key")], fx.settings(again)
    )
    assert code == 1
    assert "audit chain broken at entry 1" in capsys.readouterr().out


async def test_scheduled_backups_keep_the_newest_and_leave_named_archives_alone(
    tmp_path: Path, clock: ManualClock
) -> None:
    app = await fx.source(tmp_path / "src", clock)
    await app.aclose()
    settings = fx.settings(tmp_path / "src", backup_keep=2)
    settings.backup_dir.mkdir()
    mine = settings.backup_dir / "before-upgrade.tar.gz"
    mine.write_bytes(b"kept by hand")
    taken = []
    for _ in range(3):
        taken.append(await run_scheduled_backup(settings, clock.now()))
        clock.advance(timedelta(days=1))
    assert sorted(settings.backup_dir.iterdir()) == sorted([mine, *taken[1:]])
    assert fx.manifest(taken[-1])["database"] == "sqlite"
    assert prune(settings.backup_dir, 1) == [taken[1]]


def test_the_schedule_setting_becomes_a_job_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    daily = trigger("daily 02:30")
    assert daily is not None and "hour='2', minute='30'" in str(daily)
    assert trigger("") is None
    assert "day_of_week='sun'" in str(trigger("0 3 * * sun"))
    with pytest.raises(BackupRefused, match="BACKUP_SCHEDULE"):
        trigger("daily 25:00")
    scheduler = AsyncIOScheduler(timezone="UTC")
    on = fx.settings(tmp_path, backup_schedule="daily 02:30")
    assert add_backup_job(scheduler, on, ManualClock(START))
    assert scheduler.get_job(JOB_ID) is not None
    off = AsyncIOScheduler(timezone="UTC")
    assert not add_backup_job(off, fx.settings(tmp_path), ManualClock(START))
    assert off.get_jobs() == []
