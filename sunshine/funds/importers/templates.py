"""Examples and notes of the four funds imports' XLSX templates (desk: 下载模板)."""
from __future__ import annotations

TEMPLATES: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
    "payment": ("扶贫明白卡（到户资金）发放导入模板", {
        "name": "张大山", "id_number": "430381195703080011", "item": "产业奖补", "amount": "1200.00",
        "paid_on": "2026-03-15", "card": "6217001234567890123", "period": "2026年3月",
    }, {
        "name": "领取人姓名，须与该证件号码登记的姓名一致",
        "id_number": "领取人的18位身份证号，须是建档立卡户成员；请设为文本格式",
        "item": "补贴项目，须是资金项目表中的名称（部门只能导入本部门的资金项目）",
        "amount": "发放金额（元），最多两位小数，不能为负",
        "paid_on": "发放日期，如 2026-03-15、2026/3/15 或 2026年3月15日",
        "card": "一卡通或银行卡账号，请设为文本格式",
        "period": "所属期，如“2026年3月”；空白按发放日期的月份",
    }),
    "transaction": ("村级账户收支明细导入模板", {
        "date": "2026-03-15", "voucher": "记-012", "purpose": "支付泉塘村道路硬化工程款", "income": "",
        "expense": "50000.00", "balance": "120000.00", "counterparty": "湘乡市某建筑公司",
        "account": "43001234567890",
    }, {
        "date": "记账日期", "voucher": "凭证号", "purpose": "摘要（资金用途）",
        "income": "收入金额（元），与支出二选一", "expense": "支出金额（元），与收入二选一",
        "balance": "余额（元），填写时逐行核对", "counterparty": "对方户名", "account": "本村账户账号",
    }),
    "allocation": ("资金分配（指标文件）导入模板", {
        "level": "中央", "document": "湘财农指〔2026〕12号", "fund_type": "中央财政衔接推进乡村振兴补助资金",
        "amount": "3000000.00", "date": "2026-02-20", "township": "龙洞镇", "village": "泉塘村",
        "project_code": "XM2026001", "project": "泉塘村道路硬化", "purpose": "基础设施",
    }, {
        "level": "资金层级：中央、省、市或县（市）", "document": "下达资金的文件文号", "fund_type": "资金类别",
        "amount": "分配金额（元）", "date": "下达日期", "township": "分配到的乡镇", "village": "分配到的村",
        "project_code": "项目编号（已登记的项目）", "project": "项目名称", "purpose": "用途",
    }),
    "project": ("扶贫项目导入模板", {
        "name": "泉塘村道路硬化", "code": "XM2026001", "township": "龙洞镇", "village": "泉塘村",
        "type": "基础设施", "budget": "500000.00", "content": "硬化村道2公里", "approval": "湘乡发改〔2026〕8号",
        "approved_on": "2026-02-01", "tender": "公开招标", "contractor": "湘乡市某建筑公司",
        "contract": "480000.00", "started_on": "2026-03-01", "accepted_on": "", "acceptance": "",
        "maintainer": "泉塘村村委会",
    }, {
        "name": "项目名称", "code": "项目编号，空白时系统编号", "township": "项目所在乡镇", "village": "项目所在村",
        "type": "项目类型", "budget": "计划投资（元）", "content": "建设内容及规模", "approval": "审批文号",
        "approved_on": "审批日期", "tender": "招标（采购）方式", "contractor": "中标（施工）单位",
        "contract": "合同金额（元）", "started_on": "开工日期", "accepted_on": "验收日期",
        "acceptance": "验收结论", "maintainer": "管护主体",
    }),
    "spending": ("项目资金支付（资金使用情况）导入模板", {
        "project_code": "XM2026001", "document": "湘财农指〔2026〕12号", "payee": "湘乡市某建筑公司",
        "contract": "HT-2026-008", "invoice": "04300261", "date": "2026-04-20", "amount": "120000.00",
        "purpose": "泉塘村道路硬化工程进度款",
    }, {
        "project_code": "已登记项目的项目编号", "document": "该笔资金的来源文号（须已导入资金分配）",
        "payee": "收款单位或收款人", "contract": "合同编号", "invoice": "发票号码", "date": "支付日期",
        "amount": "支付金额（元），最多两位小数", "purpose": "支付内容",
    }),
}
