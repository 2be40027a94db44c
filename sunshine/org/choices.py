"""Choices of the organisation domain (work plan 三(一))."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    CITY = 1, _("市")
    TOWNSHIP = 2, _("乡镇/街道")
    VILLAGE = 3, _("村/社区")
    GROUP = 4, _("村民小组")


class UnitKind(models.TextChoices):
    CITY_PARTY_GOV = "city", _("市委/市政府")
    MEMBER_UNIT = "member", _("扶贫开发领导小组成员单位")
    GOVERNANCE_OFFICE = "governance_office", _("市专项治理办")
    DISCIPLINE_COMMISSION = "discipline_commission", _("市纪委监委")
    DISCIPLINE_ROOM = "discipline_room", _("纪检监察室")
    DISCIPLINE_GROUP = "discipline_group", _("派驻纪检组")
    INSPECTION = "inspection", _("巡察机构")
    AUDIT = "audit", _("审计机关")
    DEPARTMENT = "department", _("其他市直单位")
    TOWNSHIP_GOV = "township", _("乡镇(街道)")
    # 三(一)3: the township discipline commission takes its own villages' discipline clues first.
    TOWNSHIP_DISCIPLINE = "township_discipline", _("乡镇(街道)纪(工)委")
    VILLAGE_COMMITTEE = "village", _("村(社区)两委")
    WORK_TEAM = "work_team", _("驻村工作队")


# Units whose officers supervise other units (三(一)3): they see the units they supervise, not a territory.
SUPERVISORY_UNIT_KINDS = {UnitKind.DISCIPLINE_ROOM, UnitKind.DISCIPLINE_GROUP}


class Post(models.TextChoices):
    PARTY_SECRETARY = "party_secretary", _("市委书记")
    MAYOR = "mayor", _("市长")
    CITY_LEADER = "city_leader", _("市级领导")
    PRINCIPAL = "principal", _("主要负责人")
    IN_CHARGE = "in_charge", _("分管负责人")
    SPECIFIC = "specific", _("具体负责人")
    TOWNSHIP_SECRETARY = "township_secretary", _("乡镇(街道)党(工)委书记")
    TOWNSHIP_HEAD = "township_head", _("乡镇长(街道办主任)")
    VILLAGE_SECRETARY = "village_secretary", _("村党支部书记")
    VILLAGE_DIRECTOR = "village_director", _("村主任")
    WORK_TEAM_LEADER = "work_team_leader", _("驻村工作队队长")
    WORK_TEAM_MEMBER = "work_team_member", _("驻村工作队员")
    PAIRING_CADRE = "pairing_cadre", _("结对帮扶责任人")
    VILLAGE_SUPERVISOR = "village_supervisor", _("村级监督员")
    GRID_WORKER = "grid_worker", _("网格员")
    DISCIPLINE_OFFICER = "discipline_officer", _("纪检监察干部")
    STAFF = "staff", _("工作人员")


# Posts one person holds at a time in a unit; the database refuses a second current holder.
SINGLE_SEAT_POSTS = [
    Post.PARTY_SECRETARY,
    Post.MAYOR,
    Post.PRINCIPAL,
    Post.TOWNSHIP_SECRETARY,
    Post.TOWNSHIP_HEAD,
    Post.VILLAGE_SECRETARY,
    Post.VILLAGE_DIRECTOR,
    Post.WORK_TEAM_LEADER,
]


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("未脱贫")
    EXITED = "exited", _("已脱贫")
    MONITORED = "monitored", _("监测户")


class Relation(models.TextChoices):
    HEAD = "户主", _("户主")
    SPOUSE = "配偶", _("配偶")
    CHILD = "子女", _("子女")
    PARENT = "父母", _("父母")
    GRANDCHILD = "孙子女", _("孙子女")
    GRANDPARENT = "祖父母", _("祖父母")
    SIBLING = "兄弟姐妹", _("兄弟姐妹")
    CHILD_IN_LAW = "儿媳/女婿", _("儿媳/女婿")
    OTHER = "其他", _("其他")


class Role(models.TextChoices):
    """What an account does; capabilities come from the role, visibility from the account's unit."""

    ADMIN = "admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("安全审计员")
    CITY_LEADER = "city_leader", _("市级领导")
    GOVERNANCE_OFFICE = "governance_office", _("市专项治理办")
    DISCIPLINE = "discipline", _("纪检监察干部")
    INSPECTION = "inspection", _("巡察干部")
    AUDIT = "audit", _("审计干部")
    DEPARTMENT = "department", _("部门工作人员")
    TOWNSHIP = "township", _("乡镇(街道)工作人员")
    VILLAGE = "village", _("村干部/网格员")


# 三权分立 (等保三级 三员管理): the system administrator runs the platform, the security administrator assigns
# accounts their roles, the audit administrator reads the security audit trail. Each account holds one role, so
# no account holds two of these; a superuser (Django's "all permissions") is a system administrator and nothing
# else (a database constraint), and the two separated capabilities are not among a superuser's powers.
ADMINISTRATOR_ROLES = {Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}

# Roles that see the whole city (三(一)3: the special governance office follows every clue; 三(三)2: inspection
# and audit cover every project and fund; leaders read the whole dashboard).
WHOLE_CITY_ROLES = {Role.ADMIN, Role.SECURITY_ADMIN, Role.CITY_LEADER, Role.GOVERNANCE_OFFICE, Role.INSPECTION, Role.AUDIT}
