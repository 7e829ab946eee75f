"""Expire cached content when an editor changes it."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from common.generation import bump
from content.models import EditorProfile, Page, PageReference, Reference

# A reviewer's name and role are shown on the pages they reviewed.
for model in (Page, PageReference, Reference, EditorProfile):
    post_save.connect(bump, sender=model, dispatch_uid=f"bump-{model.__name__}")
    post_delete.connect(bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
m2m_changed.connect(bump, sender=Page.related.through, dispatch_uid="bump-related")
