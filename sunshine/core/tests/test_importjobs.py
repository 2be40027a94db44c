"""Every import runs through one runner, and ImportJob.status has one writer."""
import ast
from pathlib import Path

import pytest

from sunshine.core import importjobs
from sunshine.core.errors import ApplicationError
from sunshine.core.models import ImportJob

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db


def _queued() -> ImportJob:
    return importjobs.import_job_create(kind="test", filename="f.csv", stored_path="", sha256="", actor=None)


def test_a_job_whose_work_succeeds_records_its_counts():
    job = importjobs.import_job_run(job_id=_queued().pk, work=lambda job: importjobs.ImportResult(
        total_rows=3, created=2, unchanged=1, message="好"))
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.created_rows, job.unchanged_rows, job.message) == (
        ImportJob.Status.SUCCEEDED, 3, 2, 1, "好")
    assert job.finished_at is not None and importjobs.job_percent(job) == 100


def test_bad_rows_or_a_bad_file_reject_the_job_with_the_reason():
    bad_rows = importjobs.ImportResult(total_rows=1, errors=[{"row": 2, "column": "金额", "reason": "不是数字"}],
                                       error_count=1, message="共 1 处错误")
    job = importjobs.import_job_run(job_id=_queued().pk, work=lambda job: bad_rows)
    assert job.status == ImportJob.Status.REJECTED and job.errors[0]["row"] == 2

    def unreadable(job):
        raise ApplicationError("文件是空的")

    job = importjobs.import_job_run(job_id=_queued().pk, work=unreadable)
    assert job.status == ImportJob.Status.REJECTED and job.message == "文件是空的"


def test_a_crash_fails_the_job_and_is_raised_again():
    def crash(job):
        raise RuntimeError("boom")

    queued = _queued()
    with pytest.raises(RuntimeError):
        importjobs.import_job_run(job_id=queued.pk, work=crash)
    queued.refresh_from_db()
    assert queued.status == ImportJob.Status.FAILED and queued.message == importjobs.CRASH_MESSAGE


def test_a_finished_job_cannot_be_run_again():
    job = importjobs.import_job_run(job_id=_queued().pk, work=lambda job: importjobs.ImportResult())
    with pytest.raises(ApplicationError) as refused:
        importjobs.import_job_run(job_id=job.pk, work=lambda job: importjobs.ImportResult())
    assert refused.value.code == "job_finished" and refused.value.status == 409


def test_import_job_status_has_exactly_one_writer():
    writers = set()
    for path in sorted((ROOT / "sunshine").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(func):
                assigned = isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == "status" and "job" in ast.unparse(t.value).lower()
                    for t in node.targets)
                created = (isinstance(node, ast.Call) and ast.unparse(node.func) == "ImportJob.objects.create"
                           and any(k.arg == "status" for k in node.keywords))
                if assigned or created:
                    writers.add((path.relative_to(ROOT).as_posix(), func.name))
    assert writers == {("sunshine/core/importjobs.py", "_job_transition")}
