"""The cluster tests: the production topology (`make cluster`) tested through its proxy.

They run with `make test-cluster` only (POEMS_CLUSTER_TESTS=1), never in `make test`:
without that variable nothing in this folder is collected. One cluster is started for
the session (`bin/cluster start --port auto`, bounded in time) and stopped at its end,
whether the tests passed or not. Files run in the order of their numbers; the last one
reads every log the others produced.

What they measured is printed at the end of the run.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENABLED = os.environ.get("POEMS_CLUSTER_TESTS") == "1"
MEASUREMENTS = {}


def pytest_ignore_collect(collection_path, config):
    if not ENABLED and collection_path.name != "conftest.py":
        return True
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if MEASUREMENTS:
        terminalreporter.section("cluster measurements")
        for name, value in MEASUREMENTS.items():
            terminalreporter.write_line(f"{name}: {json.dumps(value)}")


@pytest.fixture(scope="session")
def measurements():
    return MEASUREMENTS


def _cluster_command(*args, timeout):
    return subprocess.run(
        [sys.executable, str(ROOT / "bin" / "cluster"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def cluster():
    """The running cluster: its URL, ports, admin password and log folder."""
    port = os.environ.get("CLUSTER_PORT", "auto")
    try:
        started = _cluster_command("start", "--port", port, timeout=300)
    except subprocess.TimeoutExpired:
        _cluster_command("stop", timeout=150)
        raise
    # A failed start stops what it started (and leaves another cluster running alone).
    if started.returncode != 0:
        pytest.fail(f"bin/cluster start failed:\n{started.stdout}\n{started.stderr}")
    info = json.loads(started.stdout)
    info["logs"] = Path(info["logs"])
    try:
        yield info
    finally:
        stopped = _cluster_command("stop", timeout=150)
        if stopped.returncode != 0:
            print(f"bin/cluster stop failed:\n{stopped.stdout}\n{stopped.stderr}")


def run_load(*args, timeout=120):
    """Starts tests/cluster/load.py in its own process; .result() waits for its JSON."""
    return _Load(args, timeout)


class _Load:
    def __init__(self, args, timeout):
        self.timeout = timeout
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("load.py")), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self):
        try:
            out, err = self.process.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise
        assert self.process.returncode == 0, err
        return json.loads(out)
