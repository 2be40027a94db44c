"""The plan's numbers that oversight enforces (declared once; values per year in core.plan)."""
from django.utils.translation import gettext_lazy as _

from sunshine.core.plan import plan_param

# 三(二)1: city leaders visit at least 4 times a year, member-unit principals at least 3.
VISITS_CITY_LEADER = plan_param("oversight.visits.city_leader", 4, clause="三(二)1",
                                label=_("市级领导每年调研督查次数(不少于)"), unit=_("次"))
VISITS_MEMBER_PRINCIPAL = plan_param("oversight.visits.member_principal", 3, clause="三(二)1",
                                     label=_("成员单位主要负责人每年调研督查次数(不少于)"), unit=_("次"))
# 三(二)2: the party secretary and the mayor lead 10 petitions each, every other city leader 5.
PETITIONS_SECRETARY_MAYOR = plan_param("oversight.petitions.secretary_mayor", 10, clause="三(二)2",
                                       label=_("市委书记、市长每人领办信访件数"), unit=_("件"))
PETITIONS_CITY_LEADER = plan_param("oversight.petitions.city_leader", 5, clause="三(二)2",
                                   label=_("其他市级领导每人领办信访件数"), unit=_("件"))
# 三(三)2 召回: a work-team member or pairing cadre found away this many times in a year is listed as 挂名/走读.
PRESENCE_ABSENCES_FLAG = plan_param("oversight.presence.absences_flag", 2, clause="三(三)2",
                                    label=_("在岗抽查不在岗次数达到即列为挂名走读"), unit=_("次"), minimum=1)
# 三(三)2 回头看: the days after a reported rectification within which the follow-up is due.
RECTIFICATION_FOLLOW_UP_DAYS = plan_param("oversight.rectification.follow_up_days", 30, clause="三(三)2",
                                          label=_("整改完成后回头看期限"), unit=_("天"), minimum=1)
