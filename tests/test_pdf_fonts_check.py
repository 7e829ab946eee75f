"""`check --deploy` fails when WeasyPrint would subset PDF fonts with fontTools instead
of HarfBuzz-Subset: about 30 times slower, and said only in a warning per request
(security review F10)."""

import warnings

import pytest
from django.core.checks import Error, registry

from checklist import checks


@pytest.fixture
def fonts():
    with warnings.catch_warnings():
        # WeasyPrint warns on import when HarfBuzz-Subset is missing.
        warnings.simplefilter("ignore", DeprecationWarning)
        from weasyprint.pdf import fonts
    return fonts


def test_the_check_runs_with_check_deploy_only():
    assert checks.pdf_fonts_are_subset_by_harfbuzz in registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert checks.pdf_fonts_are_subset_by_harfbuzz not in registry.registry.get_checks()


def test_no_error_when_harfbuzz_subset_is_loaded(fonts):
    assert fonts.harfbuzz_subset is not None, "this machine needs libharfbuzz-subset0"
    assert checks.pdf_fonts_are_subset_by_harfbuzz(None) == []


def test_an_error_naming_the_package_when_weasyprint_falls_back_to_fonttools(fonts, monkeypatch):
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    (error,) = checks.pdf_fonts_are_subset_by_harfbuzz(None)
    assert isinstance(error, Error)
    assert error.id == "checklist.E003"
    assert "libharfbuzz-subset0" in error.hint


def test_an_error_when_harfbuzz_is_too_old_for_weasyprints_subsetting(fonts, monkeypatch):
    class OldHarfBuzz:
        @staticmethod
        def hb_version_atleast(major, minor, micro):
            return (major, minor, micro) <= (4, 0, 0)

    monkeypatch.setattr(fonts, "harfbuzz", OldHarfBuzz())
    (error,) = checks.pdf_fonts_are_subset_by_harfbuzz(None)
    assert error.id == "checklist.E003"


def test_an_error_when_weasyprint_cannot_load_at_all(monkeypatch):
    def broken():
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(checks, "_weasyprint_fonts", broken)
    (error,) = checks.pdf_fonts_are_subset_by_harfbuzz(None)
    assert error.id == "checklist.E004"
