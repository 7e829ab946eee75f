"""URLs: see ../shared/contract.md; every public page lives under a language prefix."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _

from checklist import api as checklist_api
from checklist import fhir_views
from checklist import views as checklist_views
from poems_site import health, views

handler400 = views.bad_request
handler500 = views.server_error

admin.site.site_header = _("POEMS Criteria administration")
admin.site.site_title = _("POEMS Criteria")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/evaluate", checklist_api.evaluate_view, name="api-evaluate"),
    path("api/v1/fhir/Questionnaire", fhir_views.questionnaire, name="fhir-questionnaire"),
    path(
        "api/v1/fhir/QuestionnaireResponse",
        fhir_views.questionnaire_response,
        name="fhir-questionnaire-response",
    ),
    path("api/v1/fhir/$evaluate", fhir_views.evaluate, name="fhir-evaluate"),
    # Anything else under /api/, with any method: a JSON 404, never an HTML page.
    re_path(r"^api(?:/|$)", checklist_api.not_found),
    path("c/<str:code>", checklist_views.short_link, name="short-link"),
    # Some QR readers and copy-pastes add a slash: the same short link.
    path("c/<str:code>/", checklist_views.short_link),
    path(settings.ADMIN_URL, admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("checklist/", include("checklist.urls")),
    path("learn/", include("content.urls")),
)
