"""Admin sign-in: two lock-outs through django-axes, which has one failure limit.

axes locks one account out from one address after SIGNIN_FAILURES_PER_ACCOUNT failures
(AXES_LOCKOUT_PARAMETERS). `failure_limit`, axes' AXES_FAILURE_LIMIT, adds the second:
once an address has failed SIGNIN_FAILURES_PER_ADDRESS times within the cool-off (an
hour), whatever the usernames, its limit is 0 and every sign-in from it is refused.
axes asks for the limit before each sign-in and after each failure.
"""

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failures_from(request):
    """Failed sign-ins from the request's address within the cool-off, any username."""
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    attempts = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def failure_limit(request, credentials=None):
    if failures_from(request) >= settings.SIGNIN_FAILURES_PER_ADDRESS:
        return 0
    return settings.SIGNIN_FAILURES_PER_ACCOUNT
