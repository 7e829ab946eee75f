"""Shared fixtures, and the rule that CI runs every test (a skip fails the run)."""

import os

import pytest
from django.core.cache import caches
from hypothesis import settings

from checklist.loader import load_initial_content

IN_CI = os.environ.get("CI", "").lower() == "true"

# Property tests are deterministic in CI (the same examples on every run, so a red run
# can be repeated); locally they explore: HYPOTHESIS_PROFILE=explore for a longer search.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile("explore", deadline=None, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get("skipped", [])
    if IN_CI and skipped:
        terminalreporter.write_line(
            f"CI=true: {len(skipped)} test(s) skipped; every test must run in CI.", red=True
        )


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The shipped content, loaded once into the test database."""
    with django_db_blocker.unblock():
        load_initial_content()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches and a new content generation, so cached words
    never outlive a rollback."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()
