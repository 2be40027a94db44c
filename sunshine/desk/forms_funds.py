"""The forms of funds hand entry (views_funds_entry): allocations, projects, payments, accounts and transactions."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sunshine.funds import selectors
from sunshine.funds.choices import Direction, FundLevel, RecipientKind
from sunshine.org import selectors as org_selectors
from sunshine.org.choices import RegionLevel

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads


def region_choices(actor, level: int) -> list[tuple[str, str]]:
    regions = org_selectors.region_list_visible_to(actor=actor, level=level).select_related("parent")
    return [("", "—")] + [(str(r.pk), f"{r.parent.name if r.parent_id else ''}{r.name}") for r in regions]


class AllocationForm(forms.Form):
    level = forms.ChoiceField(label=_("资金层级"), choices=FundLevel.choices)
    document_number = forms.CharField(label=_("文号"), max_length=80)
    fund_type = forms.CharField(label=_("资金类别"), max_length=60)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0)
    allocated_on = forms.DateField(label=_("下达日期"), widget=DATE_WIDGET)
    recipient_kind = forms.ChoiceField(label=_("分配对象类型"), choices=RecipientKind.choices)
    township = forms.ChoiceField(label=_("乡镇（对象为乡镇时）"), required=False)
    village = forms.ChoiceField(label=_("村（对象为村时）"), required=False)
    project = forms.ChoiceField(label=_("项目（对象为项目时）"), required=False)
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = region_choices(actor, RegionLevel.TOWNSHIP)
        self.fields["village"].choices = region_choices(actor, RegionLevel.VILLAGE)
        projects = selectors.project_list_visible_to(actor=actor)[:500]
        self.fields["project"].choices = [("", "—")] + [(str(p.pk), f"{p.village.name} {p.name}") for p in projects]


class ProjectForm(forms.Form):
    village = forms.ChoiceField(label=_("实施村"))
    name = forms.CharField(label=_("项目名称"), max_length=200)
    code = forms.CharField(label=_("项目编号"), max_length=40, required=False)
    project_type = forms.CharField(label=_("项目类型"), max_length=40)
    budget = forms.DecimalField(label=_("计划投资（元）"), max_digits=14, decimal_places=2, min_value=0)
    content = forms.CharField(label=_("建设内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = region_choices(actor, RegionLevel.VILLAGE)


class PaymentForm(forms.Form):
    household = forms.CharField(label=_("户编号或户主身份证号"), max_length=32)
    fund_item = forms.CharField(label=_("资金项目"), max_length=60)
    amount = forms.DecimalField(label=_("发放金额（元）"), max_digits=14, decimal_places=2, min_value=0)
    period = forms.CharField(label=_("所属期"), max_length=30, required=False)
    paid_on = forms.DateField(label=_("发放日期"), widget=DATE_WIDGET)
    bank_card = forms.CharField(label=_("扶贫明白卡（银行卡）号"), max_length=32)
    payee_id_number = forms.CharField(label=_("领取人身份证号（非户主领取时）"), max_length=18, required=False)


class AccountForm(forms.Form):
    village = forms.ChoiceField(label=_("行政村"))
    account_name = forms.CharField(label=_("户名"), max_length=120, required=False)
    bank = forms.CharField(label=_("开户行"), max_length=120, required=False)
    account_number = forms.CharField(label=_("账号"), max_length=40)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = region_choices(actor, RegionLevel.VILLAGE)


class TransactionForm(forms.Form):
    account = forms.ChoiceField(label=_("村级账户"))
    occurred_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    direction = forms.ChoiceField(label=_("收支"), choices=Direction.choices)
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=14, decimal_places=2, min_value=0)
    balance = forms.DecimalField(label=_("余额（元）"), max_digits=14, decimal_places=2, required=False)
    voucher_number = forms.CharField(label=_("凭证号"), max_length=40, required=False)
    counterparty = forms.CharField(label=_("对方户名"), max_length=120, required=False)
    purpose = forms.CharField(label=_("摘要/用途"), max_length=200)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [(str(a.pk), f"{a.village.name} · {a}")
                                          for a in selectors.account_list_visible_to(actor=actor)]
