"""Oversight models, one module per subject (visits, petitions, rectification, training, …).

Each subject module is imported here so Django finds its models; add one line per subject, in alphabetical order.
"""
from .assessments import Commitment  # noqa: F401
from .burden import DataRequest, IssuedDocument, VillageAssessment  # noqa: F401
from .inspections import Inspection, InspectionFinding, InspectionTarget  # noqa: F401
from .interviews import Interview  # noqa: F401  (i13a)
from .leadership import LeadingGroupMember  # noqa: F401  (i13a)
from .mechanisms import DeptTask, Grid, MicroPower, MicroPowerStep, WeakOrganisation  # noqa: F401
from .petitions import LeaderAssignment, LeaderInstruction, ReporterMeeting  # noqa: F401  (i13a)
from .presence import PresenceCheck  # noqa: F401  (i13a)
from .rectifications import RectificationAlert, RectificationFollowUp, RectificationItem  # noqa: F401  (i13a)
from .training import TrainingAttendance, TrainingPlan, TrainingSession  # noqa: F401
from .visits import Visit  # noqa: F401  (i13a)
