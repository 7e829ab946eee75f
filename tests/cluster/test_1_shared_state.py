"""The instances share their state: an editor's save on instance A is what instance B
(and the proxy, whichever instance it picks) serves next, through PostgreSQL and the
content generation token in Redis."""

import re
import secrets

import redis

from tests.cluster.client import AdminSession, get


def checklist_page(base):
    status, _, body = get(base + "/en/checklist/")
    assert status == 200
    return body.decode()


def test_an_editors_save_on_one_instance_is_served_by_the_other(cluster):
    a, b = cluster["instances"]["a"], cluster["instances"]["b"]
    proxy = cluster["url"]
    # Instance B has the page, and so its words, in its caches before the edit.
    assert "Clubbing" in checklist_page(b)
    assert "Clubbing" in checklist_page(proxy)

    editor = AdminSession(a)
    editor.sign_in(cluster["admin_user"], cluster["admin_password"])
    status, _, listing = editor.request("GET", "/admin/checklist/finding/?q=clubbing")
    assert status == 200
    change = re.search(r'href="(/admin/checklist/finding/\d+/change/)[^"]*"', listing)
    assert change, "no change link for the finding 'clubbing'"
    fields = editor.form(change.group(1), "finding_form")
    marker = "Clubbing " + secrets.token_hex(4)
    fields = [(name, marker if name == "label_en" else value) for name, value in fields]
    assert ("label_en", marker) in fields
    status, _, page = editor.post(change.group(1), [*fields, ("_save", "Save")])
    assert status == 302, f"the admin did not save ({status}): {page[:500]}"

    assert marker in checklist_page(b), "instance B still serves the old words"
    assert marker in checklist_page(a)
    for _ in range(4):  # whichever instance nginx picks
        assert marker in checklist_page(proxy)


def test_redis_never_evicts_a_key_without_expiry(cluster, measurements):
    """deploy/redis.conf: the content generation token has no expiry and must stay."""
    client = redis.Redis.from_url(cluster["redis_url"])
    try:
        assert client.config_get("maxmemory-policy")["maxmemory-policy"] in (
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "noeviction"
        )  # fmt: skip
        assert int(client.config_get("maxmemory")["maxmemory"]) > 0
        assert client.config_get("save")["save"] == ""  # a cache: nothing on disk
        lasting = [key for key in client.scan_iter(count=1000) if client.ttl(key) == -1]
        measurements["Redis keys without expiry"] = sorted(k.decode() for k in lasting)
    finally:
        client.close()
