"""``python -m app.sandbox``: the banner, the credentials, flags that set the scenario, bad flags."""

from __future__ import annotations

import subprocess
import sys

import httpx


def start(*args: str) -> tuple[subprocess.Popen, list[str]]:
    process = subprocess.Popen([sys.executable, "-m", "app.sandbox", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = [process.stdout.readline().rstrip("\n")]
    while lines[-1].strip() and not lines[-1].lstrip().startswith("Controls"):
        lines.append(process.stdout.readline().rstrip("\n"))
    return process, lines


def test_standalone_prints_where_it_listens_and_serves(tmp_path):
    process, lines = start("--hold-time", "42", "--api-key", "k-123", "--force-polling-rounds", "1")
    try:
        assert lines[0].startswith("Sandbox listening on http://127.0.0.1:")
        base = lines[0].split(" on ", 1)[1]
        text = "\n".join(lines)
        assert "k-123" in text and "sandbox-client" in text and "member@example.com" in text
        assert "6011993200001006" in text
        events = httpx.get(base + "/partners/v1/events", params={"apikey": "k-123"})
        assert events.status_code == 200
        assert httpx.get(base + "/partners/v1/events", params={"apikey": "sandbox-api-key"}).status_code == 401
        scenario = httpx.get(base + "/_sandbox/scenario").json()
        assert scenario["hold_time"] == 42 and scenario["force_polling_rounds"] == 1
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()


def test_extra_api_keys_are_accepted_each_with_its_own_availability_budget():
    process, lines = start("--extra-api-key", "partner-two", "--quota-availability-per-hour", "1")
    try:
        base = lines[0].split(" on ", 1)[1]
        assert "sandbox-api-key, partner-two" in "\n".join(lines)
        url = base + "/partners/v1/events/000051048D991EE7/availability"
        first = httpx.get(url, params={"apikey": "sandbox-api-key"})
        assert first.status_code in (200, 503)  # 503: the New York host may be in its niterun right now
        assert httpx.get(url, params={"apikey": "sandbox-api-key"}).status_code == 429
        assert httpx.get(url, params={"apikey": "partner-two"}).headers["Ratelimit-Quota-Available"] == "0"
        assert httpx.get(url, params={"apikey": "partner-two"}).status_code == 429
        assert httpx.get(url, params={"apikey": "partner-three"}).status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()


def test_bad_flag_values_are_refused_with_a_message():
    done = subprocess.run([sys.executable, "-m", "app.sandbox", "--port", "0", "--hold-time", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "hold_time" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "app.sandbox", "--commit-fault", "boom"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "commit-fault" in done.stderr


def test_access_log_lines_mask_the_api_key():
    process, lines = start("--access-log")
    try:
        base = lines[0].split(" on ", 1)[1]
        httpx.get(base + "/partners/v1/events", params={"apikey": "sandbox-api-key"})
        line = process.stdout.readline()
        assert "GET /partners/v1/events?apikey=••••-key 200" in line
        assert "sandbox-api-key" not in line
    finally:
        process.terminate()
        process.wait(timeout=20)
        process.stdout.close()
        process.stderr.close()
