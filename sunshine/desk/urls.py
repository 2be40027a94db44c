"""Staff pages: login required everywhere here."""
from django.contrib.auth import views as auth_views
from django.urls import path

from sunshine.core.urlhooks import optional_patterns

from . import views

app_name = "desk"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="desk/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("regions/<int:region_id>/", views.region_detail, name="region"),
    path("households/", views.household_list, name="households"),
    path("households/<int:household_id>/", views.household_detail, name="household"),
    path("households/<int:household_id>/link/renew/", views.household_link_renew, name="household_link_renew"),
    path("units/", views.unit_list, name="units"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
]

# Each domain's staff pages live in desk/urls_<domain>.py and desk/views_<domain>.py.
urlpatterns += optional_patterns("sunshine.desk", ["imports", "funds", "notify", "cases", "oversight", "redflags"])
