"""The forms of the campaign registers' desk pages (views_campaign): fields and the choices a user may pick from."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.org.choices import RegionLevel, UnitKind
from sunshine.org.selectors import person_list_visible_to, region_list_visible_to, unit_list_visible_to
from sunshine.oversight.choices_i13b import BasisLevel, DataRequestKind
from sunshine.oversight.selectors import burden as burden_selectors

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEAR = {"min_value": 2000, "max_value": 2100}


def _villages(actor) -> list[tuple[str, str]]:
    villages = region_list_visible_to(actor=actor, level=RegionLevel.VILLAGE).select_related("parent")
    return [(str(v.pk), f"{v.parent.name}{v.name}") for v in villages.order_by("path")]


def assessment_regions(actor):
    """The actor's regions; a city department without a territory of its own assesses the villages city-wide."""
    from sunshine.org.models import Region

    regions = region_list_visible_to(actor=actor).filter(level__lte=RegionLevel.VILLAGE)
    if not regions.exists():
        regions = Region.objects.filter(level=RegionLevel.CITY)
    return regions.order_by("path")


def split_names(raw: str) -> list[str]:
    """Names typed with 、 , ; or one a line, in order, each once."""
    for sep in ("、", ",", "，", ";", "；", "\n"):
        raw = raw.replace(sep, " ")
    return list(dict.fromkeys(raw.split()))


class DataRequestForm(forms.Form):
    region = forms.ChoiceField(label=_("填报范围"))
    kind = forms.ChoiceField(label=_("类别"), choices=DataRequestKind.choices)
    title = forms.CharField(label=_("名称"), max_length=120)
    fields = forms.CharField(label=_("要求填报的项目（每行一项）"), widget=forms.Textarea(attrs={"rows": 3}))
    purpose = forms.CharField(label=_("用途"), max_length=300)
    deadline = forms.DateField(label=_("报送期限"), widget=DATE_WIDGET)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        regions = region_list_visible_to(actor=actor).filter(level__lte=RegionLevel.VILLAGE).select_related("parent")
        self.fields["region"].choices = [(str(r.pk), r.full_name or r.name) for r in regions.order_by("path")[:500]]


class DocumentForm(forms.Form):
    number = forms.CharField(label=_("文号"), max_length=60)
    title = forms.CharField(label=_("标题"), max_length=200)
    issued_on = forms.DateField(label=_("发文日期"), widget=DATE_WIDGET)
    forwards = forms.ChoiceField(label=_("转发的平台已登记文件"), required=False)
    forwards_number = forms.CharField(label=_("或：转发的上级文件文号"), max_length=60, required=False)
    has_measures = forms.BooleanField(label=_("结合实际出台了具体措施"), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        docs = burden_selectors.documents_visible(actor=actor)[:200]
        self.fields["forwards"].choices = [("", "—")] + [(str(d.pk), f"{d.number} {d.title}") for d in docs]


class TaskForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), **YEAR)
    title = forms.CharField(label=_("任务"), max_length=200)
    measure = forms.CharField(label=_("计量单位"), max_length=20, initial="项")
    target = forms.DecimalField(label=_("目标"), max_digits=14, decimal_places=2, min_value=0)
    due_on = forms.DateField(label=_("完成时限"), widget=DATE_WIDGET)


class ProgressForm(forms.Form):
    completed = forms.DecimalField(label=_("已完成"), max_digits=14, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("进展说明"), max_length=300, required=False)


class MicroPowerForm(forms.Form):
    category = forms.CharField(label=_("类别"), max_length=40)
    title = forms.CharField(label=_("事项"), max_length=120)
    responsible_post = forms.CharField(label=_("责任岗位"), max_length=40)
    basis = forms.CharField(label=_("依据"), max_length=200, required=False)
    steps = forms.CharField(label=_("办理环节（每行一个：环节|责任岗位）"), widget=forms.Textarea(attrs={"rows": 5}))

    def clean_steps(self) -> list[tuple[str, str]]:
        """(step, post) pairs; a step without a post falls to the item's responsible post (in clean())."""
        return [tuple((line.split("|", 1) + [""])[:2]) for line in self.cleaned_data["steps"].splitlines()
                if line.strip()]

    def clean(self):
        data = super().clean()
        if "steps" in data and data.get("responsible_post"):
            data["steps"] = [(name.strip(), post.strip() or data["responsible_post"]) for name, post in data["steps"]]
        return data


class WeakOrgForm(forms.Form):
    village = forms.ChoiceField(label=_("村"))
    year = forms.IntegerField(label=_("认定年度"), **YEAR)
    designated_on = forms.DateField(label=_("认定日期"), widget=DATE_WIDGET)
    reasons = forms.CharField(label=_("主要问题"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = _villages(actor)


class LiftForm(forms.Form):
    lifted_on = forms.DateField(label=_("销号日期"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("销号情况"), max_length=300)


class CheckForm(forms.Form):
    kept = forms.TypedChoiceField(label=_("年终检查"), choices=[("1", _("已兑现")), ("0", _("未兑现"))],
                                  coerce=lambda v: v == "1")
    note = forms.CharField(label=_("检查情况"), max_length=300)


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=[("inspection", _("巡察")), ("audit", _("审计"))])
    title = forms.CharField(label=_("名称"), max_length=160)
    units = forms.MultipleChoiceField(label=_("对象单位"), widget=forms.SelectMultiple(attrs={"size": 8}))
    started_on = forms.DateField(label=_("开始日期"), widget=DATE_WIDGET)
    ended_on = forms.DateField(label=_("结束日期"), widget=DATE_WIDGET, required=False)
    is_special = forms.BooleanField(label=_("专项巡察/审计"), required=False)
    reason = forms.CharField(label=_("立项理由（专项必填）"), max_length=300, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        units = unit_list_visible_to(actor=actor).filter(kind__in=[UnitKind.TOWNSHIP_GOV, UnitKind.MEMBER_UNIT,
                                                                   UnitKind.DEPARTMENT])
        self.fields["units"].choices = [(str(u.pk), u.name) for u in units.order_by("kind", "name")]


class FindingForm(forms.Form):
    unit = forms.ChoiceField(label=_("责任单位"))
    text = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 3}))
    amount = forms.DecimalField(label=_("涉及金额（元）"), max_digits=14, decimal_places=2, min_value=0, required=False)
    deadline = forms.DateField(label=_("整改期限"), widget=DATE_WIDGET)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(str(t.unit_id), t.unit.name) for t in targets if t.unit_id]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("班次名称"), max_length=120)
    held_on = forms.DateField(label=_("培训日期"), widget=DATE_WIDGET)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    topics = forms.CharField(label=_("内容"), max_length=300, required=False)
    covers_governance = forms.BooleanField(label=_("含作风问题专项治理内容"), required=False, initial=True)


class TrainingPlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), **YEAR)
    title = forms.CharField(label=_("计划名称"), max_length=120)
    content = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class GridForm(forms.Form):
    """A grid of one village: its groups must be that village's, its workers people on the roll, each found once."""

    village = forms.ChoiceField(label=_("村（社区）"))
    name = forms.CharField(label=_("网格名称"), max_length=60)
    groups = forms.CharField(label=_("所含村民小组（名称，用顿号或换行分隔）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    workers = forms.CharField(label=_("网格员（姓名，用顿号或换行分隔）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["village"].choices = _villages(actor)

    def clean(self):
        data = super().clean()
        if "village" not in data:
            return data
        village = region_list_visible_to(actor=self.actor, level=RegionLevel.VILLAGE).get(pk=int(data["village"]))
        data["village"] = village
        names = split_names(data.get("groups", ""))
        groups = list(region_list_visible_to(actor=self.actor, level=RegionLevel.GROUP).filter(
            parent=village, name__in=names))
        missing = [n for n in names if n not in {g.name for g in groups}]
        if missing:
            self.add_error("groups", _("%(village)s没有这些村民小组：%(names)s")
                           % {"village": village.name, "names": "、".join(missing)})
        data["groups"] = groups
        workers = []
        for name in split_names(data.get("workers", "")):
            found = list(person_list_visible_to(actor=self.actor).filter(name=name)[:2])
            if not found:
                self.add_error("workers", _("%(name)s：查无此人") % {"name": name})
            elif len(found) > 1:
                self.add_error("workers", _("%(name)s：有重名，请到人员页面核对") % {"name": name})
            else:
                workers.extend(found)
        data["workers"] = workers
        return data


class VillageAssessmentForm(forms.Form):
    region = forms.ChoiceField(label=_("考核范围"))
    title = forms.CharField(label=_("考核评估名称"), max_length=120)
    year = forms.IntegerField(label=_("年度"), **YEAR)
    basis_level = forms.ChoiceField(label=_("部署层级"), choices=BasisLevel.choices)
    basis_document = forms.CharField(label=_("部署文件文号"), max_length=80, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(str(r.pk), r.full_name or r.name) for r in assessment_regions(actor)[:500]]
