from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryKind(models.TextChoices):
    OFFICIALS = "officials", _("公职人员、村干部及其近亲属")
    DEATHS = "deaths", _("死亡火化记录")
    VEHICLES = "vehicles", _("车辆登记")
    BUSINESS = "business", _("工商登记(法定代表人、股东)")
    PROPERTY = "property", _("不动产购置")
    PENSION = "pension", _("企业职工养老保险参保")
    DISABILITY = "disability", _("残疾人登记")
    STANDARDS = "standards", _("资金项目标准")


class OfficialKind(models.TextChoices):
    PUBLIC_EMPLOYEE = "public", _("公职人员")
    VILLAGE_CADRE = "cadre", _("村干部")


# 近亲属: the relations the officials' registry accepts (the Civil Code's close relatives, plus in-laws that
# the household registry records as members).
CLOSE_RELATIONS = ("配偶", "父母", "子女", "兄弟姐妹", "祖父母", "外祖父母", "孙子女", "外孙子女", "儿媳/女婿")


class DeathKind(models.TextChoices):
    DEATH = "death", _("死亡")
    CREMATION = "cremation", _("火化")


class BusinessRoleKind(models.TextChoices):
    LEGAL_REP = "legal_rep", _("法定代表人")
    SHAREHOLDER = "shareholder", _("股东")


class StandardBasis(models.TextChoices):
    PERSON = "person", _("每人每期")
    HOUSEHOLD = "household", _("每户每期")


class RunEngine(models.TextChoices):
    DB = "db", _("数据库")
    SPARK = "spark", _("Spark")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    SUCCEEDED = "succeeded", _("完成")
    FAILED = "failed", _("失败")


class HitReview(models.TextChoices):
    PENDING = "pending", _("待核实")
    CONFIRMED = "confirmed", _("属实")
    FALSE_POSITIVE = "false", _("误报")
