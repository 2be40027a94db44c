"""Whistleblower protection: identity encrypted apart, readable only by the handling discipline unit, logged."""
import pytest
from auditlog.models import LogEntry
from django.db import connection

from sunshine.cases import services
from sunshine.cases.models import IdentityAccessLog, ReporterIdentity
from sunshine.core.errors import ApplicationError, Forbidden, NotFound

from .builders import REAL_NAME, submit

pytestmark = pytest.mark.django_db


def _discipline_case(city, **kwargs):
    """A real-name report of embezzlement (type 16) in a village of township 1: routed to the discipline room."""
    report, case, code = submit(city, text="村会计冒领低保金", problem_type_number=16, real_name=REAL_NAME, **kwargs)
    assert case.handling_unit == city.discipline_room
    return report, case


def test_a_report_is_anonymous_by_default(city):
    report, _, _ = submit(city)
    assert not report.is_real_name
    assert not ReporterIdentity.objects.filter(report=report).exists()


def test_the_database_holds_only_ciphertext_of_the_reporters_identity(city):
    report, _ = _discipline_case(city)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_encrypted, phone_encrypted, id_number_encrypted, fingerprint "
                       "FROM cases_reporteridentity WHERE report_id = %s", [report.pk])
        row = cursor.fetchone()
    stored = " ".join(row)
    for secret in (REAL_NAME["name"], REAL_NAME["phone"], REAL_NAME["id_number"], REAL_NAME["phone"][-4:]):
        assert secret not in stored
    assert all(row[:3])


def test_the_report_row_itself_holds_no_identity(city):
    report, _ = _discipline_case(city)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_report WHERE id = %s", [report.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert REAL_NAME["name"] not in row and REAL_NAME["phone"] not in row


def test_auditlog_never_records_the_identity(city):
    _discipline_case(city)
    logged = " ".join(str(e.changes) for e in LogEntry.objects.all())
    assert REAL_NAME["name"] not in logged and REAL_NAME["phone"] not in logged
    assert "name_encrypted" not in logged


def test_the_handling_discipline_officer_reads_the_identity_with_a_reason_and_the_read_is_logged(city):
    _, case = _discipline_case(city)
    officer = city.accounts["discipline"]
    view = services.identity_read(case=case, actor=officer, reason="需当面核实举报内容")
    assert (view.name, view.phone, view.id_number) == (REAL_NAME["name"], REAL_NAME["phone"], REAL_NAME["id_number"])
    log = IdentityAccessLog.objects.get()
    assert (log.actor, log.case, log.reason, log.actor_unit) == (officer, case, "需当面核实举报内容",
                                                                 city.discipline_room)


def test_reading_the_identity_without_a_reason_is_refused_and_not_logged(city):
    _, case = _discipline_case(city)
    with pytest.raises(ApplicationError) as exc:
        services.identity_read(case=case, actor=city.accounts["discipline"], reason="  ")
    assert exc.value.code == "reason_required"
    assert not IdentityAccessLog.objects.exists()


@pytest.mark.parametrize("who", ["township1", "office", "leader", "admin", "department"])
def test_nobody_but_the_handling_discipline_unit_reads_the_identity(city, who):
    _, case = _discipline_case(city)
    with pytest.raises((Forbidden, NotFound)):
        services.identity_read(case=case, actor=city.accounts[who], reason="想看看是谁")
    assert not IdentityAccessLog.objects.exists()


def test_a_discipline_officer_of_another_unit_cannot_read_the_identity(city):
    # The case stays with township 1 (not a discipline matter): the supervising room sees it but does not handle it.
    report, case, _ = submit(city, text="帮扶干部从不来村里", problem_type_number=9, real_name=REAL_NAME)
    assert case.handling_unit == city.township_units[0]
    with pytest.raises(Forbidden):
        services.identity_read(case=case, actor=city.accounts["discipline"], reason="核实")


def test_an_anonymous_report_has_no_identity_to_read(city):
    _, case, _ = submit(city, problem_type_number=16)
    with pytest.raises(NotFound):
        services.identity_read(case=case, actor=city.accounts["discipline"], reason="核实情况")


def test_the_identity_object_does_not_print_its_fields(city):
    report, _ = _discipline_case(city)
    identity = ReporterIdentity.objects.get(report=report)
    assert identity.name_encrypted not in repr(identity) and REAL_NAME["name"] not in str(identity)


def test_a_bad_phone_number_for_a_real_name_report_is_refused(city):
    with pytest.raises(ApplicationError) as exc:
        submit(city, real_name={"name": "王小明", "phone": "12345"})
    assert exc.value.code == "identity_phone"
