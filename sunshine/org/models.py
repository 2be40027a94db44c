"""Organisation: regions, units, people and posts, staff accounts, households of the 建档立卡 registry (三(一))."""
from __future__ import annotations

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sunshine.core.models import TimeStampedModel
from sunshine.core.scoping import ScopedBy
from sunshine.core.validators import validate_id_number, validate_mobile

from .choices import SINGLE_SEAT_POSTS, Post, PovertyStatus, RegionLevel, Relation, Role, UnitKind


class Region(models.Model):
    """An administrative region: city → township/street → village/community → villager group.

    `path` is the materialised path of codes ("430381000000/430381101000/…/"), so "everything under X" is one
    indexed prefix query. Codes are the 12-digit statistical division codes; villager groups, which the
    statistical system does not number, get their village's code plus a 3-digit group number.
    """

    code = models.CharField(_("区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=80, unique=True, editable=False)
    is_poor_village = models.BooleanField(_("贫困村"), default=False)
    # The day a poor village left the list (摘帽): it still counts as poor for the rest of that year (oversight).
    poor_exited_on = models.DateField(_("贫困村退出日期"), null=True, blank=True)

    # A small table: other models' scoping resolves it to ids first (sunshine.core.scoping).
    jurisdiction = ScopedBy(region_path="path", resolve_ids=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        # `path` is unique, so Django already gives PostgreSQL a varchar_pattern_ops "_like" index for
        # LIKE 'prefix%' (and SQLite its unique index).
        indexes = [
            models.Index(fields=["parent", "name"], name="org_region_parent_name"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="org_region_level_range"),
            models.CheckConstraint(
                condition=Q(level=1, parent__isnull=True) | Q(level__gt=1, parent__isnull=False),
                name="org_region_only_city_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path is derived data, kept beside the row so prefix queries need no recursion.
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        names = []
        node: Region | None = self
        while node is not None and node.level > RegionLevel.CITY:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Unit(TimeStampedModel):
    """A unit: member unit, office, discipline room or group, township government, village committee, work team."""

    name = models.CharField(_("单位名称"), max_length=80, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类别"), max_length=24, choices=UnitKind.choices)
    # The area a territorial unit governs (township government → township, village committee → village,
    # city-wide offices → the city). Departments have none: their staff see their own unit's records.
    territory = models.ForeignKey(
        Region, verbose_name=_("辖区"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # 三(一)2: position in the leading group's member list (1–31), empty for other units.
    member_order = models.PositiveSmallIntegerField(_("成员单位序号"), null=True, blank=True, unique=True)
    # 三(一)3: discipline rooms and dispatched groups each supervise their units.
    supervised_units = models.ManyToManyField(
        "self", verbose_name=_("监督联系单位"), symmetrical=False, blank=True, related_name="supervisors"
    )

    jurisdiction = ScopedBy(region_path="territory__path", unit="id", resolve_ids=True)

    class Meta:
        ordering = ["kind", "member_order", "name"]
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            models.CheckConstraint(
                condition=Q(member_order__isnull=True) | Q(member_order__gte=1, member_order__lte=31),
                name="org_unit_member_order_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(TimeStampedModel):
    """A cadre or official; posts held over time are Positions."""

    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=2, blank=True)
    id_number = models.CharField(
        _("身份证号"), max_length=18, blank=True, validators=[validate_id_number]
    )
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mobile])
    # The unit the person currently works in (kept in step with the current positions by services).
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )

    jurisdiction = ScopedBy(region_path="unit__territory__path", unit="unit_id")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=~Q(id_number=""), name="org_person_unique_id_number"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Position(TimeStampedModel):
    """Who held which post in which unit, from when to when (end empty while current)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="positions")
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="positions")
    post = models.CharField(_("职务类别"), max_length=24, choices=Post.choices)
    title = models.CharField(_("职务名称"), max_length=60, blank=True)
    start_date = models.DateField(_("任职日期"))
    end_date = models.DateField(_("离任日期"), null=True, blank=True)

    jurisdiction = ScopedBy(region_path="unit__territory__path", unit="unit_id")

    class Meta:
        ordering = ["unit", "post", "-start_date"]
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="org_position_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["unit", "post"],
                condition=Q(end_date__isnull=True, post__in=SINGLE_SEAT_POSTS),
                name="org_position_one_current_holder",
                violation_error_message=_("该职务已有在任人员，请先办理离任"),
            ),
        ]
        indexes = [models.Index(fields=["post", "end_date"], name="org_position_post_current")]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit} · {self.get_post_display()}"

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class AccountManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser is the system administrator (三权分立: never the security or audit administrator).
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class Account(AbstractUser):
    """A staff login, tied to a person and a unit. Role gives capabilities; the unit gives jurisdiction."""

    person = models.OneToOneField(
        Person, verbose_name=_("人员"), null=True, blank=True, on_delete=models.PROTECT, related_name="account"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices, default=Role.VILLAGE)

    jurisdiction = ScopedBy(region_path="unit__territory__path", unit="unit_id")

    objects = AccountManager()

    class Meta:
        verbose_name = _("工作人员账号")
        verbose_name_plural = _("工作人员账号")
        constraints = [
            # 三权分立: a superuser holds every power of the system administrator and so can be nothing else.
            models.CheckConstraint(condition=Q(is_superuser=False) | Q(role=Role.ADMIN),
                                   name="org_account_superuser_is_system_admin"),
        ]

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else (self.get_full_name() or self.username)


FIRST_LINK_GENERATION = 1


class Household(TimeStampedModel):
    """A household of the 建档立卡 registry."""

    code = models.CharField(_("户编号"), max_length=32, unique=True)
    village = models.ForeignKey(
        Region, verbose_name=_("行政村"), on_delete=models.PROTECT, related_name="households",
        limit_choices_to={"level": RegionLevel.VILLAGE},
    )
    group = models.ForeignKey(
        Region, verbose_name=_("村民小组"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": RegionLevel.GROUP},
    )
    head_name = models.CharField(_("户主姓名"), max_length=40)
    head_id_number = models.CharField(_("户主证件号码"), max_length=18, validators=[validate_id_number])
    phone = models.CharField(_("联系电话"), max_length=11, blank=True, validators=[validate_mobile])
    member_count = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    poverty_status = models.CharField(_("贫困状态"), max_length=12, choices=PovertyStatus.choices)
    status_year = models.PositiveSmallIntegerField(_("年度"), help_text=_("识别或脱贫年度"))
    poverty_cause = models.CharField(_("主要致贫原因"), max_length=40, blank=True)
    household_attribute = models.CharField(_("贫困户属性"), max_length=40, blank=True)
    pairing_cadre = models.ForeignKey(
        Person, verbose_name=_("结对帮扶责任人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="paired_households",
    )
    import_job = models.ForeignKey(
        "core.ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # The generation of the household's personal link (org.household_links): renewing it revokes the old link.
    # Nothing secret is stored. NULL is the first generation: a nullable column is added in place (on SQLite a
    # NOT NULL one rebuilds the table and would drop funds' delete-guard trigger) and bulk imports leave it out.
    link_generation = models.PositiveIntegerField(_("个人链接版本"), null=True, blank=True, editable=False)

    @property
    def link_generation_current(self) -> int:
        return self.link_generation or FIRST_LINK_GENERATION

    jurisdiction = ScopedBy(region_path="village__path")

    class Meta:
        ordering = ["village", "code"]
        verbose_name = _("建档立卡户")
        verbose_name_plural = _("建档立卡户")
        indexes = [
            models.Index(fields=["village", "poverty_status"], name="org_household_village_status"),
            models.Index(fields=["head_name"], name="org_household_head_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status_year__gte=2013, status_year__lte=2100), name="org_household_year_range"
            ),
            models.CheckConstraint(
                condition=Q(poverty_status__in=PovertyStatus.values), name="org_household_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}"


class HouseholdMember(TimeStampedModel):
    """A member of a registered household (the head is a member too)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    id_number = models.CharField(_("证件号码"), max_length=18, unique=True, validators=[validate_id_number])
    relation = models.CharField(_("与户主关系"), max_length=10, choices=Relation.choices)
    # The relation as the national system's file words it ("之子", "之儿媳"), kept beside the category the rules
    # use; exported back as it came in. Empty for members entered by hand (the category is then the text).
    relation_text = models.CharField(_("与户主关系（原文）"), max_length=20, blank=True, default="", db_default="")
    gender = models.CharField(_("性别"), max_length=2, blank=True)
    phone = models.CharField(_("联系电话"), max_length=11, blank=True, validators=[validate_mobile])

    jurisdiction = ScopedBy(region_path="household__village__path")

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=Q(relation="户主"), name="org_member_one_head_per_household"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProblemGroup(models.Model):
    """One of the 6 groups of problems in 二、治理重点."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    title = models.CharField(_("标题"), max_length=60)

    class Meta:
        ordering = ["number"]
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")

    def __str__(self) -> str:
        return self.title


class ProblemType(models.Model):
    """One of the 27 problem types (二、治理重点 1–27), text exactly as in the plan."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    group = models.ForeignKey(ProblemGroup, on_delete=models.PROTECT, related_name="types")
    text = models.TextField(_("原文"))
    short_title = models.CharField(_("简称"), max_length=80)

    class Meta:
        ordering = ["number"]
        verbose_name = _("问题类型")
        verbose_name_plural = _("问题类型")
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=27), name="org_problemtype_number_range")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"


# Field-change history (sunshine.core.audit explains its place): never personal data, so ID numbers and phone
# numbers are left out of it; passwords and login times too.
HISTORY_EXCLUDED_FIELDS = {
    Person: ["id_number", "phone"],
    Account: ["password", "last_login"],
    Household: ["head_id_number", "phone"],
    HouseholdMember: ["id_number", "phone"],
}
for _model in (Region, Unit, Person, Position, Account, Household, HouseholdMember):
    auditlog.register(_model, exclude_fields=HISTORY_EXCLUDED_FIELDS.get(_model))
