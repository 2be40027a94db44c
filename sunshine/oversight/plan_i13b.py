"""The plan's numbers for less burden, training, inspection and the annual assessment (core.plan: one place per
year, the plan's value as the default, each citing its clause). Imported by OversightConfig.ready."""
from django.utils.translation import gettext_lazy as _

from sunshine.core.plan import plan_param

# 三(二)4: the plan names no number of days for 审批登记备案; 20 calendar days is the office's working default.
FILING_WAIT_DAYS = plan_param("oversight.filing.wait_days", 20, clause="三(二)4", unit="天", minimum=1,
                              label=_("项目审批、备案办理时限(天),超过即列入待办清单"))
# 三(二)4: one 建档立卡 data filing a year is the only data villages may be asked for.
ANNUAL_FILINGS = plan_param("oversight.data_requests.annual_filings", 1, clause="三(二)4", unit="次",
                            label=_("每年村级填报建档立卡数据次数"))
# 三(三)2: units and fields proposed for special inspection/audit.
SPECIAL_CLUE_RATIO = plan_param("oversight.special.clue_ratio", "1.5", clause="三(三)2", unit="倍",
                                label=_("问题线索达到平均数的倍数即列为线索集中"))
SPECIAL_CLUE_MIN = plan_param("oversight.special.clue_min", 3, clause="三(三)2", unit="件",
                              label=_("线索集中的最少件数"))
SPECIAL_MONEY_RATIO = plan_param("oversight.special.money_ratio", "1.5", clause="三(三)2", unit="倍",
                                 label=_("扶贫资金量达到平均数的倍数即列为资金量大"))
# 三(四)1: the annual assessment's weights (points of 100).
ASSESSMENT_WEIGHTS = {
    "visits": plan_param("oversight.assessment.weight.visits", 20, clause="三(四)1", unit="分",
                         label=_("考核权重:调研走访覆盖")),
    "disclosure": plan_param("oversight.assessment.weight.disclosure", 15, clause="三(四)1", unit="分",
                             label=_("考核权重:资金按时公示")),
    "cases": plan_param("oversight.assessment.weight.cases", 20, clause="三(四)1", unit="分",
                        label=_("考核权重:信访件按期办理")),
    "rectification": plan_param("oversight.assessment.weight.rectification", 15, clause="三(四)1", unit="分",
                                label=_("考核权重:整改完成")),
    "training": plan_param("oversight.assessment.weight.training", 10, clause="三(四)1", unit="分",
                           label=_("考核权重:培训覆盖")),
    "interviews": plan_param("oversight.assessment.weight.interviews", 10, clause="三(四)1", unit="分",
                             label=_("考核权重:未被约谈")),
    "commitments": plan_param("oversight.assessment.weight.commitments", 10, clause="三(四)1", unit="分",
                              label=_("考核权重:四责四诺兑现")),
}
