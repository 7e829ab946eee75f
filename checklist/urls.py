from django.urls import path

from checklist import views

app_name = "checklist"
urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("print/", views.print_view, name="print"),
    path("summary.pdf", views.summary_pdf, name="pdf"),
    path("note.txt", views.note_text, name="note"),
    # A short code reopened in this page's language (the explanatory pages' "back to
    # your checklist" link); /c/<code> picks the browser's language instead.
    path("c/<str:code>", views.short_link, name="short-link"),
    path("c/<str:code>/", views.short_link),
]
