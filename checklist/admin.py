"""Editors change the checklist's words here; the slugs and rules stay in code."""

from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from checklist.models import Finding, Investigation, RedFlag
from common.admin import HistoryAdmin


@admin.register(Finding)
class FindingAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["label", "slug", "page"]
    search_fields = ["slug", "label_en", "label_zh_hans", "label_ja"]
    readonly_fields = ["slug"]
    autocomplete_fields = ["page"]
    fields = ["slug", "label", "hint", "page"]

    # The list of findings is the rules' (code), so editors change words, not rows.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RedFlag)
class RedFlagAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["text", "order", "reference"]
    list_editable = ["order"]
    autocomplete_fields = ["reference"]


@admin.register(Investigation)
class InvestigationAdmin(HistoryAdmin, TabbedTranslationAdmin):
    list_display = ["label", "slug"]
    search_fields = ["slug", "label_en", "label_zh_hans", "label_ja"]
    readonly_fields = ["slug"]
    filter_horizontal = ["references"]
    fields = ["slug", "label", "guidance", "references"]

    # Which investigations exist, and what each informs, is the planner's (code).
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
