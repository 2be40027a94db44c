"""API schemas of the report desk: explicit fields only; no reporter identity ever appears here."""
import datetime as dt

from ninja import Field, Schema


class CaseOut(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    priority: int
    handling_unit_id: int
    handling_unit_name: str
    region_name: str
    problem_type_number: int | None
    suggested_problem_type_number: int | None
    channel: str
    is_real_name: bool
    suspected_violation: bool
    escalated: bool
    skipped_level: bool
    received_on: dt.date
    handler_name: str = ""
    is_overdue: bool = False
    is_urged: bool = False

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_handling_unit_name(obj) -> str:
        return obj.handling_unit.name

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.report.region.full_name if obj.report.region_id else ""

    @staticmethod
    def resolve_problem_type_number(obj) -> int | None:
        return obj.report.problem_type.number if obj.report.problem_type_id else None

    @staticmethod
    def resolve_suggested_problem_type_number(obj) -> int | None:
        report = obj.report
        return report.suggested_problem_type.number if report.suggested_problem_type_id else None

    @staticmethod
    def resolve_channel(obj) -> str:
        return obj.report.channel

    @staticmethod
    def resolve_is_real_name(obj) -> bool:
        return obj.report.is_real_name

    @staticmethod
    def resolve_skipped_level(obj) -> bool:
        return obj.report.skipped_level

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        return bool(getattr(obj, "is_overdue", False))

    @staticmethod
    def resolve_is_urged(obj) -> bool:
        return bool(getattr(obj, "is_urged", False))

    @staticmethod
    def resolve_handler_name(obj) -> str:
        return obj.handler.display_name if obj.handler_id else ""


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    actor_name: str
    reason: str
    at: dt.datetime


class DeadlineOut(Schema):
    kind: str
    label: str
    due_on: dt.date
    working_days_left: int
    met: bool
    overdue: bool
    estimated: bool


class MessageOut(Schema):
    """One message between the handler and the reporter (the case page and the reporter's status page)."""

    side: str = Field(description="handler 承办人 / reporter 举报人")
    kind: str = Field(description="question 询问 / answer 回答 / ...")
    text: str
    at: dt.datetime


class ActionOut(Schema):
    """A step the caller may take now, in the officer's words (transitions.STEPS)."""

    to: str
    label: str
    does: str
    needs: list[str]


class CaseDetailOut(CaseOut):
    """Built from a Case on which the API has set `timeline`, `clock`, `conversation` and `allowed`."""

    text: str
    about_person_name: str
    about_unit_name: str
    finding: str
    conclusion: str
    result_for_reporter: str
    allowed_transitions: list[str]
    actions: list[ActionOut]
    timeline: list[EventOut]
    clock: list[DeadlineOut]
    conversation: list[MessageOut]

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.report.text

    @staticmethod
    def resolve_about_person_name(obj) -> str:
        return obj.report.about_person_name

    @staticmethod
    def resolve_about_unit_name(obj) -> str:
        return obj.report.about_unit.name if obj.report.about_unit_id else ""

    @staticmethod
    def resolve_allowed_transitions(obj) -> list[str]:
        return [str(step.target) for step in obj.allowed]

    @staticmethod
    def resolve_actions(obj) -> list[ActionOut]:
        return [ActionOut(to=str(s.target), label=str(s.label), does=str(s.does), needs=list(s.needs))
                for s in obj.allowed]


class TransitionIn(Schema):
    to: str
    reason: str = ""
    finding: str = ""
    conclusion: str = ""
    result: str = ""
    to_unit_id: int | None = None


class QuestionIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)


class CaseFilter(Schema):
    status: str | None = None
    overdue: bool = False
    q: str = Field("", description="案件编号、反映内容全文或被反映人")
    township_id: int | None = None
    unit_id: int | None = Field(None, description="承办单位")
    problem_type: int | None = Field(None, ge=1, le=27)
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    mine: bool = Field(False, description="只看本人承办的案件")
    urged: bool = Field(False, description="只看督办中的案件")


class HandlerIn(Schema):
    handler_id: int


class UrgeIn(Schema):
    note: str = Field(..., min_length=1, max_length=1000)
    due_on: dt.date


class UrgeOut(Schema):
    id: int
    note: str
    due_on: dt.date
    at: dt.datetime
