"""What of a request may be written to a log outside the app: gunicorn's logs
(deploy/gunicorn.conf.py) and nginx's error log (bin/nginx-error-log) both use it.

A checklist's findings travel in the query string, and a short link's code is a whole
checklist, so neither is ever written. Only the Python standard library is used: the
nginx filter runs as a service of its own. The app's own request log masks short links
the same way (poems_site/middleware.py).
"""

import re

# Where a path stops being loggable: its query, a fragment, white space, or an encoded "?".
PATH_END = re.compile(r"[?#\s]|%3f", re.IGNORECASE)
# A short link: any path with a segment "c", however spelled (//c/, /%63/, c%2F, a
# language's /ja/checklist/c/, dot segments): the app decodes them all, and the code
# that follows is a whole checklist.
SHORT_LINK_PATH = re.compile(r"(/|%2f)(c|%63|%43)(/|%2f)", re.IGNORECASE)
SAFE_PATH = re.compile(r"/[A-Za-z0-9/._~%!$&'()*+,;=:@-]{0,199}")
# In free text: a query runs to the next space or quote; a code to the next separator.
QUERY = re.compile(r"\?[^\s'\"]*")
SHORT_LINK = re.compile(r"/c/[^\s'\",/?]+")


def loggable_path(uri, withheld="-"):
    """The path part of a request URI as it may be logged: no query, no short link code;
    `withheld` for anything else that is not a plain path."""
    if not isinstance(uri, str):
        return withheld
    path = PATH_END.split(uri, 1)[0]
    if SHORT_LINK_PATH.search(path):
        return "/c/<code>"
    return path if SAFE_PATH.fullmatch(path) else withheld


def scrub(text):
    """Last line of defence for any other text: drop query strings and short link codes."""
    return SHORT_LINK.sub("/c/<code>", QUERY.sub("?<withheld>", text))
