"""The public statistics page, mounted at /numbers/ (namespace "stats_public")."""
from django.urls import path

from . import views_public

app_name = "stats_public"
urlpatterns = [path("", views_public.numbers, name="numbers")]
