"""POEMS Criteria: the Django project (settings, URLs, WSGI/ASGI entry points)."""

__version__ = "0.1.0"
