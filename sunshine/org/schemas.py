"""API output schemas of the organisation domain: explicit fields, personal data masked unless allowed."""
from __future__ import annotations

from ninja import Schema


class RegionStaffOut(Schema):
    id: int
    code: str
    name: str
    level: int
    level_name: str
    parent_id: int | None
    is_poor_village: bool

    @staticmethod
    def resolve_level_name(obj) -> str:
        return obj.get_level_display()


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_name: str
    territory_id: int | None
    member_order: int | None

    @staticmethod
    def resolve_kind_name(obj) -> str:
        return obj.get_kind_display()


class PositionOut(Schema):
    unit_id: int
    unit_name: str
    post: str
    post_name: str
    title: str
    start_date: str
    end_date: str | None

    @staticmethod
    def resolve_unit_name(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_post_name(obj) -> str:
        return obj.get_post_display()

    @staticmethod
    def resolve_start_date(obj) -> str:
        return obj.start_date.isoformat()

    @staticmethod
    def resolve_end_date(obj) -> str | None:
        return obj.end_date.isoformat() if obj.end_date else None


class PersonOut(Schema):
    id: int
    name: str
    unit_id: int | None
    unit_name: str | None
    phone_masked: str

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        from sunshine.core.masking import mask_phone

        return mask_phone(obj.phone)


class PersonDetailOut(PersonOut):
    positions: list[PositionOut]

    @staticmethod
    def resolve_positions(obj) -> list:
        """The view sets `positions_list` (ordered, units joined) on the person it fetched."""
        return obj.positions_list


class HouseholdOut(Schema):
    id: int
    code: str
    village_id: int
    village_name: str
    township_name: str
    head_name: str
    head_id_number_masked: str
    phone_masked: str
    member_count: int
    poverty_status: str
    poverty_status_name: str
    status_year: int
    poverty_cause: str

    @staticmethod
    def resolve_village_name(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_township_name(obj) -> str:
        return obj.village.parent.name

    @staticmethod
    def resolve_head_id_number_masked(obj) -> str:
        from sunshine.core.masking import mask_id_number

        return mask_id_number(obj.head_id_number)

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        from sunshine.core.masking import mask_phone

        return mask_phone(obj.phone)

    @staticmethod
    def resolve_poverty_status_name(obj) -> str:
        return obj.get_poverty_status_display()


class MemberOut(Schema):
    name: str
    relation: str
    id_number_masked: str

    @staticmethod
    def resolve_id_number_masked(obj) -> str:
        from sunshine.core.masking import mask_id_number

        return mask_id_number(obj.id_number)


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    pairing_cadre_name: str | None

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())

    @staticmethod
    def resolve_pairing_cadre_name(obj) -> str | None:
        return obj.pairing_cadre.name if obj.pairing_cadre_id else None


class ProblemTypeOut(Schema):
    number: int
    group_number: int
    group_title: str
    short_title: str
    text: str

    @staticmethod
    def resolve_group_number(obj) -> int:
        return obj.group.number

    @staticmethod
    def resolve_group_title(obj) -> str:
        return obj.group.title
