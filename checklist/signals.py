"""Expire the cached checklist words when an editor changes them."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from checklist.models import Finding, Investigation, RedFlag
from common.generation import bump

for model in (Finding, Investigation, RedFlag):
    post_save.connect(bump, sender=model, dispatch_uid=f"bump-{model.__name__}")
    post_delete.connect(bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
m2m_changed.connect(
    bump, sender=Investigation.references.through, dispatch_uid="bump-investigation-references"
)
