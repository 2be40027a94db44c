"""Django admin for reference data (regions, units, problem types) and accounts."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Account, Household, Person, Position, ProblemGroup, ProblemType, Region, Unit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_poor_village")
    list_filter = ("level", "is_poor_village")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        """A new code or parent moves every region under this one too (org.services.region_paths_follow)."""
        from django.db import transaction

        from .services import region_paths_follow

        old_path = Region.objects.filter(pk=obj.pk).values_list("path", flat=True).first() if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if old_path is not None:
                region_paths_follow(region=obj, old_path=old_path)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "member_order", "territory")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    raw_id_fields = ("territory", "parent")
    filter_horizontal = ("supervised_units",)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "unit")
    search_fields = ("name",)
    raw_id_fields = ("unit",)
    inlines = [PositionInline]


@admin.register(ProblemGroup)
class ProblemGroupAdmin(admin.ModelAdmin):
    list_display = ("number", "title")


@admin.register(ProblemType)
class ProblemTypeAdmin(admin.ModelAdmin):
    list_display = ("number", "short_title", "group")
    list_filter = ("group",)


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("code", "head_name", "village", "poverty_status", "status_year")
    list_filter = ("poverty_status",)
    search_fields = ("code", "head_name")
    raw_id_fields = ("village", "group", "pairing_cadre")


@admin.register(Account)
class AccountAdmin(UserAdmin):
    list_display = ("username", "role", "unit", "person", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("unit", "person")
    fieldsets = UserAdmin.fieldsets + (("Sunshine", {"fields": ("role", "unit", "person")}),)
    # 三权分立: roles are assigned by the security administrator on the desk (org.services.account_role_set),
    # never here by the system administrator; and no one is made superuser from the browser.
    readonly_fields = ("role", "is_superuser", "last_login", "date_joined")
