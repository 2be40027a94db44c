"""An import job whose file is over a size limit fails with the reason; a NUL byte is a named bad row."""
from __future__ import annotations

import pytest
from django.test import override_settings

from sunshine.core.importjobs import import_job_create
from sunshine.core.models import ImportJob
from sunshine.funds.importers import BY_JOB_KIND, import_job_run
from sunshine.funds.models import HouseholdPayment

from .factories import PAYMENT_HEADER, csv_bytes, households, payment_rows, write

pytestmark = pytest.mark.django_db


def _run(city, path):
    job = import_job_create(kind="funds.payment", filename=path.name, stored_path=str(path), sha256="x",
                            actor=city.accounts["township1"])
    return import_job_run(job_id=job.pk, importer_class=BY_JOB_KIND["funds.payment"])


@override_settings(SUNSHINE_IMPORT_LIMITS={"MAX_ROWS": 2})
def test_a_file_over_the_row_limit_fails_the_job_with_the_reason_and_imports_nothing(city, tmp_path):
    hhs = households(city, 3)
    job = _run(city, write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, payment_rows(hhs))))
    assert job.status == ImportJob.Status.FAILED and job.finished
    assert "超过单个文件 2 行的上限" in job.message
    assert not HouseholdPayment.objects.exists()


def test_a_nul_byte_in_a_cell_is_a_bad_row_with_its_number_not_a_crash(city, tmp_path):
    hhs = households(city, 3)
    rows = payment_rows(hhs)
    rows[1][3] = "产业\x00奖补"
    job = _run(city, write(tmp_path, "pay.csv", csv_bytes(PAYMENT_HEADER, rows)))
    assert job.status == ImportJob.Status.REJECTED
    assert {"row": 3, "column": "补贴项目", "reason": "单元格含有空字符（NUL），请删除后重新导出"} in job.errors
    assert not HouseholdPayment.objects.exists()


def _bomb_xlsx() -> bytes:
    """A real workbook with one more part of 20 MB of zeros (about 20 KB deflated: a thousandfold)."""
    import io
    import zipfile

    from sunshine.core.tests.test_tabular_limits import _xlsx

    buffer = io.BytesIO(_xlsx([PAYMENT_HEADER]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (20 * 1024 * 1024))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "reason"), [("bomb.xlsx", "解压后"), ("line.csv", "超过 1 MB 的上限")])
def test_a_zip_bomb_or_a_line_over_one_megabyte_fails_the_job_with_the_reason(city, tmp_path, name, reason):
    hhs = households(city, 3)
    if name.endswith(".xlsx"):
        data = _bomb_xlsx()
    else:
        rows = payment_rows(hhs)
        rows[1][3] = "x" * (2 * 1024 * 1024)
        data = csv_bytes(PAYMENT_HEADER, rows)
    job = _run(city, write(tmp_path, name, data))
    assert job.status == ImportJob.Status.FAILED and job.finished
    assert reason in job.message
    assert not HouseholdPayment.objects.exists()
