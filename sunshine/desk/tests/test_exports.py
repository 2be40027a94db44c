"""Every desk list exports to XLSX with its filters applied: the export reads the page's own query (same selector,
same filters, same jurisdiction), neutralises formula-like cells, masks personal numbers unless the reader holds
stats.unmask and states a reason (recorded), and answers an out-of-scope reader with no foreign rows or a 403/404.
The registry guard classifies every desk route: a list page has an export, anything else says why it has none."""
from __future__ import annotations

import io
import re

import pytest
from django.urls import get_resolver, reverse

from sunshine.core.models import AuditRecord
from sunshine.desk.exports import desk_lists
from sunshine.org.testing import make_household

pytestmark = pytest.mark.django_db
REGISTRY = desk_lists()

# The desk routes that are not a list of records, each with why it has no export. A new desk page must be put
# either here or in the registry (desk.exports) — the guard below fails otherwise.
NOT_LISTS = {
    # sign-in, account, navigation
    "login", "password_change", "2fa_verify", "2fa_setup", "2fa_recovery_codes", "logout", "calendar",
    "list_export",
    # one record's page, or an action on one record (POST)
    "region", "household", "household_link_renew", "account_role", "person",
    "case", "case_transition", "case_handler", "case_urge", "case_ask", "case_confirm_type", "case_priority",
    "case_transfer", "case_suspected", "case_escalate", "case_duplicate", "case_accountability", "case_recovery",
    "case_fund_return", "case_recall", "case_dual", "case_exposure", "case_identity", "case_attachment",
    "case_exposure_review", "cases_api_client_revoke", "case_enter",
    "funds_record_edit", "funds_record_correct", "funds_project_transition",
    "funds_project_spending_new", "funds_waiting_draft", "funds_notice_publish",
    "funds_notice_delete", "funds_notice_pdf", "funds_ledger_verify", "funds_home",
    "funds_allocation_new", "funds_project_new", "funds_payment_new", "funds_account_new", "funds_transaction_new",
    "funds_notice_new", "funds_notice_records", "funds_import", "funds_import_template",
    "notify_message", "notify_template_edit",
    "redflags_hit", "redflags_hit_review", "redflags_rule_switch", "redflags_rule_threshold", "redflags_run",
    "redflags_registry_template",
    "oversight_visit_new", "oversight_petition_assign", "oversight_petition", "oversight_petition_instruct",
    "oversight_petition_meeting", "oversight_rectification_new", "oversight_rectification",
    "oversight_rectification_done", "oversight_rectification_follow_up", "oversight_presence_new",
    "oversight_presence_recall", "oversight_interview_new", "oversight_leading_group_add",
    "oversight_leading_group_end", "oversight_plan", "oversight_cards_pdf",
    "campaign_home", "campaign_training_sign_in_sheet", "campaign_assessment", "campaign_inspection_new", "campaign_inspection_finding_new",
    "campaign_training_session_new", "campaign_training_sign_in", "campaign_document_new", "campaign_task_new",
    "campaign_task_progress", "campaign_micro_power_new", "campaign_weak_org_new", "campaign_weak_org_lift",
    "campaign_training_plan_new", "campaign_grid_new", "campaign_village_assessment_new", "campaign_commitment_check",
    # imports: upload forms and a job's progress; the households' registry round trip has its own download
    # (desk:household_export, full numbers for the registry capability, recorded as an export)
    "household_import", "region_import", "import_template", "household_export", "import_job_retry",
    # a review queue of exposure drafts (cards to approve, not a table)
    "cases_exposure_reviews",
}
# List pages whose export is the registry round trip rather than desk.exports.
ROUND_TRIP = {"households": "household_export"}
# Pages whose path names the record their tables belong to: each table's export link carries it as a parameter.
PATH_ARG_PAGES = {"cases_api_client": ("api-client-cases",), "campaign_training_session": ("training-attendance",),
                  "funds_notice": ("notice-rows",), "campaign_micro_power_village": ("micro-power-items",),
                  "campaign_inspection": ("inspection-targets", "inspection-findings"),
                  "import_job": ("import-job-errors",),
                  "funds_record": ("project-spending",)}  # a record's page; a project's shows its spending
NEEDS_PATH_ARG = {name for names in PATH_ARG_PAGES.values() for name in names}


def _sheet(content: bytes) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def _data(rows: list[list], headers: list[str]) -> list[list]:
    """The data rows of an export: those after the header row."""
    at = next(i for i, r in enumerate(rows) if [str(c) for c in r[:len(headers)]] == headers)
    return rows[at + 1:]


def _desk_routes() -> set[str]:
    resolver = get_resolver()
    desk = resolver.namespace_dict["desk"][1]
    return {name for name in desk.reverse_dict if isinstance(name, str)}


def test_every_desk_route_is_a_list_with_an_export_or_says_why_not():
    # A path-arg export's `page` is only where a refused reason sends the reader back (the record's page needs the
    # record): it does not make that page a list.
    pages_with_export = {entry.page.split(":", 1)[1] for entry in REGISTRY.values() if entry.name not in NEEDS_PATH_ARG}
    unclassified = _desk_routes() - NOT_LISTS - pages_with_export - set(ROUND_TRIP) - set(PATH_ARG_PAGES)
    assert not unclassified, f"desk routes with neither an export nor a reason: {sorted(unclassified)}"
    assert not NOT_LISTS & pages_with_export
    assert NEEDS_PATH_ARG <= set(REGISTRY)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registered_list_names_a_desk_page(name):
    assert reverse(REGISTRY[name].page)
    assert len({c.header for c in REGISTRY[name].columns}) == len(REGISTRY[name].columns)


# Who opens each list in the smoke test below: an account whose role may see the page.
READERS = ["admin", "office", "leader", "discipline", "township1", "security", "auditor"]


@pytest.fixture
def city(city):
    from sunshine.org.choices import Role
    from sunshine.org.testing import make_account

    city.accounts["security"] = make_account("security", Role.SECURITY_ADMIN, None)
    city.accounts["auditor"] = make_account("auditor", Role.AUDIT_ADMIN, None)
    return city


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_list_exports_what_its_page_shows_to_a_reader_who_may_see_it(name, city, client, login):
    entry = REGISTRY[name]
    page_url = reverse(entry.page)
    export_url = reverse("desk:list_export", args=[name])
    for who in READERS:
        login(city.accounts[who])
        if client.get(page_url).status_code == 200:
            break
    else:
        pytest.fail(f"nobody opens {page_url}")
    response = client.get(export_url)
    if name in NEEDS_PATH_ARG:  # the page's path names the record: without it, nothing
        assert response.status_code == 404
        return
    assert response.status_code == 200, (who, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response.content)
    assert rows[0][0] == str(entry.title)
    _data(rows, entry.headers())
    assert AuditRecord.objects.filter(event="export", object_id=name, actor_id=city.accounts[who].pk).exists()
    # The page carries the export link with its query string.
    page = client.get(page_url).content.decode()
    assert f'data-export="{name}"' in page


@pytest.mark.parametrize("name", sorted(set(REGISTRY) - NEEDS_PATH_ARG))
def test_a_reader_without_the_export_capability_gets_no_export(name, city, client, login):
    login(city.accounts["village1"])  # a village may read some lists but export none
    assert client.get(reverse("desk:list_export", args=[name])).status_code in (403, 404)
    assert not AuditRecord.objects.filter(event="export", object_id=name).exists()


def test_an_unknown_list_is_a_404(city, client, login):
    login(city.accounts["office"])
    assert client.get("/desk/exports/nope.xlsx").status_code == 404


# ---- payments: filters, masking, unmasking with a reason, scope, formulas ------------------------------------------

def _payments(city):
    from sunshine.funds.services import records
    from sunshine.funds.tests.factories import households

    actor = city.accounts["township1"]
    made = []
    for i, h in enumerate(households(city, 2)):
        made.append(records.payment_create(actor=actor, household=h, fund_item="产业奖补" if i else "教育资助",
                                           amount="100", paid_on="2026-03-01", bank_card=f"621700000000000{i:04d}"))
    other = make_household(city.villages[2], head_name="李四")
    made.append(records.payment_create(actor=city.accounts["township2"], household=other, fund_item="产业奖补",
                                       amount="50", paid_on="2026-03-02", bank_card="6217000000000009999"))
    return made


def _page_payees(html: str) -> list[str]:
    return re.findall(r"/desk/funds/payment/\d+/\">([^<]+)</a>", html)


def test_the_payments_export_has_the_pages_rows_with_the_same_filter_and_masks_numbers(city, client, login):
    _payments(city)
    login(city.accounts["office"])
    entry = REGISTRY["payments"]
    page = client.get(reverse("desk:funds_payments"), {"item": "产业奖补"}).content.decode()
    rows = _sheet(client.get(reverse("desk:list_export", args=["payments"]), {"item": "产业奖补"}).content)
    data = _data(rows, entry.headers())
    assert sorted(r[1] for r in data) == sorted(_page_payees(page)) and len(data) == 2
    assert ["资金项目", "产业奖补"] in [r[:2] for r in rows[:6]]  # the filter written on top
    card = entry.headers().index("银行卡号")
    id_number = entry.headers().index("证件号码")
    assert {r[card] for r in data} == {"**** **** **** 0001", "**** **** **** 9999"}
    assert all("*" in r[id_number] for r in data)
    assert not AuditRecord.objects.filter(event="unmask").exists()


@pytest.mark.parametrize("route, name", [("desk:funds_payments", "payments"), ("desk:funds_allocations", "allocations"),
                                         ("desk:funds_transactions", "transactions"), ("desk:cases", "cases"),
                                         ("desk:notify_outbox", "sms-outbox")])
def test_a_live_filtered_list_refreshes_its_export_link_with_the_rows(route, name, city, client, login):
    login(city.accounts["admin"])
    rows = client.get(reverse(route), {"q": "测试"}, HTTP_HX_REQUEST="true").content.decode()
    export = reverse("desk:list_export", args=[name])
    assert f'href="{export}?q=%E6%B5%8B%E8%AF%95"' in rows or (
        f'action="{export}"' in rows and 'name="q" value="测试"' in rows)


def test_payments_in_full_for_the_unmasking_capability_with_a_reason_recorded(city, client, login):
    _payments(city)
    login(city.accounts["office"])
    url = reverse("desk:list_export", args=["payments"])
    page = client.get(reverse("desk:funds_payments")).content.decode()
    assert 'name="reason"' in page  # the office may unmask: the page offers the reason field
    rows = _sheet(client.get(url, {"item": "产业奖补", "reason": "核查重复领取情况"}).content)
    card = REGISTRY["payments"].headers().index("银行卡号")
    assert "6217000000000000001" in [r[card] for r in _data(rows, REGISTRY["payments"].headers())]
    unmask = AuditRecord.objects.get(event="unmask", object_id="payments")
    assert unmask.detail["reason"] == "核查重复领取情况"
    # A reason too short to mean anything is refused back on the page, nothing exported.
    response = client.get(url, {"item": "产业奖补", "reason": "查"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("desk:funds_payments"))
    assert "reason" not in response["Location"] and "item=" in response["Location"]
    assert AuditRecord.objects.filter(event="unmask").count() == 1


def test_a_reason_without_the_unmasking_capability_is_refused(city, client, login):
    _payments(city)
    login(city.accounts["township1"])  # may export, may not unmask
    page = client.get(reverse("desk:funds_payments")).content.decode()
    assert 'name="reason"' not in page and "脱敏" in page
    response = client.get(reverse("desk:list_export", args=["payments"]), {"reason": "核查重复领取情况"})
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(event="unmask").exists()


def test_another_townships_payments_are_not_in_its_export(city, client, login):
    _payments(city)
    login(city.accounts["township2"])
    entry = REGISTRY["payments"]
    data = _data(_sheet(client.get(reverse("desk:list_export", args=["payments"])).content), entry.headers())
    assert [r[1] for r in data] == ["李四"]
    # A region out of scope in the filter is a 404, as on the page.
    assert client.get(reverse("desk:list_export", args=["payments"]),
                      {"region": city.villages[0].pk}).status_code == 404
    assert client.get(reverse("desk:funds_payments"), {"region": city.villages[0].pk}).status_code == 404


def test_a_cell_that_begins_like_a_formula_is_neutralised(city, client, login):
    from sunshine.org.models import Household

    made = _payments(city)
    Household.objects.filter(pk=made[0].household_id).update(head_name="=HYPERLINK(\"http://x\")")
    from sunshine.funds.models import HouseholdPayment

    HouseholdPayment.objects.filter(pk=made[0].pk).update(payee_name="=HYPERLINK(\"http://x\")",
                                                           fund_item="+cmd|' /C calc'!A0")
    login(city.accounts["office"])
    data = _data(_sheet(client.get(reverse("desk:list_export", args=["payments"])).content),
                 REGISTRY["payments"].headers())
    cells = {c for r in data for c in r if isinstance(c, str)}
    assert "'=HYPERLINK(\"http://x\")" in cells and "'+cmd|' /C calc'!A0" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


# ---- cases: the queue's filters, scope -----------------------------------------------------------------------------

def test_the_case_export_is_the_queue_with_the_same_filter_and_scope(city, client, login):
    from sunshine.stats.tests.test_figures import _three_cases

    _three_cases(city)
    login(city.accounts["office"])
    query = {"all": "1", "township": city.townships[0].pk}
    page = client.get(reverse("desk:cases"), query).content.decode()
    shown = re.findall(r'href="/desk/cases/\d+/">([^<]+)</a>', page)
    entry = REGISTRY["cases"]
    data = _data(_sheet(client.get(reverse("desk:list_export", args=["cases"]), query).content), entry.headers())
    assert sorted(r[0] for r in data) == sorted(shown) and len(data) == 2
    everything = _data(_sheet(client.get(reverse("desk:list_export", args=["cases"]), {"all": "1"}).content),
                       entry.headers())
    assert len(everything) == 3
    login(city.accounts["township2"])
    mine = _data(_sheet(client.get(reverse("desk:list_export", args=["cases"]), {"all": "1"}).content),
                 entry.headers())
    assert not {r[0] for r in mine} & {r[0] for r in data}


def test_the_case_exports_filter_header_names_the_unit_and_the_problem_type(city, client, login):
    from sunshine.org.models import ProblemType
    from sunshine.stats.tests.test_figures import _three_cases

    overdue, _handled, _other = _three_cases(city)
    problem_type = ProblemType.objects.order_by("number").first()
    login(city.accounts["office"])
    query = {"all": "1", "unit": overdue.handling_unit_id, "problem_type": problem_type.number}
    sheet = _sheet(client.get(reverse("desk:list_export", args=["cases"]), query).content)
    header = {str(r[0]): str(r[1]) for r in sheet[1:] if len(r) > 1 and r[0] and r[1] != ""}
    assert header["承办单位"] == overdue.handling_unit.name
    assert header["问题类型"] == str(problem_type)


# ---- SMS outbox: phones masked, a whistleblower's never ------------------------------------------------------------

def test_the_outbox_export_masks_phones_and_never_writes_a_protected_number(city, client, login):
    from sunshine.notify.models import PROTECTED_LABEL
    from sunshine.notify.services import sms_queue
    from sunshine.notify.tests.conftest import PAYMENT_PARAMS

    where = city.villages[0].path
    sms_queue(phone="13912345678", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="t:1",
              region_path=where)
    sms_queue(phone="13700000001", template="payment_notice", params=PAYMENT_PARAMS, idempotency_key="t:2",
              region_path=where, protected=True)
    login(city.accounts["admin"])
    entry = REGISTRY["sms-outbox"]
    url = reverse("desk:list_export", args=["sms-outbox"])
    phone = entry.headers().index("手机号码")
    masked = [r[phone] for r in _data(_sheet(client.get(url).content), entry.headers())]
    assert sorted(masked) == sorted(["139****5678", str(PROTECTED_LABEL)])
    full = [r[phone] for r in _data(_sheet(client.get(url, {"reason": "核对短信送达情况"}).content), entry.headers())]
    assert sorted(full) == sorted(["13912345678", str(PROTECTED_LABEL)])
    assert "13700000001" not in str(full)
    assert AuditRecord.objects.filter(event="unmask", object_type="notify.smsmessage").exists()


# ---- the pages cap a long list for reading; the export carries every row --------------------------------------------

def test_the_audit_export_carries_more_than_the_page_shows(city, client, login):
    from sunshine.core.audit import AuditEvent, audit_record
    from sunshine.desk.views_admin import AUDIT_PAGE_ROWS

    for i in range(AUDIT_PAGE_ROWS + 5):
        audit_record(event=AuditEvent.EXPORT, actor=None, object_type="test", object_id=str(i))
    login(city.accounts["auditor"])
    entry = REGISTRY["audit"]
    data = _data(_sheet(client.get(reverse("desk:list_export", args=["audit"]), {"event": "export"}).content),
                 entry.headers())
    assert len(data) >= AUDIT_PAGE_ROWS + 5


# ---- more lists with their filters and scope -------------------------------------------------------------------------

def test_the_transactions_export_follows_the_direction_filter_and_the_township(city, client, login):
    from sunshine.funds.services import records

    entry = REGISTRY["transactions"]
    for n, (who, village) in enumerate((("township1", city.villages[0]), ("township2", city.villages[2]))):
        actor = city.accounts[who]
        account = records.village_account_create(actor=actor, village=village, account_name=f"{village.name}集体",
                                                 bank="农商行", account_number=f"620000000000000{n}")
        records.transaction_create(actor=actor, account=account, occurred_on="2026-03-01", direction="in",
                                   amount="1000", purpose="=上级拨款")
        records.transaction_create(actor=actor, account=account, occurred_on="2026-03-02", direction="out",
                                   amount="300", purpose="修路")
    login(city.accounts["township1"])
    url = reverse("desk:list_export", args=["transactions"])
    data = _data(_sheet(client.get(url, {"direction": "out"}).content), entry.headers())
    assert [(r[1], r[3]) for r in data] == [("测试村1", "修路")]
    page = client.get(reverse("desk:funds_transactions"), {"direction": "out"}).content.decode()
    assert "修路" in page and "上级拨款" not in page
    everything = _data(_sheet(client.get(url).content), entry.headers())
    assert sorted(r[3] for r in everything) == ["'=上级拨款", "修路"]  # neutralised, and only its own village


def test_the_rectifications_export_follows_the_status_filter(city, client, login):
    import datetime as dt

    from sunshine.oversight.choices import RectificationStatus, SourceKind
    from sunshine.oversight.services.rectifications import rectification_create

    office = city.accounts["office"]
    for title in ("村道硬化款未到位", "@危房改造公示缺失"):
        rectification_create(actor=office, source_kind=SourceKind.values[0], title=title, owner_unit=city.township_units[0],
                             deadline=dt.date.today() + dt.timedelta(days=30), region=city.villages[0])
    login(office)
    entry = REGISTRY["rectifications"]
    url = reverse("desk:list_export", args=["rectifications"])
    data = _data(_sheet(client.get(url, {"status": RectificationStatus.values[0]}).content), entry.headers())
    page = client.get(reverse("desk:oversight_rectifications"), {"status": RectificationStatus.values[0]})
    assert sorted(r[0] for r in data) == sorted(["村道硬化款未到位", "'@危房改造公示缺失"])
    assert "村道硬化款未到位" in page.content.decode()
    assert _data(_sheet(client.get(url, {"status": RectificationStatus.DONE}).content), entry.headers()) == []
    login(city.accounts["township2"])  # the other township sees neither on its page nor in its export
    assert "村道硬化款未到位" not in client.get(reverse("desk:oversight_rectifications")).content.decode()
    assert _data(_sheet(client.get(url).content), entry.headers()) == []


def test_the_hits_export_masks_numbers_quoted_in_the_evidence(city, client, login):
    from sunshine.redflags.models import Hit, Run

    run = Run.objects.create()
    Hit.objects.create(rule_code="R01", subject_key="k1", run=run, village=city.villages[0],
                       evidence=[{"label": "身份证号", "value": "430381196001011234"}], amount="100")
    Hit.objects.create(rule_code="R01", subject_key="k2", run=run, village=city.villages[2], evidence=[])
    entry = REGISTRY["redflag-hits"]
    login(city.accounts["township1"])
    data = _data(_sheet(client.get(reverse("desk:list_export", args=["redflag-hits"]),
                               {"review": "all"}).content), entry.headers())
    evidence = entry.headers().index("依据")
    assert len(data) == 1 and "430381196001011234" not in data[0][evidence] and "1234" in data[0][evidence]


# ---- an export's queries do not grow with its rows -------------------------------------------------------------------

def _projects(city, *, batch: int = 0, spent: bool = True):
    """Two projects with money: one funded and paid out, one funded only (the export reads both)."""
    import datetime as dt

    from sunshine.funds.services import records
    from sunshine.funds.services.projects import project_transition
    from sunshine.funds.services.spending import spending_create

    actor = city.accounts["township1"]
    made = []
    for i in range(2):
        project = records.project_create(actor=actor, village=city.villages[i], name=f"村道硬化{batch}-{i}",
                                         project_type="基础设施", budget="300000", code=f"XM-{batch}-{i}",
                                         on_date=dt.date(2026, 1, 5))
        allocation = records.allocation_create(
            actor=actor, level="county", document_number=f"湘财农〔2026〕{batch}{i}号", fund_type="衔接资金",
            amount="2000", allocated_on=dt.date(2026, 1, 20), recipient_kind="project", project=project)
        if spent and i == 0:
            for status, facts in (("approved", {"approval_document": f"湘乡农发〔2026〕{batch}号"}), ("filed", {}),
                                  ("in_progress", {})):
                project = project_transition(actor=actor, project=project, to_status=status,
                                             on_date=dt.date(2026, 2, 1), facts=facts)
            spending_create(actor=actor, project=project, allocation=allocation, payee="宏达建筑",
                            paid_on="2026-06-10", amount="1500")
        made.append(project)
    return made


@pytest.mark.parametrize("name", ["payments", "cases", "projects"])
def test_an_exports_query_count_does_not_grow_with_its_rows(name, city, client, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sunshine.stats.tests.test_figures import _three_cases

    batches = iter(range(1, 10))
    build = {"payments": _payments, "cases": _three_cases,
             "projects": lambda c: _projects(c, batch=next(batches))}[name]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("desk:list_export", args=[name]), {"all": "1"}).status_code == 200
        return len(ctx.captured_queries)

    login(city.accounts["office"])
    build(city)
    few = queries()
    build(city)
    build(city)
    assert queries() <= few


def test_the_projects_export_has_each_projects_money(city, client, login):
    """The money columns (read for many projects at once) are each project's own, as its page shows them."""
    from sunshine.funds import selectors

    projects = _projects(city)
    login(city.accounts["office"])
    entry = REGISTRY["projects"]
    headers = entry.headers()
    data = _data(_sheet(client.get(reverse("desk:list_export", args=["projects"]), {"all": "1"}).content), headers)
    by_code = {r[headers.index("项目编号")]: r for r in data}
    assert len(by_code) == 2
    for p in projects:
        money = selectors.project_money(project=p)
        row = by_code[p.code]
        assert [float(row[headers.index(h)]) for h in ("已拨资金", "已支付", "结余")] == [
            float(money.allocated), float(money.paid), float(money.remaining)]
    assert float(by_code[projects[0].code][headers.index("已支付")]) == 1500


# ---- the guard over in-page tables: every table a desk page shows exports, or says why it does not -----------------
#
# The rule, read from the template source (no page needs rendering, so no data is needed to find a table): a
# "table" is any <table>, any <ul>/<ol> of class "records" (the desk's other way of drawing rows), and any element
# marked data-rows. Each must carry data-rows="<name>", where <name> is a registered export AND the same template
# calls {% export_link "<name>" … %} (so the link stands beside the rows it exports, not somewhere else on the
# page). A table with no export is counted against TABLES_WITHOUT_EXPORT: a template there states how many unmarked
# tables it has and why; the count is exact, so a new table in a listed template still fails. Marking each element
# (not only "the template has some export link") is what catches a second table added next to an exported one.

TABLES_WITHOUT_EXPORT = {
    "desk/household.html": (1, "one household's members, part of its record; exported with it by the registry "
                               "round trip (desk:household_export)"),
    "desk/partials/household_rows.html": (1, "the households list: its export is the registry round trip"),
    "desk/person.html": (1, "one person's posts, part of the person's record"),
    "desk/calendar.html": (1, "the year's holidays: reference data the administrator types in, not records"),
    "desk/funds/import.html": (1, "the columns the import recognises (help for the file, not records)"),
    "desk/imports/households.html": (1, "the columns the import recognises (help for the file, not records)"),
    "desk/imports/regions.html": (1, "the columns the import recognises (help for the file, not records)"),
    "desk/funds/partials/notice_records.html": (1, "the checklist of the new-notice form (choosing records)"),
    "desk/campaign/assessment_detail.html": (2, "one unit's assessment items and commitments: the record itself"),
}
TABLE = re.compile(r"<(table|ul|ol)\b[^>]*>")
ROWS_OF = re.compile(r'data-rows="([^"]*)"')


def _desk_templates() -> dict[str, str]:
    """Every template under desk/ in any app, and the templates the desk's home panels bring (core.panels)."""
    from pathlib import Path

    import sunshine

    root = Path(sunshine.__file__).parent
    found = {}
    for path in root.glob("*/templates/desk/**/*.html"):
        found["/".join(path.relative_to(root).parts[2:])] = path.read_text()  # <app>/templates/<name>
    for panels in root.glob("*/desk_panels.py"):
        for name in re.findall(r'template="([^"]+\.html)"', panels.read_text()):
            found[name] = next(root.glob(f"*/templates/{name}")).read_text()
    return found


def _tables(source: str) -> list[str]:
    return [m.group(0) for m in TABLE.finditer(source)
            if m.group(1) == "table" or re.search(r'class="[^"]*\brecords\b', m.group(0)) or "data-rows" in m.group(0)]


def test_every_table_in_a_desk_template_exports_its_rows_or_says_why_not():
    templates = _desk_templates()
    assert "desk/campaign/inspection_detail.html" in templates and "stats/home_panel.html" in templates
    assert len(templates) > 50
    problems = []
    for name, source in sorted(templates.items()):
        # {% export_link %}, or in a template below the desk (the stats home panel) a plain link marked like the
        # tag's own: data-export="<name>".
        links = set(re.findall(r'{%\s*export_link\s+"([^"]+)"', source)) | set(re.findall(r'data-export="([^"]+)"', source))
        unmarked = 0
        for tag in _tables(source):
            marked = ROWS_OF.search(tag)
            if not marked:
                unmarked += 1
            elif marked.group(1) not in REGISTRY:
                problems.append(f"{name}: {tag} names no registered export")
            elif marked.group(1) not in links:
                problems.append(f"{name}: {tag} has no {{% export_link \"{marked.group(1)}\" %}} beside it")
        allowed, _why = TABLES_WITHOUT_EXPORT.get(name, (0, ""))
        if unmarked != allowed:
            problems.append(f"{name}: {unmarked} table(s) without an export, {allowed} allowed (TABLES_WITHOUT_EXPORT)")
    assert not problems, "\n".join(problems)
    assert set(TABLES_WITHOUT_EXPORT) <= set(templates)


def test_the_guard_catches_a_table_added_without_an_export():
    source = '{% export_link "payments" %}<table class="table" data-rows="payments"></table><ul class="records">'
    tables = _tables(source)
    assert len(tables) == 2 and not ROWS_OF.search(tables[1])
    assert _tables('<ul class="plain"><li>x</li></ul>') == []
