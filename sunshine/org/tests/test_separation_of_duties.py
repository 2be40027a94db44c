"""三权分立: the system, security and audit administrators are separate accounts; no account holds two roles."""
from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from sunshine.core.audit import AuditEvent, audit_record
from sunshine.core.errors import ApplicationError, Forbidden
from sunshine.core.models import AuditRecord
from sunshine.org import selectors, services
from sunshine.org.capabilities import Capability, has_capability
from sunshine.org.choices import Role
from sunshine.org.models import Account
from sunshine.org.testing import make_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(city):
    return {
        "system": city.accounts["admin"],
        "security": make_account("security", Role.SECURITY_ADMIN, None),
        "auditor": make_account("auditor", Role.AUDIT_ADMIN, None),
    }


def test_only_the_security_administrator_assigns_roles_and_it_is_audited(city, admins):
    officer = city.accounts["village1"]
    services.account_role_set(account=officer, role=Role.TOWNSHIP, actor=admins["security"])
    officer.refresh_from_db()
    assert officer.role == Role.TOWNSHIP
    record = AuditRecord.objects.get(event="role_change")
    assert (record.actor_id, record.role, record.object_id) == (admins["security"].pk, "security_admin", str(officer.pk))
    assert record.detail == {"from": "village", "to": "township"}
    for other in (admins["system"], admins["auditor"], city.accounts["office"]):
        with pytest.raises(Forbidden):
            services.account_role_set(account=officer, role=Role.VILLAGE, actor=other)


def test_the_security_administrator_cannot_change_their_own_role(admins):
    with pytest.raises(Forbidden):
        services.account_role_set(account=admins["security"], role=Role.AUDIT_ADMIN, actor=admins["security"])


def test_a_superuser_cannot_become_the_security_or_audit_administrator(admins):
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        with pytest.raises(ApplicationError) as exc:
            services.account_role_set(account=admins["system"], role=role, actor=admins["security"])
        assert exc.value.code == "role_separation"
    with pytest.raises(IntegrityError), transaction.atomic():  # nor behind the service's back
        Account.objects.filter(pk=admins["auditor"].pk).update(is_superuser=True)


def test_createsuperuser_makes_a_system_administrator():
    account = Account.objects.create_superuser("root2", password="long-enough-password-1")
    assert account.role == Role.ADMIN


def test_the_system_administrator_neither_assigns_roles_nor_reads_the_audit_trail(admins):
    system, security, auditor = admins["system"], admins["security"], admins["auditor"]
    assert system.is_superuser
    assert not has_capability(system, Capability.MANAGE_ACCOUNTS)
    assert not has_capability(system, Capability.VIEW_AUDIT_LOG)
    assert has_capability(security, Capability.MANAGE_ACCOUNTS) and not has_capability(security,
                                                                                        Capability.VIEW_AUDIT_LOG)
    assert has_capability(auditor, Capability.VIEW_AUDIT_LOG) and not has_capability(auditor,
                                                                                     Capability.MANAGE_ACCOUNTS)
    audit_record(event=AuditEvent.EXPORT, actor=system)
    assert [r.event for r in selectors.audit_records_for(actor=auditor)][:1] == ["export"]
    for other in (system, security):
        with pytest.raises(Forbidden):
            selectors.audit_records_for(actor=other)


def test_the_role_pages_work_for_their_administrator_only(client, login, admins, city):
    login(admins["security"])
    page = client.get("/desk/accounts/")
    assert page.status_code == 200 and "village1" in page.content.decode()
    response = client.post(f"/desk/accounts/{city.accounts['village1'].pk}/role/", {"role": Role.DEPARTMENT})
    assert response.status_code == 302
    assert Account.objects.get(pk=city.accounts["village1"].pk).role == Role.DEPARTMENT
    assert client.get("/desk/audit/").status_code == 403
    login(admins["auditor"])
    page = client.get("/desk/audit/?verify=1").content.decode()
    assert "role_change" in page and "记录链完整" in page
    assert client.get("/desk/accounts/").status_code == 403
    denied = AuditRecord.objects.filter(event="permission_denied").order_by("id")
    assert [(r.actor_name, r.detail["path"]) for r in denied] == [("security", "/desk/audit/"),
                                                                   ("auditor", "/desk/accounts/")]
