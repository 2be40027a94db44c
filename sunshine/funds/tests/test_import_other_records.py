"""Importing village-account transactions, allocations and projects: bad rows, idempotence, side effects."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from sunshine.funds.importers import AllocationImporter, ProjectImporter, TransactionImporter, run_import
from sunshine.funds.models import AccountTransaction, FundAllocation, Project, ProjectEvent, VillageAccount
from sunshine.notify.models import SmsMessage
from sunshine.org import services as org_services
from sunshine.org.choices import Post

from .factories import csv_bytes, write, xlsx_bytes

pytestmark = pytest.mark.django_db

TXN_HEADER = ["账号", "记账日期", "凭证号", "摘要", "借方", "贷方", "余额", "对方户名"]


def _supervisors(city, village_index=0, count=2):
    unit = city.village_units[village_index]
    people = []
    for i in range(count):
        person = org_services.person_create(actor=None, name=f"监督员{i}", unit=unit, phone=f"1390000000{i}")
        org_services.position_start(actor=None, person=person, unit=unit, post=Post.VILLAGE_SUPERVISOR,
                                    start_date=dt.date(2025, 1, 1))
        people.append(person)
    return people


def _account(city, village_index=0, number="82010000000000001"):
    return VillageAccount.objects.create(village=city.villages[village_index], account_name="测试村股份经济合作社",
                                         account_number=number)


def _txn_rows(account):
    return [
        [account.account_number, "2026-03-02", "记-03-001", "上级拨付村级集体经济发展资金", "100,000.00", "", "150000",
         "湘乡市财政局"],
        [account.account_number, "2026-03-15", "记-03-002", "支付村道硬化工程款", "", "45000", "105000",
         "湘乡市宏达建筑工程有限公司"],
    ]


def _run(importer_class, path, **kwargs):
    return run_import(importer_class(scope=None, **kwargs), source=path, filename=path.name)


def test_each_account_transaction_texts_every_current_village_supervisor_once(city, tmp_path):
    supervisors = _supervisors(city)
    account = _account(city)
    path = write(tmp_path, "txn.csv", csv_bytes(TXN_HEADER, _txn_rows(account)))

    result = _run(TransactionImporter, path)
    again = _run(TransactionImporter, path)

    assert result.ok and result.created == 2 and (again.created, again.unchanged) == (0, 2)
    receipt = AccountTransaction.objects.get(voucher_number="记-03-001")
    assert (receipt.direction, receipt.amount, receipt.balance) == ("in", Decimal("100000.00"), Decimal("150000"))
    messages = SmsMessage.objects.filter(template_code="account_transaction")
    assert messages.count() == 4
    assert sorted(messages.filter(related_id=receipt.pk).values_list("phone", flat=True)) == sorted(
        p.phone for p in supervisors)
    assert "收入¥100,000.00，对方：" in messages.filter(related_id=receipt.pk).first().text
    assert "，余额¥150,000.00。" in messages.filter(related_id=receipt.pk).first().text


def test_reimporting_texts_nobody_about_a_movement_imported_before_whatever_its_messages_keys(city, tmp_path):
    # Messages queued by an earlier release were keyed by the record's natural key, not its id: a re-import must
    # not take such a movement for new and text the supervisors about it again.
    _supervisors(city)
    account = _account(city)
    path = write(tmp_path, "txn.csv", csv_bytes(TXN_HEADER, _txn_rows(account)))
    _run(TransactionImporter, path)
    for message in SmsMessage.objects.filter(template_code="account_transaction"):
        SmsMessage.objects.filter(pk=message.pk).update(idempotency_key=f"funds.txn:old-{message.pk}")

    again = _run(TransactionImporter, path)

    assert again.ok and again.sms_queued == 0
    assert SmsMessage.objects.filter(template_code="account_transaction").count() == 4


def test_a_former_supervisor_is_not_texted(city, tmp_path):
    current, former = _supervisors(city)
    org_services.position_end(actor=None, position=former.positions.get(), end_date=dt.date(2025, 12, 31))
    account = _account(city)
    _run(TransactionImporter, write(tmp_path, "t.csv", csv_bytes(TXN_HEADER, _txn_rows(account)[:1])))

    assert list(SmsMessage.objects.values_list("phone", flat=True)) == [current.phone]


def test_bad_transaction_rows_are_reported_and_nothing_is_written(city, tmp_path):
    _supervisors(city)
    account = _account(city)
    rows = _txn_rows(account)
    rows[0][4] = "100"  # both receipt and payment
    rows[0][5] = "5"
    rows[1][3] = ""  # no purpose
    rows.append(["99999999999", "2026-03-20", "记-03-003", "其他", "1", "", "", ""])
    result = _run(TransactionImporter, write(tmp_path, "bad.csv", csv_bytes(TXN_HEADER, rows)))

    reasons = {(e["row"], e["column"]): e["reason"] for e in result.errors}
    assert "有且只有一项" in reasons[(2, "借方")]
    assert "用途" in reasons[(3, "摘要")]
    assert "未登记为村级账户" in reasons[(4, "账号")]
    assert AccountTransaction.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_a_file_without_an_account_column_uses_the_account_chosen(city, tmp_path):
    account = _account(city)
    rows = [r[1:] for r in _txn_rows(account)]
    path = write(tmp_path, "noacct.csv", csv_bytes(TXN_HEADER[1:], rows))

    assert not _run(TransactionImporter, path).ok
    result = _run(TransactionImporter, path, options={"account": account.account_number})
    assert result.ok and AccountTransaction.objects.filter(account=account).count() == 2


def test_another_townships_account_is_out_of_reach(city, tmp_path):
    from sunshine.funds.importers.command import scope_for_unit

    account = _account(city, 2)
    result = run_import(TransactionImporter(scope=scope_for_unit(city.township_units[0])),
                        source=write(tmp_path, "t.csv", csv_bytes(TXN_HEADER, _txn_rows(account))), filename="t.csv")
    assert result.errors[0]["reason"] == "该账号不在您的管辖范围内"


ALLOC_HEADER = ["资金层级", "文号", "资金类别", "金额（元）", "下达日期", "乡镇", "村", "项目编号", "用途"]


def test_allocations_from_every_level_are_placed_on_townships_villages_and_projects(city, tmp_path):
    project = _projects_imported(city, tmp_path)[0]
    rows = [
        ["中央", "财农〔2026〕5号", "中央财政衔接推进乡村振兴补助资金", "1200000", "2026-01-20", "测试镇1", "", "", ""],
        ["省级", "湘财农指〔2026〕9号", "省级财政专项扶贫资金", "300000", "2026-02-03", "测试镇1", "测试村2", "", ""],
        ["市级", "潭财农指〔2026〕3号", "市级财政专项扶贫资金", "200000", "2026-02-10", "", "", project.code, ""],
        ["县级", "湘乡财农〔2026〕11号", "整合涉农资金", "80000", "2026-03-01", "测试镇2", "", "", "产业"],
    ]
    path = write(tmp_path, "alloc.csv", csv_bytes(ALLOC_HEADER, rows))

    result = _run(AllocationImporter, path)

    assert result.ok, result.errors
    kinds = dict(FundAllocation.objects.values_list("document_number", "recipient_kind"))
    assert kinds == {"财农〔2026〕5号": "township", "湘财农指〔2026〕9号": "village", "潭财农指〔2026〕3号": "project",
                     "湘乡财农〔2026〕11号": "township"}
    assert set(FundAllocation.objects.values_list("level", flat=True)) == {"national", "provincial", "city", "county"}
    assert FundAllocation.objects.get(recipient_kind="project").project == project
    assert _run(AllocationImporter, path).created == 0


def test_bad_allocation_rows_name_the_level_and_the_recipient(city, tmp_path):
    rows = [["乡级", "x〔2026〕1号", "资金", "100", "2026-01-01", "测试镇1", "", "", ""],
            ["中央", "x〔2026〕2号", "资金", "100", "2026-01-01", "不存在镇", "", "", ""],
            ["中央", "x〔2026〕3号", "资金", "100", "2026-01-01", "测试镇1", "", "NOPE", ""]]
    result = _run(AllocationImporter, write(tmp_path, "a.csv", csv_bytes(ALLOC_HEADER, rows)))

    reasons = {e["row"]: e["reason"] for e in result.errors}
    assert "资金层级" in reasons[2] and "不存在镇" in reasons[3] and "未登记" in reasons[4]
    assert FundAllocation.objects.count() == 0


PROJECT_HEADER = ["项目名称", "项目编号", "乡镇", "村", "项目类型", "计划投资（元）", "审批文号", "审批日期", "招标方式",
                  "中标单位", "开工日期", "验收日期", "验收结论", "管护主体"]


def _projects_imported(city, tmp_path):
    rows = [
        ["村道硬化", "XM2026001", "测试镇1", "测试村1", "基础设施", "300000", "湘乡扶组〔2026〕3号", "2026-01-10",
         "公开招标", "湘乡市宏达建筑工程有限公司", "2026-02-01", "2026-05-01", "合格", "测试村1村民委员会"],
        ["油茶基地", "XM2026002", "测试镇1", "测试村2", "产业发展", "150000", "", "", "", "", "", "", "", ""],
        ["光伏电站", "XM2026003", "测试镇2", "测试村3", "光伏扶贫", "500000", "湘乡扶组〔2026〕4号", "2026-01-12",
         "", "", "", "", "", ""],
    ]
    result = _run(ProjectImporter, write(tmp_path, "projects.csv", csv_bytes(PROJECT_HEADER, rows)))
    assert result.ok, result.errors
    return list(Project.objects.order_by("code"))


def test_imported_projects_are_placed_at_their_stage_with_history_and_a_filing_number(city, tmp_path):
    road, oil, solar = _projects_imported(city, tmp_path)

    assert (road.status, oil.status, solar.status) == ("maintained", "planned", "filed")
    assert road.filing_number.startswith("扶项备〔2026〕") and solar.filing_number != road.filing_number
    assert not oil.filing_number
    steps = list(ProjectEvent.objects.filter(project=road).values_list("to_status", flat=True))
    assert steps == ["planned", "approved", "filed", "tendered", "in_progress", "accepted", "maintained"]


def test_reimporting_projects_changes_nothing(city, tmp_path):
    _projects_imported(city, tmp_path)
    events = ProjectEvent.objects.count()
    result = _run(ProjectImporter, tmp_path / "projects.csv")
    assert result.created == 0 and result.unchanged == 3 and ProjectEvent.objects.count() == events


def test_a_project_started_without_approval_is_a_bad_row(city, tmp_path):
    rows = [["村道", "XM1", "测试镇1", "测试村1", "基础设施", "1000", "", "", "", "某公司", "2026-02-01", "", "", ""]]
    result = _run(ProjectImporter, write(tmp_path, "p.csv", csv_bytes(PROJECT_HEADER, rows)))
    assert "审批文号" in result.errors[0]["reason"] and Project.objects.count() == 0


def test_projects_from_an_xlsx_with_a_title_row_and_merged_township_cells(city, tmp_path):
    import xlsxwriter

    path = tmp_path / "projects.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 5, "2026年度扶贫项目库")
    sheet.write_row(1, 0, ["乡镇", "村", "项目名称", "项目类型", "计划投资", "项目编号"])
    sheet.merge_range(2, 0, 3, 0, "测试镇1")
    sheet.write_row(2, 1, ["测试村1", "水渠修复", "基础设施", "８００００", "XM9"])
    sheet.write_row(3, 1, ["测试村2", "蔬菜大棚", "产业发展", 120000, "XM10"])
    book.close()

    result = _run(ProjectImporter, path)

    assert result.ok, result.errors
    assert dict(Project.objects.values_list("code", "budget")) == {"XM9": Decimal("80000"), "XM10": Decimal("120000")}


def test_the_import_commands_run_each_importer(city, tmp_path, capsys):
    account = _account(city)
    path = write(tmp_path, "t.xlsx", xlsx_bytes(TXN_HEADER, _txn_rows(account), title="村级账户明细"))
    call_command("import_transactions", str(path), "--dry-run", "--user", "admin")
    assert AccountTransaction.objects.count() == 0 and "试导入" in capsys.readouterr().out
    call_command("import_transactions", str(path), "--user", "admin")
    assert AccountTransaction.objects.count() == 2


def test_a_department_imports_allocations_to_any_township_and_sees_them_as_their_owner(city, tmp_path):
    from sunshine.funds import selectors
    from sunshine.org.jurisdiction import scope_for

    department = city.accounts["department"]
    rows = [["县级", "湘乡农〔2026〕7号", "产业发展资金", "50000", "2026-02-01", "测试镇2", "", "", ""]]
    importer = AllocationImporter(scope=scope_for(department), actor=department, unit=department.unit)

    result = run_import(importer, source=write(tmp_path, "d.csv", csv_bytes(ALLOC_HEADER, rows)), filename="d.csv")

    assert result.ok, result.errors
    allocation = FundAllocation.objects.get()
    assert allocation.owner_unit == department.unit
    assert list(selectors.allocation_list_visible_to(actor=department)) == [allocation]
    assert list(selectors.allocation_list_visible_to(actor=city.accounts["township1"])) == []


def test_the_project_stage_path_follows_the_transition_table():
    from sunshine.funds.choices import PROJECT_TRANSITIONS, ProjectStatus, project_stage_path

    full = project_stage_path(ProjectStatus.MAINTAINED)
    assert full == ["planned", "approved", "filed", "tendered", "in_progress", "accepted", "maintained"]
    self_built = project_stage_path(ProjectStatus.IN_PROGRESS, skip=frozenset({ProjectStatus.TENDERED}))
    assert self_built == ["planned", "approved", "filed", "in_progress"]
    for path in (full, self_built):
        assert all(b in PROJECT_TRANSITIONS[a] for a, b in zip(path, path[1:], strict=False))
    with pytest.raises(ValueError):  # the table has no way from filed to accepted without the work
        project_stage_path(ProjectStatus.ACCEPTED, skip=frozenset({ProjectStatus.IN_PROGRESS}))


def test_a_self_built_project_skips_the_tender_and_states_each_fact_once(city, tmp_path):
    rows = [["水渠", "XM7", "测试镇1", "测试村1", "基础设施", "80000", "湘乡扶组〔2026〕9号", "2026-01-10", "",
             "测试村1村民委员会", "2026-02-01", "", "", ""]]
    result = _run(ProjectImporter, write(tmp_path, "p.csv", csv_bytes(PROJECT_HEADER, rows)))
    assert result.ok, result.errors
    events = list(ProjectEvent.objects.order_by("id").values_list("to_status", "on_date", "facts"))
    assert [e[0] for e in events] == ["planned", "approved", "filed", "in_progress"]
    assert events[1][2] == {"approval_document": "湘乡扶组〔2026〕9号"} and events[3][2] == {"contractor": "测试村1村民委员会"}
    assert str(events[3][1]) == "2026-02-01" and str(events[0][1]) == "2026-01-10"


def test_an_accepted_project_without_its_conclusion_names_the_missing_fact(city, tmp_path):
    rows = [["村道", "XM8", "测试镇1", "测试村1", "基础设施", "1000", "湘乡扶组〔2026〕3号", "2026-01-10", "",
             "", "2026-02-01", "2026-05-01", "", ""]]
    result = _run(ProjectImporter, write(tmp_path, "p.csv", csv_bytes(PROJECT_HEADER, rows)))
    assert result.errors[0]["reason"] == "已验收的项目须填写验收结论" and Project.objects.count() == 0
