"""Expire the cached checklist words when an editor changes them."""

from django.db.models.signals import post_delete, post_save

from checklist.models import Finding, RedFlag
from common.generation import bump

for model in (Finding, RedFlag):
    post_save.connect(bump, sender=model, dispatch_uid=f"bump-{model.__name__}")
    post_delete.connect(bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
