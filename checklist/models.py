"""The checklist's words. Slugs and rules live in code (checklist.rules), never here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Finding(models.Model):
    """What the checklist says about one finding, in each language."""

    slug = models.CharField(
        _("slug"),
        max_length=64,
        unique=True,
        help_text=_("Defined in code (checklist.rules.findings); shown here for reference."),
    )
    label = models.CharField(_("label"), max_length=120)
    hint = models.CharField(_("what counts"), max_length=400, blank=True)
    page = models.ForeignKey(
        "content.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("explanatory page"),
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["id"]

    def __str__(self):
        return self.label or self.slug


class RedFlag(models.Model):
    """A feature that separates POEMS from CIDP, shown when a polyneuropathy is present."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("text"), max_length=400)
    reference = models.ForeignKey(
        "content.Reference",
        on_delete=models.PROTECT,
        related_name="red_flags",
        verbose_name=_("reference"),
    )

    class Meta:
        verbose_name = _("red flag (POEMS vs CIDP)")
        verbose_name_plural = _("red flags (POEMS vs CIDP)")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class Investigation(models.Model):
    """What the work-up planner says about one investigation, in each language.

    Which findings it informs is code (checklist.rules.workup); the words are here.
    """

    slug = models.CharField(
        _("slug"),
        max_length=64,
        unique=True,
        help_text=_("Defined in code (checklist.rules.workup); shown here for reference."),
    )
    label = models.CharField(_("label"), max_length=160)
    guidance = models.TextField(
        _("what to know"),
        max_length=600,
        help_text=_("One or two sentences: the specimen or method, and what to watch for."),
    )
    references = models.ManyToManyField(
        "content.Reference", blank=True, related_name="+", verbose_name=_("sources")
    )

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        ordering = ["id"]

    def __str__(self):
        return self.label or self.slug
