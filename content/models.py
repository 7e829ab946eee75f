"""Explanatory pages and their references: words that editors keep up to date."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

PMID_VALIDATOR = RegexValidator(r"^[1-9][0-9]{0,8}$", _("A PMID is a number of up to 9 digits."))
DOI_VALIDATOR = RegexValidator(
    r"^10\.[0-9]{4,9}/\S+$", _("A DOI starts with “10.”, a registrant code and a slash.")
)


class Section(models.TextChoices):
    """The learn index lists pages by these sections, in this order."""

    ABOUT = "about", _("About POEMS syndrome")
    CRITERIA = "criteria", _("The criteria one by one")
    DIAGNOSIS = "diagnosis", _("Diagnosis")
    DIFFERENTIAL = "differential", _("Differential diagnosis")
    TREATMENT = "treatment", _("Treatment")
    PROGNOSIS = "prognosis", _("Prognosis and response")
    CRITERIA_SETS = "criteria-sets", _("About the criteria sets")


SECTION_ORDER = {value: position for position, value in enumerate(Section.values)}


class Reference(models.Model):
    # The id pages cite it by in the shipped content (content/initial_content/references.toml).
    key = models.SlugField(
        _("id"),
        max_length=80,
        blank=True,
        help_text=_(
            "How the shipped content cites this reference; empty for references added here."
        ),
    )
    citation = models.TextField(_("citation"))
    pmid = models.CharField(_("PMID"), max_length=9, blank=True, validators=[PMID_VALIDATOR])
    doi = models.CharField(_("DOI"), max_length=200, blank=True, validators=[DOI_VALIDATOR])
    url = models.URLField(
        _("URL"), blank=True, help_text=_("Only for sources that have neither PMID nor DOI.")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        ordering = ["citation"]
        constraints = [
            models.UniqueConstraint(
                fields=["pmid"], condition=~models.Q(pmid=""), name="unique_reference_pmid"
            ),
            models.UniqueConstraint(
                fields=["doi"], condition=~models.Q(doi=""), name="unique_reference_doi"
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="unique_reference_key"
            ),
        ]

    def __str__(self):
        return self.citation

    def clean(self):
        if not (self.pmid or self.doi or self.url):
            raise ValidationError(_("Give a PMID, a DOI or, failing both, a URL."))


class EditorProfile(models.Model):
    """What the site may say about an editor: a clinical role makes a review count."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="editor_profile"
    )
    display_name = models.CharField(_("name as shown to readers"), max_length=120)
    clinical_role = models.CharField(
        _("clinical role"),
        max_length=120,
        blank=True,
        help_text=_(
            "For example “Consultant neurologist”. Only editors with a clinical role can "
            "mark a page as clinically reviewed."
        ),
    )

    class Meta:
        verbose_name = _("editor profile")
        verbose_name_plural = _("editor profiles")

    def __str__(self):
        return self.display_name

    @property
    def can_review(self):
        return bool(self.clinical_role.strip())


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Page.Status.PUBLISHED)


class Page(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    order = models.PositiveSmallIntegerField(_("order in section"), default=0)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("One paragraph, plain text."))
    body = models.TextField(
        _("body"),
        help_text=_("Markdown: ## headings, lists, tables. Cite references as [1], [2]."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, verbose_name=_("related pages")
    )
    references = models.ManyToManyField(
        Reference, through="PageReference", blank=True, verbose_name=_("references")
    )
    reviewed_on = models.DateField(_("clinically reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        EditorProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_pages",
        verbose_name=_("clinically reviewed by"),
    )
    # The words that were reviewed: a later edit makes the review no longer apply.
    reviewed_digest = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["section", "order", "slug"]

    def __str__(self):
        return self.title or self.slug

    def save(self, *args, **kwargs):
        # Browsers send CRLF line breaks: store LF, so history diffs show real changes only.
        for code, _name in settings.LANGUAGES:
            for field in ("title", "summary", "body"):
                name = build_localized_fieldname(field, code)
                value = getattr(self, name, None)
                if value:
                    setattr(self, name, value.replace("\r\n", "\n").replace("\r", "\n"))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("content:page", args=[self.slug])

    def words_digest(self):
        """A fingerprint of every translated word on the page, to tie a review to a version."""
        parts = []
        for code, _name in settings.LANGUAGES:
            for field in ("title", "summary", "body"):
                text = getattr(self, build_localized_fieldname(field, code)) or ""
                # Not words: the admin strips the ends, browsers send line breaks as CRLF.
                parts.append(text.replace("\r\n", "\n").replace("\r", "\n").strip())
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def review_is_current(self):
        return bool(
            self.reviewed_by_id
            and self.reviewed_by.can_review
            and self.reviewed_on
            and self.reviewed_digest
            and self.reviewed_digest == self.words_digest()
        )

    def mark_reviewed(self, profile, on_date):
        if not profile.can_review:
            raise ValidationError(_("Only an editor with a clinical role can review a page."))
        self.reviewed_by = profile
        self.reviewed_on = on_date
        self.reviewed_digest = self.words_digest()


class PageReference(models.Model):
    """A reference's place in a page's numbered list."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="page_references")
    reference = models.ForeignKey(Reference, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        verbose_name = _("reference on the page")
        verbose_name_plural = _("references on the page")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="unique_reference_number"),
        ]

    def __str__(self):
        return f"[{self.position}] {self.reference}"
