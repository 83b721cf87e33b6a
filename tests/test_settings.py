import pytest
from django.core.exceptions import ImproperlyConfigured

from commissioning.env import env_bool, env_int, env_list, env_str


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        ("on", True),
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["ture", "2", "maybe", "Fals"])
def test_env_bool_refuses_anything_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", default=False)


def test_env_str_without_default_is_required(monkeypatch):
    monkeypatch.delenv("SECRET_KEY_X", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY_X must be set"):
        env_str("SECRET_KEY_X")


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", default=[]) == ["a.example", "b.example"]


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("POOL", "ten")
    with pytest.raises(ImproperlyConfigured, match="POOL"):
        env_int("POOL", 5)


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "False",
        "DJANGO_SETTINGS_MODULE": "commissioning.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parents[1]),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_false_string_does_not_turn_debug_on():
    from django.conf import settings

    assert settings.DEBUG is False
