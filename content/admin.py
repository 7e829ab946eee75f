"""The editors' admin: tabbed translations, history with diff and restore, honest reviews."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import build_localized_fieldname

from common.admin import HistoryAdmin
from content.models import EditorProfile, Page, PageReference, Reference


class MissingTranslationFilter(admin.SimpleListFilter):
    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        code = self.value()
        if not code:
            return queryset
        empty = Q()
        for field in ("title", "summary", "body"):
            name = build_localized_fieldname(field, code)
            empty |= Q(**{name: ""}) | Q(**{f"{name}__isnull": True})
        return queryset.filter(empty)


class PageReferenceInline(admin.StackedInline):
    # Stacked: each row's inputs have their own labels (the tabular form's have none).
    model = PageReference
    extra = 1
    autocomplete_fields = ["reference"]
    ordering = ["position"]


@admin.register(Page)
class PageAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["title", "slug", "section", "order", "status", "review_state", "updated_at"]
    list_filter = ["section", "status", MissingTranslationFilter]
    list_editable = ["order"]
    search_fields = ["slug", "title_en", "title_zh_hans", "title_ja"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["related"]
    inlines = [PageReferenceInline]
    readonly_fields = ["reviewed_on", "reviewed_by", "updated_at"]
    actions = ["mark_clinically_reviewed"]
    view_on_site = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "section", "order", "status"]}),
        (_("Words"), {"fields": ["summary", "body"]}),
        (_("Links"), {"fields": ["related"]}),
        (_("Clinical review"), {"fields": ["reviewed_on", "reviewed_by", "updated_at"]}),
    ]

    @admin.display(description=_("clinical review"))
    def review_state(self, page):
        if page.review_is_current:
            return _("reviewed %(date)s") % {"date": page.reviewed_on}
        if page.reviewed_on:
            return _("changed since review")
        return _("not reviewed")

    @admin.action(description=_("Mark as clinically reviewed (this version, by me)"))
    def mark_clinically_reviewed(self, request, queryset):
        profile = getattr(request.user, "editor_profile", None)
        if profile is None or not profile.can_review:
            self.message_user(
                request,
                _("Only an editor with a clinical role in their editor profile can review."),
                messages.ERROR,
            )
            return
        today = timezone.localdate()
        for page in queryset:
            page.mark_reviewed(profile, today)
            page._change_reason = "Clinically reviewed"
            page.save()
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d page marked reviewed.", "%(count)d pages marked reviewed.", count)
            % {"count": count},
        )


@admin.register(Reference)
class ReferenceAdmin(HistoryAdmin):
    list_display = ["citation", "year", "pmid", "doi"]
    search_fields = ["citation", "pmid", "doi"]
    list_filter = ["year"]


@admin.register(EditorProfile)
class EditorProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "clinical_role"]
    search_fields = ["display_name", "user__username", "clinical_role"]
    autocomplete_fields = ["user"]
