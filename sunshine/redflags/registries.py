"""Importing the registries other departments supply (XLSX/CSV): validated, all-or-nothing, bad rows named.

Each registry has its columns (found by their Chinese headings, core.tabular), a row check, and a unique key: a
record already imported, or stated twice in the file, is a bad row, so duplicates stop here and the rules never
see them. ID numbers are checked, then kept only as their keyed hash and masked (redflags.idkeys). Every import
is an ImportJob run by core's one runner and records where the data came from and its date (RegistryBatch).
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from sunshine.core.errors import ApplicationError
from sunshine.core.importjobs import ImportResult
from sunshine.core.masking import mask_id_number
from sunshine.core.tabular import Column, RowErrors, open_table, parse_amount, parse_date
from sunshine.core.validators import normalize_id_number

from .choices import (
    CLOSE_RELATIONS,
    BusinessRoleKind,
    DeathKind,
    OfficialKind,
    RegistryKind,
    StandardBasis,
)
from .errors import RedflagsErrorCode
from .idkeys import id_key
from .models import (
    BusinessRole,
    DeathRecord,
    DisabilityRecord,
    FundStandard,
    Official,
    OfficialRelative,
    PensionEnrolment,
    PropertyPurchase,
    RegistryBatch,
    Vehicle,
)

JOB_KIND_PREFIX = "redflags."
BULK = 2000


class RowProblem(ValueError):
    """A bad cell: (column key, reason)."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column


def _id(values: dict, key: str = "id_number") -> tuple[str, str]:
    try:
        number = normalize_id_number(values.get(key, ""))
    except ValidationError as exc:
        raise RowProblem(key, exc.messages[0]) from None
    return id_key(number), mask_id_number(number)


def _text(values: dict, key: str, label: str, max_length: int, required: bool = True) -> str:
    text = (values.get(key) or "").strip()
    if required and not text:
        raise RowProblem(key, f"{label}为空")
    if len(text) > max_length:
        raise RowProblem(key, f"{label}超过{max_length}个字")
    return text


def _date(values: dict, key: str, label: str) -> dt.date:
    try:
        value = parse_date(values.get(key, ""))
    except (ValueError, ApplicationError):
        raise RowProblem(key, f"{label}“{values.get(key, '')}”不是日期") from None
    if value > dt.date.today() + dt.timedelta(days=1) or value.year < 1950:
        raise RowProblem(key, f"{label}“{value.isoformat()}”不在合理范围内")
    return value


def _amount(values: dict, key: str, label: str) -> Decimal:
    try:
        value = parse_amount(values.get(key, ""))
    except (ValueError, ApplicationError):
        raise RowProblem(key, f"{label}“{values.get(key, '')}”不是金额") from None
    if value <= 0:
        raise RowProblem(key, f"{label}必须大于0")
    return value


def _choice(values: dict, key: str, label: str, choices) -> str:
    text = (values.get(key) or "").strip()
    for value, name in choices.choices:
        if text in (value, str(name)):
            return value
    names = "、".join(str(n) for _, n in choices.choices)
    raise RowProblem(key, f"{label}“{text}”应为{names}之一")


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: list[Column]
    template_row: list[str]
    parse: Callable[[dict], dict]  # row values → model fields (and "_relative" for officials)
    unique: Callable[[dict], tuple]  # the registry's unique key of parsed fields
    model: type
    existing: Callable[[list[tuple]], set[tuple]]  # which of these keys are already stored


def _official(v: dict) -> dict:
    key, masked = _id(v)
    out = {"id_key": key, "id_masked": masked, "name": _text(v, "name", "姓名", 40),
           "kind": _choice(v, "kind", "类别", OfficialKind), "unit_name": _text(v, "unit", "工作单位", 120),
           "post": _text(v, "post", "职务", 60, required=False), "_relative": None}
    if (v.get("rel_id_number") or "").strip():
        rel_key, rel_masked = _id(v, "rel_id_number")
        relation = _text(v, "relation", "关系", 10)
        if relation not in CLOSE_RELATIONS:
            raise RowProblem("relation", f"关系“{relation}”不是近亲属(应为{'、'.join(CLOSE_RELATIONS)}之一)")
        out["_relative"] = {"id_key": rel_key, "id_masked": rel_masked,
                            "name": _text(v, "rel_name", "亲属姓名", 40), "relation": relation}
    return out


def _keys_in(model, field: str, keys: list[tuple]) -> set[tuple]:
    values = [k[0] for k in keys]
    found: set[tuple] = set()
    for start in range(0, len(values), BULK):
        found |= {(x,) for x in model.objects.filter(**{f"{field}__in": values[start:start + BULK]})
                  .values_list(field, flat=True)}
    return found


def _official_existing(keys: list[tuple]) -> set[tuple]:
    # An official already stored is fine (another relative of theirs); the relation is the unique thing.
    pairs = set(OfficialRelative.objects.filter(id_key__in=[k[1] for k in keys if k[1]])
                .values_list("official__id_key", "id_key"))
    officials_only = {k for k in keys if not k[1]}
    stored = {(x,) for x in Official.objects.filter(id_key__in=[k[0] for k in officials_only])
              .values_list("id_key", flat=True)}
    return {k for k in keys if (k[0], k[1]) in pairs or (not k[1] and (k[0],) in stored)}


SPECS: dict[str, Spec] = {
    RegistryKind.OFFICIALS: Spec(
        RegistryKind.OFFICIALS,
        [Column("name", ("姓名", "人员姓名")), Column("id_number", ("身份证号", "公民身份号码", "身份证号码")),
         Column("kind", ("类别", "人员类别")), Column("unit", ("工作单位", "单位")),
         Column("post", ("职务",), required=False),
         Column("rel_name", ("亲属姓名",), required=False),
         Column("rel_id_number", ("亲属身份证号", "亲属身份证号码"), required=False),
         Column("relation", ("关系", "与本人关系"), required=False)],
        ["李四", "430381198001010013", "村干部", "某某村村委会", "村主任", "李小四", "430381200501010011", "子女"],
        _official, lambda f: (f["id_key"], (f["_relative"] or {}).get("id_key", "")), Official, _official_existing),
    RegistryKind.DEATHS: Spec(
        RegistryKind.DEATHS,
        [Column("name", ("姓名",)), Column("id_number", ("身份证号", "公民身份号码", "身份证号码")),
         Column("date", ("死亡日期", "火化日期", "死亡(火化)日期")), Column("kind", ("类别", "记录类别"))],
        ["王五", "430381195001010014", "2026-02-01", "火化"],
        lambda v: {**dict(zip(("id_key", "id_masked"), _id(v), strict=True)), "name": _text(v, "name", "姓名", 40),
                   "died_on": _date(v, "date", "死亡日期"), "kind": _choice(v, "kind", "类别", DeathKind)},
        lambda f: (f["id_key"],), DeathRecord, lambda keys: _keys_in(DeathRecord, "id_key", keys)),
    RegistryKind.VEHICLES: Spec(
        RegistryKind.VEHICLES,
        [Column("plate", ("号牌号码", "车牌号")), Column("owner", ("所有人", "车主姓名")),
         Column("id_number", ("身份证号", "所有人身份证号", "证件号码")), Column("type", ("车辆类型",)),
         Column("date", ("登记日期", "初次登记日期"))],
        ["湘C12345", "赵六", "430381197001010015", "小型轿车", "2024-05-01"],
        lambda v: {"plate": _text(v, "plate", "号牌号码", 12).upper(),
                   **dict(zip(("owner_key", "owner_masked"), _id(v), strict=True)),
                   "owner_name": _text(v, "owner", "所有人", 40), "vehicle_type": _text(v, "type", "车辆类型", 30),
                   "registered_on": _date(v, "date", "登记日期")},
        lambda f: (f["plate"],), Vehicle, lambda keys: _keys_in(Vehicle, "plate", keys)),
    RegistryKind.BUSINESS: Spec(
        RegistryKind.BUSINESS,
        [Column("code", ("统一社会信用代码", "信用代码")), Column("company", ("企业名称", "名称")),
         Column("name", ("姓名", "人员姓名")), Column("id_number", ("身份证号", "证件号码")),
         Column("role", ("身份", "人员类型")), Column("date", ("成立日期",))],
        ["91430381MA4L000011", "湘乡某某农业有限公司", "钱七", "430381198501010016", "法定代表人", "2020-01-01"],
        lambda v: {"credit_code": _text(v, "code", "统一社会信用代码", 18).upper(),
                   "company_name": _text(v, "company", "企业名称", 120), "person_name": _text(v, "name", "姓名", 40),
                   **dict(zip(("id_key", "id_masked"), _id(v), strict=True)),
                   "role": _choice(v, "role", "身份", BusinessRoleKind), "registered_on": _date(v, "date", "成立日期")},
        lambda f: (f["credit_code"], f["id_key"], f["role"]), BusinessRole,
        lambda keys: {k for k in keys if BusinessRole.objects.filter(credit_code=k[0], id_key=k[1],
                                                                     role=k[2]).exists()}),
    RegistryKind.PROPERTY: Spec(
        RegistryKind.PROPERTY,
        [Column("certificate", ("不动产权证号", "权证号")), Column("name", ("买受人", "权利人")),
         Column("id_number", ("身份证号", "证件号码")), Column("location", ("坐落",)),
         Column("amount", ("成交金额", "成交金额(元)")), Column("date", ("登记日期",))],
        ["湘(2025)湘乡市不动产权第0000001号", "孙八", "430381199001010017", "湘乡市某小区3栋", "320000", "2025-06-01"],
        lambda v: {"certificate": _text(v, "certificate", "不动产权证号", 40),
                   "buyer_name": _text(v, "name", "买受人", 40),
                   **dict(zip(("buyer_key", "buyer_masked"), _id(v), strict=True)),
                   "location": _text(v, "location", "坐落", 120), "amount": _amount(v, "amount", "成交金额"),
                   "bought_on": _date(v, "date", "登记日期")},
        lambda f: (f["certificate"],), PropertyPurchase, lambda keys: _keys_in(PropertyPurchase, "certificate", keys)),
    RegistryKind.PENSION: Spec(
        RegistryKind.PENSION,
        [Column("name", ("姓名",)), Column("id_number", ("身份证号", "公民身份号码")),
         Column("employer", ("参保单位", "单位名称")), Column("date", ("参保日期", "参保时间"))],
        ["周九", "430381198801010018", "湘潭某某制造有限公司", "2023-01-01"],
        lambda v: {**dict(zip(("id_key", "id_masked"), _id(v), strict=True)), "name": _text(v, "name", "姓名", 40),
                   "employer": _text(v, "employer", "参保单位", 120), "enrolled_on": _date(v, "date", "参保日期")},
        lambda f: (f["id_key"],), PensionEnrolment, lambda keys: _keys_in(PensionEnrolment, "id_key", keys)),
    RegistryKind.DISABILITY: Spec(
        RegistryKind.DISABILITY,
        [Column("name", ("姓名",)), Column("id_number", ("身份证号", "公民身份号码")),
         Column("certificate", ("残疾证号",)), Column("grade", ("残疾等级", "等级"))],
        ["吴十", "430381197501010019", "43038119750101001942", "二级"],
        lambda v: {**dict(zip(("id_key", "id_masked"), _id(v), strict=True)), "name": _text(v, "name", "姓名", 40),
                   "certificate": _text(v, "certificate", "残疾证号", 30), "grade": _text(v, "grade", "残疾等级", 10)},
        lambda f: (f["id_key"],), DisabilityRecord, lambda keys: _keys_in(DisabilityRecord, "id_key", keys)),
    RegistryKind.STANDARDS: Spec(
        RegistryKind.STANDARDS,
        [Column("item", ("资金项目",)), Column("basis", ("标准单位", "计发方式")),
         Column("amount", ("每期标准", "标准金额", "每期标准(元)")), Column("from", ("起始日期", "执行起始日期")),
         Column("to", ("截止日期", "执行截止日期"))],
        ["教育补助", "每户每期", "1000", "2026-01-01", "2026-12-31"],
        lambda v: _standard(v),
        lambda f: (f["fund_item"], f["valid_from"]), FundStandard,
        lambda keys: {k for k in keys if FundStandard.objects.filter(fund_item=k[0], valid_from=k[1]).exists()}),
}


def _standard(v: dict) -> dict:
    out = {"fund_item": _text(v, "item", "资金项目", 60), "basis": _choice(v, "basis", "标准单位", StandardBasis),
           "amount": _amount(v, "amount", "每期标准"), "valid_from": _date(v, "from", "起始日期")}
    try:
        out["valid_to"] = parse_date(v.get("to", ""))
    except (ValueError, ApplicationError):
        raise RowProblem("to", "截止日期不是日期") from None
    if out["valid_to"] < out["valid_from"]:
        raise RowProblem("to", "截止日期早于起始日期")
    return out


def registry_template(kind: str) -> bytes:
    """The XLSX template of a registry: its headings and one example row."""
    import xlsxwriter

    spec = _spec(kind)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet(str(RegistryKind(kind).label)[:31])
    bold = book.add_format({"bold": True})
    for col, column in enumerate(spec.columns):
        sheet.write_string(0, col, column.headings[0], bold)
        sheet.write_string(1, col, spec.template_row[col])
        sheet.set_column(col, col, 20)
    book.close()
    return buffer.getvalue()


def _spec(kind: str) -> Spec:
    if kind not in SPECS:
        raise ApplicationError("名册类型无效", code=RedflagsErrorCode.REGISTRY_KIND)
    return SPECS[kind]


def registry_import(*, kind: str, source_file, filename: str, source: str, data_date, actor=None,
                    job=None) -> ImportResult:
    """Import one registry file: every row checked; any bad row and nothing is written (each named)."""
    spec = _spec(kind)
    source = (source or "").strip()
    if not source:
        raise ApplicationError("请填写数据来源(提供单位)", code=RedflagsErrorCode.SOURCE_REQUIRED)
    if isinstance(data_date, str):
        try:
            data_date = dt.date.fromisoformat(data_date)
        except ValueError:
            raise ApplicationError("数据日期无效", code=RedflagsErrorCode.DATA_DATE) from None
    table = open_table(source_file, filename=filename, columns=spec.columns)
    errors, result = RowErrors(), ImportResult()
    parsed: list[tuple[int, dict]] = []
    first_row: dict[tuple, int] = {}
    for row in table.rows():
        result.total_rows += 1
        if row.problems:
            errors.add_row_problems(row, table.headings)
            continue
        try:
            fields = spec.parse(row.values)
        except RowProblem as problem:
            errors.add(row.number, table.headings.get(problem.column, problem.column), str(problem))
            continue
        key = spec.unique(fields)
        if key in first_row:
            errors.add(row.number, "", f"与第{first_row[key]}行重复")
            continue
        first_row[key] = row.number
        parsed.append((row.number, fields))
    for key in spec.existing(list(first_row)):
        errors.add(first_row[key], "", "该记录已导入过(重复)")
    if errors:
        result.errors, result.error_count, result.message = errors.as_list(), len(errors), errors.summary()
        return result
    with transaction.atomic():
        batch = RegistryBatch.objects.create(kind=kind, source=source[:120], data_date=data_date,
                                             filename=filename[:200], rows=len(parsed), import_job=job,
                                             created_by=actor if getattr(actor, "pk", None) else None)
        _write(spec, batch, [f for _, f in parsed])
    result.created = len(parsed)
    result.message = f"已导入{RegistryKind(kind).label} {len(parsed)} 行(来源:{source},数据日期 {data_date})"
    return result


def _write(spec: Spec, batch: RegistryBatch, rows: list[dict]) -> None:
    if spec.kind != RegistryKind.OFFICIALS:
        spec.model.objects.bulk_create([spec.model(batch=batch, **f) for f in rows], batch_size=BULK)
        return
    officials = {o.id_key: o for o in Official.objects.filter(id_key__in={f["id_key"] for f in rows})}
    new = {}
    for f in rows:
        if f["id_key"] not in officials and f["id_key"] not in new:
            new[f["id_key"]] = Official(batch=batch, **{k: v for k, v in f.items() if k != "_relative"})
    Official.objects.bulk_create(list(new.values()), batch_size=BULK)
    officials |= {o.id_key: o for o in Official.objects.filter(id_key__in=list(new))}
    OfficialRelative.objects.bulk_create(
        [OfficialRelative(batch=batch, official=officials[f["id_key"]], **f["_relative"])
         for f in rows if f["_relative"]], batch_size=BULK)


def registry_job_work(job) -> ImportResult:
    """The work of a registry ImportJob (run by core.importjobs.import_job_run)."""
    from sunshine.org.models import Account

    options = job.options or {}
    actor = Account.objects.filter(pk=job.created_by_id).first() if job.created_by_id else None
    with open(job.stored_path, "rb") as handle:
        return registry_import(kind=job.kind.removeprefix(JOB_KIND_PREFIX), source_file=handle,
                               filename=job.filename, source=options.get("source", ""),
                               data_date=options.get("data_date", ""), actor=actor, job=job)
