"""The nginx configuration the cluster runs with: valid for the installed nginx, and saying what
docs/production.md promises (sticky socket.io, no repeated message POST, repeated action calls)."""

from __future__ import annotations

import subprocess

from tanya.cluster import balancer

PORTS = balancer.BalancerPorts("127.0.0.1", 18005, 18055, [18006, 18007], [18056, 18057])


def section(config: str, start: str) -> str:
    return config.split(start, 1)[1].split("}", 1)[0]


def test_the_installed_nginx_accepts_the_configuration(tmp_path):
    config = balancer.write_config(PORTS, tmp_path, access_log=True)
    result = subprocess.run(balancer.command(config, tmp_path) + ["-t"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_socketio_is_sticky_and_messages_are_never_sent_twice(tmp_path):
    config = balancer.render_config(PORTS, tmp_path)
    assert "ip_hash;" in section(config, "upstream rasa_sticky {")
    assert "proxy_pass http://rasa_sticky;" in section(config, "location /socket.io/ {")
    rest = section(config, "location / {")
    assert "proxy_next_upstream error timeout;" in rest and "non_idempotent" not in rest
    for port in (18006, 18007):
        assert f"server 127.0.0.1:{port}" in section(config, "upstream rasa {")


def test_action_calls_are_spread_and_repeated_on_another_server(tmp_path):
    config = balancer.render_config(PORTS, tmp_path)
    assert all(f"server 127.0.0.1:{port}" in section(config, "upstream actions {") for port in (18056, 18057))
    actions = config.split("listen 127.0.0.1:18055;", 1)[1]
    assert "non_idempotent" in actions.split("}", 1)[0]


def test_everything_nginx_writes_stays_in_the_run_directory(tmp_path):
    config = balancer.render_config(PORTS, tmp_path)
    paths = [line.split()[1].rstrip(";") for line in config.splitlines()
             if line.strip().split(" ")[0] in ("pid", "error_log", "client_body_temp_path", "proxy_temp_path")]
    assert paths and all(path.startswith(str(tmp_path.resolve())) for path in paths)


def test_the_503_body_is_the_catalogue_apology_in_both_languages(tmp_path):
    import json
    import re

    from tanya import messages

    config = balancer.render_config(PORTS, tmp_path)
    body = re.search(r"return 503 '(.*)';", config).group(1)
    assert "'" not in body  # inside nginx's single quotes
    error = json.loads(body)["error"]
    assert messages.text("reply_failed", "id") in error and messages.text("reply_failed", "en") in error


def test_nginx_caps_connections_per_client_and_times_out_slow_clients(tmp_path):
    limits = balancer.ConnectionLimits(per_client=12, request_timeout_seconds=30, keep_alive_timeout_seconds=5)
    config = balancer.render_config(PORTS, tmp_path, limits=limits)
    http = config.split("http {", 1)[1].split("upstream", 1)[0]
    for directive in ("limit_conn_zone $binary_remote_addr zone=per_client:10m;",
                      "limit_conn_status 429;", "client_header_timeout 30s;", "client_body_timeout 30s;",
                      "send_timeout 30s;", "keepalive_timeout 5s;"):
        assert directive in http, directive
    public, actions = config.split("server {")[1:3]
    # the cap holds on the public listener; the action listener's clients are the Rasa instances, one address
    assert "limit_conn per_client 12;" in public and "limit_conn per_client" not in actions
    uncapped = balancer.render_config(PORTS, tmp_path, limits=balancer.ConnectionLimits(per_client=0))
    assert "limit_conn " not in uncapped and "client_header_timeout 30s;" in uncapped


def test_the_installed_nginx_accepts_the_limits(tmp_path):
    config = balancer.write_config(PORTS, tmp_path, limits=balancer.ConnectionLimits(per_client=5))
    result = subprocess.run(balancer.command(config, tmp_path) + ["-t"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "limit_conn per_client 5;" in config.read_text()
