"""Staff pages: login required everywhere here."""
from django.contrib.auth import views as auth_views
from django.urls import path

from sunshine.core.urlhooks import optional_patterns

from . import security, views, views_admin, views_calendar, views_exports

app_name = "desk"
urlpatterns = [
    path("login/", security.StaffLoginView.as_view(), name="login"),
    path("password/", security.StaffPasswordChangeView.as_view(), name="password_change"),
    path("2fa/verify/", security.two_factor_verify, name="2fa_verify"),
    path("2fa/setup/", security.two_factor_setup, name="2fa_setup"),
    path("2fa/recovery-codes/", security.recovery_codes_new, name="2fa_recovery_codes"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("regions/<int:region_id>/", views.region_detail, name="region"),
    path("households/", views.household_list, name="households"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("households/<int:household_id>/link/renew/", views.household_link_renew, name="household_link_renew"),
    path("units/", views.unit_list, name="units"),
    path("accounts/", views_admin.account_list, name="accounts"),
    path("accounts/<int:account_id>/role/", views_admin.account_role, name="account_role"),
    path("audit/", views_admin.audit_list, name="audit"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("calendar/", views_calendar.calendar, name="calendar"),
    path("exports/<slug:name>.xlsx", views_exports.list_export, name="list_export"),
]

# Each domain's staff pages live in desk/urls_<domain>.py and desk/views_<domain>.py.
urlpatterns += optional_patterns("sunshine.desk", ["imports", "funds", "notify", "cases", "oversight", "oversight_field",
                                                  "campaign", "redflags"])
