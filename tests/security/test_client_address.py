"""Behind a reverse proxy, every limit keyed on an address still sees the real client (M5).

The proxy is 127.0.0.1 (the test client's address) and names the client in X-Forwarded-For;
the header is believed only from a peer in TRUSTED_PROXIES.
"""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client

from alliance.env import ConfigurationError, env_networks
from alliance.measures.administration.tokens import create_participant_link
from alliance.measures.models import CHECKOUT
from alliance.measures.registry import definition_for
from alliance.organizations.client_address import client_from, limit_key
from alliance.organizations.participant_tokens import MAX_FAILURES
from tests.factories import PASSWORD

PROXIES = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("10.0.0.0/8"))


# --- the rule ------------------------------------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_from("203.0.113.9", "1.2.3.4", ()) == "203.0.113.9"


def test_a_peer_that_is_not_a_trusted_proxy_cannot_choose_its_address():
    assert client_from("203.0.113.9", "1.2.3.4", PROXIES) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client():
    # The client wrote "6.6.6.6" himself; the proxy appended the address it saw.
    assert client_from("127.0.0.1", "6.6.6.6, 198.51.100.7", PROXIES) == "198.51.100.7"
    # Two trusted proxies in a row (a load balancer, then nginx).
    assert client_from("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.1.1", PROXIES) == "198.51.100.7"


def test_a_trusted_proxy_without_the_header_is_the_client():
    assert client_from("127.0.0.1", "", PROXIES) == "127.0.0.1"


def test_a_hop_that_is_not_an_address_stops_at_the_last_trusted_one():
    assert client_from("127.0.0.1", "198.51.100.7, junk", PROXIES) == "127.0.0.1"
    assert client_from("127.0.0.1", "junk, 10.1.1.1", PROXIES) == "10.1.1.1"


def test_limits_count_an_ipv6_subscriber_by_his_slash_64():
    assert limit_key("2001:db8:1:2:aaaa::1") == limit_key("2001:db8:1:2:bbbb::9")
    assert limit_key("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert limit_key("2001:db8:1:3::1") != limit_key("2001:db8:1:2::1")
    assert limit_key("198.51.100.7") == "198.51.100.7"


def test_trusted_proxies_are_parsed_strictly():
    assert env_networks("TRUSTED_PROXIES", {}) == ()
    assert env_networks("TRUSTED_PROXIES", {"TRUSTED_PROXIES": "10.0.0.0/8, ::1"}) == (
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("::1"),
    )
    for bad in ("10.0.0.1/8", "proxy.example.org", "10.0.0.0/33"):
        with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES"):
            env_networks("TRUSTED_PROXIES", {"TRUSTED_PROXIES": bad})


# --- through HTTP --------------------------------------------------------------------------


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = PROXIES


def via_proxy(address: str) -> Client:
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


def wrong_login(client: Client, username: str = "alice"):
    return client.post("/login/", {"username": username, "password": "not the password"})


def test_an_attacker_behind_the_proxy_locks_out_only_himself(world, behind_proxy):
    attacker = via_proxy("203.0.113.66")
    for _ in range(5):
        wrong_login(attacker)
    assert attacker.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 429

    # Alice at her own address, through the same proxy, still signs in.
    alice = via_proxy("198.51.100.7")
    assert alice.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_a_forged_header_from_outside_does_not_escape_the_lockout(world, behind_proxy):
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    for k in range(5):
        attacker.defaults["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{k}"
        wrong_login(attacker)
    attacker.defaults["HTTP_X_FORWARDED_FOR"] = "192.0.2.200"
    assert attacker.post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 429


def test_token_guessing_behind_the_proxy_holds_back_only_the_guesser(world, behind_proxy):
    _, link = create_participant_link(
        actor=world.alice,
        enrollment=world.good,
        definition=definition_for(CHECKOUT),
        administered_on=world.today,
    )
    guesser = via_proxy("203.0.113.66")
    for k in range(MAX_FAILURES):
        assert guesser.get(f"/r/guess-{k}/").status_code == 404
    assert guesser.get("/r/one-more/").status_code == 429

    man = via_proxy("198.51.100.7")
    assert man.get("/kiosk/his-typo/").status_code == 404  # counted apart, not refused
    assert man.get(f"/r/{link}/").status_code == 200


def test_the_proxy_address_without_trusted_proxies_is_everyone(world):
    # Documented default: without TRUSTED_PROXIES the header means nothing.
    guesser = via_proxy("203.0.113.66")
    for k in range(MAX_FAILURES):
        guesser.get(f"/r/guess-{k}/")
    assert via_proxy("198.51.100.7").get("/r/one-more/").status_code == 429


def serve_argv(monkeypatch) -> list[str]:
    import sys

    import gunicorn.app.wsgiapp

    from alliance import cli

    seen: list[str] = []
    monkeypatch.setattr(cli, "_partner_key_problem", lambda: None)
    monkeypatch.setattr(cli, "_manage", lambda argv: 0)
    monkeypatch.setattr(gunicorn.app.wsgiapp, "run", lambda: seen.extend(sys.argv))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    cli.serve("127.0.0.1", 8000, 1)
    return seen


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_alliance_serve_believes_x_forwarded_proto_only_from_trusted_proxies(settings, monkeypatch):
    from gunicorn.config import Config

    settings.TRUSTED_PROXIES = ()
    nobody = option(serve_argv(monkeypatch), "--forwarded-allow-ips")
    settings.TRUSTED_PROXIES = PROXIES
    proxies = option(serve_argv(monkeypatch), "--forwarded-allow-ips")

    config = Config()
    config.set("forwarded_allow_ips", nobody)
    assert config.forwarded_allow_ips == []  # gunicorn's own default would trust 127.0.0.1
    assert proxies == "127.0.0.0/8,10.0.0.0/8"
    argv = serve_argv(monkeypatch)
    assert option(argv, "--logger-class") == "alliance.ops.gunicorn_logger.Logger"
