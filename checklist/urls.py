from django.urls import path

from checklist import views

app_name = "checklist"
urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("print/", views.print_view, name="print"),
    path("summary.pdf", views.summary_pdf, name="pdf"),
]
