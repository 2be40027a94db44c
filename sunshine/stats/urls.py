"""Staff statistics pages, mounted at /desk/stats/ (namespace "stats")."""
from django.urls import path

from . import views, views_brief

app_name = "stats"
urlpatterns = [
    path("", views.index, name="index"),
    path("refresh/", views.refresh_all, name="refresh"),
    path("lists/no-phone/", views.no_phone, name="no_phone"),
    path("briefs/", views_brief.brief_list, name="briefs"),
    path("briefs/new/", views_brief.brief_new, name="brief_new"),
    path("briefs/<int:pk>/", views_brief.brief_detail, name="brief"),
    path("briefs/<int:pk>/issue/", views_brief.brief_issue_view, name="brief_issue"),
    path("briefs/<int:pk>/brief.docx", views_brief.brief_docx, name="brief_docx"),
    path("briefs/<int:pk>/brief.pdf", views_brief.brief_pdf, name="brief_pdf"),
    path("<slug:slug>/", views.table_page, name="table"),
    path("<slug:slug>/export.xlsx", views.table_export, name="table_export"),
]
