"""The funds domain's numbers from the work plan (sunshine.core.plan), declared once with their clause."""
from django.utils.translation import gettext_lazy as _

from sunshine.core.plan import plan_param

# 三(四)1 督促检查扶贫资金及时发放到位: money allocated and still unspent this many days later is idle (滞留).
# The one definition: funds.rules.idle_allocations (statistics and the data comparison both read it).
IDLE_DAYS = plan_param("funds.idle.days", 90, clause="三(四)1", label=_("资金下达后未使用视为滞留的天数"), unit=_("天"),
                       minimum=1)
