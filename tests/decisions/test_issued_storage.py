"""Where issued documents are stored: settings read from the environment."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage

import commissioning.settings

SETTINGS_FILE = Path(commissioning.settings.__file__)


def _settings(monkeypatch, **env) -> dict:
    for name in ("STORAGE_BACKEND", "MEDIA_ROOT", "AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_documents_are_stored_on_the_filesystem_under_media_root_by_default(monkeypatch):
    settings = _settings(monkeypatch)
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["OPTIONS"]["location"] == settings["BASE_DIR"] / "media"


def test_media_root_comes_from_the_environment(monkeypatch, tmp_path):
    settings = _settings(monkeypatch, MEDIA_ROOT=str(tmp_path))
    assert settings["STORAGES"]["default"]["OPTIONS"]["location"] == tmp_path


def test_storage_backend_s3_uses_django_storages_with_private_objects(monkeypatch):
    settings = _settings(
        monkeypatch,
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="council-documents",
        AWS_S3_ENDPOINT_URL="https://s3.example.gov.uk",
    )
    default = settings["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "council-documents"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.example.gov.uk"
    assert default["OPTIONS"]["default_acl"] == "private"
    assert default["OPTIONS"]["file_overwrite"] is False


def test_storage_backend_s3_needs_a_bucket(monkeypatch):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        _settings(monkeypatch, STORAGE_BACKEND="s3")


def test_an_unknown_storage_backend_stops_the_app(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND"):
        _settings(monkeypatch, STORAGE_BACKEND="ftp")


def test_tests_store_files_in_a_temporary_directory_not_the_repository():
    location = Path(default_storage.location)
    assert not location.is_relative_to(SETTINGS_FILE.parent.parent)
