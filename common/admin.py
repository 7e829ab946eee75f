"""What both apps' admins share."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, with history, diff and restore.

    Its history page calls select_related() with no field names for a model without
    foreign keys (a reference, an investigation), which Django 6.1 deprecates: it would
    follow every relation. Here it names the ones it needs. It also answered a 500 to an
    address whose id is not a number; here that is the admin's 404.
    """

    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        return super().history_view(request, object_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        history = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        related = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        return history.select_related(*related) if related else history
