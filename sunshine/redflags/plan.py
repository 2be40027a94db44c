"""The data comparison's thresholds (sunshine.core.plan): one number per year each, with the clause behind it."""
from django.utils.translation import gettext_lazy as _

from sunshine.core.plan import plan_param

# 二(三)11 优亲厚友: payments of at least this much in total make a cadre's relative's household a clue.
R01_MIN_TOTAL = plan_param("redflags.r01.min_total", 0, clause="二(三)11", unit=_("元"),
                           label=_("比对R01:公职人员/村干部亲属户累计领取金额下限"))
R05_MIN_PROPERTY_AMOUNT = plan_param("redflags.r05.min_amount", 100000, clause="二(三)11", unit=_("元"),
                                     label=_("比对R05:计入的购房成交金额下限"))
# 二(四)16 虚报冒领: more than this much over the item's standard (percent) is a clue (rounding, arrears).
R10_TOLERANCE_PERCENT = plan_param("redflags.r10.tolerance_percent", 5, clause="二(四)16", unit="%",
                                   label=_("比对R10:超出发放标准的容差"))
# 二(四)17 资金闲置滞留: the statistics desk's idle-money days (funds.idle.days) are used as they are.
# 二(四)18 验收前支付: spending before acceptance beyond this share of the contract (an advance) is a clue.
R12_ADVANCE_PERCENT = plan_param("redflags.r12.advance_percent", 30, clause="二(四)18", unit="%",
                                 label=_("比对R12:验收前允许支付的预付款比例"))
# 三(二)3, 二(四)19: a current project not disclosed this many days after it was recorded.
R13_DISCLOSE_DAYS = plan_param("redflags.r13.disclose_days", 30, clause="三(二)3", unit=_("天"), minimum=1,
                               label=_("比对R13:项目录入后应公开的天数"))
# 二(四)18 围标串标/利益输送: a contractor holding more than this share of a township's project money …
R15_MAX_SHARE_PERCENT = plan_param("redflags.r15.max_share_percent", 50, clause="二(四)18", unit="%",
                                   label=_("比对R15:一家施工单位占乡镇项目金额的比例上限"))
# … in a township with at least this many projects (a township with two projects proves nothing).
R15_MIN_PROJECTS = plan_param("redflags.r15.min_projects", 4, clause="二(四)18", unit=_("个"), minimum=2,
                              label=_("比对R15:乡镇项目数下限"))
# 二(四)16 村级小微权力: a village-account payment at or above this needs the villagers' representatives' approval.
R16_APPROVAL_THRESHOLD = plan_param("redflags.r16.approval_threshold", 10000, clause="二(四)16", unit=_("元"),
                                    minimum=1, label=_("比对R16:村级支出须经审批的金额"))
# … payments between this percent of the threshold and the threshold are "just under" it.
R16_NEAR_PERCENT = plan_param("redflags.r16.near_percent", 70, clause="二(四)16", unit="%",
                              label=_("比对R16:接近审批金额的比例"))
R16_MIN_PARTS = plan_param("redflags.r16.min_parts", 2, clause="二(四)16", unit=_("笔"), minimum=2,
                           label=_("比对R16:同月同一收款人拆分笔数下限"))
# 二(三)11 优亲厚友: one cadre whose relatives' households received at least this many payments.
R17_MIN_PAYMENTS = plan_param("redflags.r17.min_payments", 5, clause="二(三)11", unit=_("笔"), minimum=1,
                              label=_("比对R17:一名干部关联亲属领取笔数下限"))
