"""The load scenario: men checking out at group-room kiosks while facilitators browse.

Run by ``benchmarks/load/run_load.py``, which builds the database, starts ``alliance serve`` and
passes the fixture (kiosk tokens, men and PINs, staff logins, pages) in ``LOAD_FIXTURE``. Each
man works through the kiosks one after another like a man at a tablet: roster, his PIN, the
form, one answer saved as he goes, "Send my answers" -- and one time in ten the send is
repeated with the same key, as a double tap or a retry after a lost reply would. Every key
sent and every key acknowledged (thank-you page) is written to ``LOAD_KEYS_OUT`` with the final
statistics when locust quits, so the run can check the database afterwards.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from typing import Any

import gevent
from django_otp.oath import totp
from locust import HttpUser, between, events, task

with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as _fixture:
    FIXTURE: dict[str, Any] = json.load(_fixture)
THINK = float(os.environ.get("LOAD_THINK", "1.0"))  # scales every pause
RETRY_SHARE = 0.1
ACKNOWLEDGED: list[str] = []
SENT: list[str] = []
_men = itertools.count()
_staff = itertools.count()


def field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    if not found:
        raise ValueError(f"no {name} field in the page")
    return found.group(1)


def pause(low: float, high: float) -> None:
    gevent.sleep(random.uniform(low, high) * THINK)


def login(client: Any, base_url: str, username: str, password: str, totp_key: str) -> None:
    """Sign a member of staff in: password, then the current code from his authenticator
    (computed from the device key the fixture carries, as his app would)."""
    page = client.get("/login/", name="login page")
    response = client.post(
        "/login/",
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": field(page.text, "csrfmiddlewaretoken"),
        },
        headers={"Referer": base_url + "/login/"},
        allow_redirects=False,
        name="login",
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status_code}")
    page = client.get("/two-factor/", name="two-factor page")
    response = client.post(
        "/two-factor/",
        {
            "code": f"{totp(bytes.fromhex(totp_key)):06d}",
            "next": "/",
            "csrfmiddlewaretoken": field(page.text, "csrfmiddlewaretoken"),
        },
        headers={"Referer": base_url + "/two-factor/"},
        allow_redirects=False,
        name="two-factor",
    )
    if response.status_code != 302:
        raise RuntimeError(f"second factor for {username} failed: HTTP {response.status_code}")


class ManAtKiosk(HttpUser):
    fixed_count = int(os.environ.get("LOAD_MEN", "50"))
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        man = FIXTURE["men"][next(_men) % len(FIXTURE["men"])]
        self.enrollment = man["enrollment"]
        self.pin = man["pin"]
        self.kiosks = iter(FIXTURE["kiosks"])

    @task
    def check_out(self) -> None:
        token = next(self.kiosks, None)
        if token is None:  # every session of his done: he sits and waits
            gevent.sleep(5)
            return
        roster = f"/kiosk/{token}/"
        self.client.get(roster, name="kiosk roster")
        pause(0.5, 1.5)
        pin_url = f"{roster}man/{self.enrollment}/"
        pin_page = self.client.get(pin_url, name="kiosk PIN page")
        signed_in = self.client.post(
            pin_url,
            {"csrfmiddlewaretoken": field(pin_page.text, "csrfmiddlewaretoken"), "pin": self.pin},
            headers={"Referer": self.host + pin_url},
            allow_redirects=False,
            name="kiosk sign-in",
        )
        if signed_in.status_code != 302:
            return
        checkout = f"{roster}checkout/"
        form = self.client.get(checkout, name="check-out form")
        csrf, key = field(form.text, "csrfmiddlewaretoken"), field(form.text, "key")
        items = sorted(set(re.findall(r'name="item_([a-z0-9_]+)"', form.text)))
        answers = {f"item_{item}": str(random.randint(4, 10)) for item in items}
        pause(1.0, 3.0)
        self.client.post(
            checkout + "save/",
            {"csrfmiddlewaretoken": csrf, **dict(list(answers.items())[:1])},
            headers={"HX-Request": "true", "Referer": self.host + checkout},
            name="check-out save",
        )
        pause(1.0, 3.0)
        posted = {"csrfmiddlewaretoken": csrf, "key": key, **answers}
        self._send(checkout, posted, key, "check-out submit")
        if random.random() < RETRY_SHARE:
            self._send(checkout, posted, key, "check-out retry (same key)")

    def _send(self, url: str, posted: dict[str, str], key: str, name: str) -> None:
        SENT.append(key)
        with self.client.post(
            url,
            posted,
            headers={"Referer": self.host + url},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "Thank you" in response.text:
                ACKNOWLEDGED.append(key)
                response.success()
            else:
                response.failure(f"HTTP {response.status_code} without a thank-you page")


class Facilitator(HttpUser):
    fixed_count = int(os.environ.get("LOAD_FACILITATORS", "10"))
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        staff = FIXTURE["facilitators"][next(_staff) % len(FIXTURE["facilitators"])]
        login(self.client, self.host, staff["username"], staff["password"], staff["totp_key"])

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def session_page(self) -> None:
        self.client.get(random.choice(FIXTURE["pages"]["sessions"]), name="session page")

    @task(2)
    def roster(self) -> None:
        self.client.get(random.choice(FIXTURE["pages"]["groups"]), name="group roster")

    @task(3)
    def participant_page(self) -> None:
        self.client.get(random.choice(FIXTURE["pages"]["participants"]), name="participant page")


@events.quitting.add_listener
def _write_results(environment: Any, **_kwargs: Any) -> None:
    """Written last, after every user has stopped: the keys and the final statistics."""
    stats = environment.stats

    def row(entry: Any) -> dict[str, Any]:
        return {
            "method": entry.method or "",
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.total_rps,
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }

    rows = [row(e) for _, e in sorted(stats.entries.items(), key=lambda kv: kv[0][0])]
    with open(os.environ["LOAD_KEYS_OUT"], "w", encoding="utf-8") as out:
        json.dump(
            {
                "sent": SENT,
                "acknowledged": ACKNOWLEDGED,
                "requests": rows,
                "total": row(stats.total),
                "errors": [
                    {"name": e.name, "error": str(e.error), "occurrences": e.occurrences}
                    for e in stats.errors.values()
                ],
            },
            out,
        )
