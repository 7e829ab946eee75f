"""Log formatting that keeps clinical data out of log files."""

import json
import logging
import re

_QUERY = re.compile(r"\?\S*")

_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def strip_query(text):
    return _QUERY.sub("", text)


class StripQueryStrings(logging.Filter):
    """Removes query strings from any message that carries a URL (e.g. a request line)."""

    def filter(self, record):
        record.msg = strip_query(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in args)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: easy to ship to any log store."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": strip_query(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                # Extras can carry a URL too: Django attaches the request to its error
                # records, and str(request) includes the query string.
                is_plain = isinstance(value, (int, float, bool))
                entry[key] = value if is_plain else strip_query(str(value))
        if record.exc_info:
            entry["exception"] = strip_query(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
