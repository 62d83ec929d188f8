from dockerlab.reads.tables import age, format_ports, human_size


def test_ports_like_docker_ps():
    ports = [{"PrivatePort": 80, "Type": "tcp", "IP": "127.0.0.1", "PublicPort": 8080},
             {"PrivatePort": 443, "Type": "tcp"},
             {"PrivatePort": 80, "Type": "tcp", "IP": "::", "PublicPort": 8080}]
    assert format_ports(ports) == "127.0.0.1:8080->80/tcp, 443/tcp"
    assert format_ports(None) == ""


def test_age_and_size():
    assert age(100, now=130) == "30 seconds ago"
    assert age(0) == ""
    assert age(0.5, now=100.2) == "About a minute ago"
    assert age(1, now=1 + 3 * 86400) == "3 days ago"
    assert human_size(4_260_000) == "4.26MB" and human_size(512) == "512B"
