"""Slow clients cost nginx a connection, never an app worker: 50 clients that send their
headers one line every 2 s leave /healthz fast, and nginx drops them at its timeout."""

from tests.cluster.conftest import run_load

HEALTHZ_P99_BUDGET_MS = 150


def test_slow_header_clients_leave_healthz_fast(cluster, measurements):
    slow = run_load("slow-headers", cluster["url"], "--clients", 50, "--seconds", 14)
    probe = run_load("probe", cluster["url"] + "/healthz", "--seconds", 12, "--interval", 0.05)
    probed, slowed = probe.result(), slow.result()
    measurements["healthz under 50 slow-header clients"] = probed
    measurements["slow-header clients"] = slowed

    assert probed["failure_count"] == 0, probed
    assert probed["ok"] > 100
    # Answered by an app instance (Django's headers), not by nginx itself.
    assert probed["served_by_app"] == probed["ok"]
    assert probed["p99_ms"] < HEALTHZ_P99_BUDGET_MS, probed
    # nginx's client_header_timeout (10 s) closes every one of them.
    assert slowed["closed_by_server"] == 50, slowed
    assert slowed["closed_after_s_max"] < 12.5, slowed
