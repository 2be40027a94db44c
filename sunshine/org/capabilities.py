"""Capabilities (what a role may do), apart from jurisdiction (what it may see).

Each app declares its own `capabilities.py` with a `Capability` enum and `ROLE_GRANTS`; `role_capabilities`
collects them all, so apps add capabilities without touching each other.
"""
from __future__ import annotations

import enum
import functools
from importlib import import_module

from django.apps import apps

from sunshine.core.errors import Forbidden

from .choices import Role


class Capability(enum.StrEnum):
    VIEW_ORG = "org.view"  # regions, units, people
    VIEW_HOUSEHOLDS = "org.view_households"
    IMPORT_HOUSEHOLDS = "org.import_households"  # the registry capability: full ID numbers in its export too
    IMPORT_REGIONS = "org.import_regions"  # the statistics bureau's division list
    MANAGE_CALENDAR = "org.manage_calendar"  # complete the working-day calendar for a year the package lacks
    EDIT_HOUSEHOLDS = "org.edit_households"
    VIEW_AUDIT_HISTORY = "org.view_audit_history"
    MANAGE_ACCOUNTS = "org.manage_accounts"  # assign roles (the security administrator)
    VIEW_AUDIT_LOG = "org.view_audit_log"  # read the security audit records (the audit administrator)


# 三权分立: held by one administrator role each, and never by a superuser (the system administrator).
SEPARATED_CAPABILITIES = {Capability.MANAGE_ACCOUNTS: Role.SECURITY_ADMIN, Capability.VIEW_AUDIT_LOG: Role.AUDIT_ADMIN}


_ALL_STAFF = {Capability.VIEW_ORG, Capability.VIEW_HOUSEHOLDS}
ROLE_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: set(Capability) - set(SEPARATED_CAPABILITIES),
    Role.SECURITY_ADMIN: {Capability.VIEW_ORG, Capability.MANAGE_ACCOUNTS},
    Role.AUDIT_ADMIN: {Capability.VIEW_AUDIT_LOG},
    Role.CITY_LEADER: _ALL_STAFF,
    Role.GOVERNANCE_OFFICE: _ALL_STAFF | {Capability.VIEW_AUDIT_HISTORY, Capability.IMPORT_REGIONS,
                                          Capability.MANAGE_CALENDAR},
    Role.DISCIPLINE: _ALL_STAFF | {Capability.VIEW_AUDIT_HISTORY},
    Role.INSPECTION: _ALL_STAFF | {Capability.VIEW_AUDIT_HISTORY},
    Role.AUDIT: _ALL_STAFF | {Capability.VIEW_AUDIT_HISTORY},
    Role.DEPARTMENT: _ALL_STAFF,
    Role.TOWNSHIP: _ALL_STAFF | {Capability.IMPORT_HOUSEHOLDS, Capability.EDIT_HOUSEHOLDS},
    Role.VILLAGE: _ALL_STAFF,
}


@functools.cache
def role_capabilities(role: str) -> frozenset[str]:
    """Every capability granted to `role` by any installed app's capabilities module."""
    granted: set[str] = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("sunshine."):
            continue
        try:
            module = import_module(f"{config.name}.capabilities")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.capabilities":
                raise
            continue
        granted |= {str(c) for c in getattr(module, "ROLE_GRANTS", {}).get(role, set())}
    return frozenset(granted)


def has_capability(actor, capability: str) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.is_superuser and str(capability) not in SEPARATED_CAPABILITIES:
        return True
    return str(capability) in role_capabilities(actor.role)


def require(actor, capability: str) -> None:
    """Raise Forbidden (403) unless the actor's role grants `capability`."""
    if not has_capability(actor, capability):
        raise Forbidden()
