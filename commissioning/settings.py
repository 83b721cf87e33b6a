"""Settings for Commissioning Tracker, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from commissioning.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

# A fixed development key is only acceptable while DEBUG is on.
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", default="dev-only-insecure-key-do-not-deploy")
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_tables2",
    "simple_history",
    "pgtrigger",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "audit",
    "ui",
    "contracts",
    "decisions",
    "grants",
    "psr",
    "public",
]

MIDDLEWARE = [
    # First: a load balancer's probe uses the instance's IP as Host and plain HTTP, so
    # /health/ is answered before anything calls request.get_host() or redirects.
    "ui.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.NoStoreWhenSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "accounts.middleware.ReadOnlyRoleMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during sign-in into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "commissioning.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
            ],
        },
    },
]

WSGI_APPLICATION = "commissioning.wsgi.application"

# SQLite is the zero-setup default for a first run; production and CI use PostgreSQL.
DATABASE_URL = env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's own pool; Django then must not keep persistent connections itself.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        "timeout": 10,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Django's cache framework: the database cache, so that every app server shares one
# cache (the public pages, public/cache.py). Its table is made by `migrate`
# (public/migrations/0001_cache_table.py), wherever a database is set up.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

# django-axes first: it refuses a locked-out sign-in before any password is checked.
# RoleModelBackend answers permission checks from one query per request (accounts/
# backends.py) and signs nobody in; ModelBackend signs users in, so sessions keep its
# path, and answers from the same cached permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Stored files (issued documents): through Django's storage API, never served from
# MEDIA_ROOT directly; every download goes through a permission-checked view. The
# filesystem by default; STORAGE_BACKEND=s3 puts them in an S3-compatible store through
# django-storages (the "s3" extra), so that several app servers share one store. It
# reads AWS_STORAGE_BUCKET_NAME, and AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME,
# AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment (README, "Documents
# storage").
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGE_BACKEND = env_str("STORAGE_BACKEND", default="filesystem")
if STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
elif STORAGE_BACKEND == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            # Private objects, no public URLs: the app reads the bytes and serves them.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    for _name in ("AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME"):
        if env_str(_name, default=""):
            DEFAULT_STORAGE["OPTIONS"][_name.removeprefix("AWS_S3_").lower()] = env_str(_name)
else:
    raise ImproperlyConfigured(
        f"STORAGE_BACKEND must be filesystem or s3, not {STORAGE_BACKEND!r}."
    )
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# HTTPS. On by default when DEBUG is off; each has a switch for a proxy that does it
# itself (README, "Deploying"). A switch turned off on purpose silences its deploy check.
# The TLS proxy sets X-Forwarded-Proto; without trusting it the app would think every
# request is plain HTTP (redirect loops, cookies refused). Switch it off only when no
# proxy sits in front, or the proxy does not overwrite a client's X-Forwarded-Proto.
if env_bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # answered first anyway (ui.health); belt and braces
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Preloading binds the council's whole domain and is submitted by its owner, so it is a
# choice for them (SECURE_HSTS_PRELOAD=true), not a default; its check is silenced.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if not DEBUG and not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS.append("security.W008")  # the proxy redirects to HTTPS
if not DEBUG and not SECURE_HSTS_SECONDS:
    SILENCED_SYSTEM_CHECKS.append("security.W004")  # the proxy sends HSTS

# Sessions: signed out after 30 minutes without a request, and 12 hours after signing
# in whatever the activity (accounts.middleware.SessionLifetimeMiddleware, which renews
# the session's expiry at most once a minute rather than saving it on every request).
# A password change ends the user's other sessions: Django checks each session's
# password hash on every request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)

# Sign-in throttling (django-axes). After 5 failures for one username from one IP
# address, sign-in for that pair is refused for 15 minutes, with the same message as a
# wrong password (accounts.throttling), so that nobody learns which accounts exist or
# are locked. It covers the admin sign-in too. Attempts are kept in the database, so
# every app server sees them. The IP is REMOTE_ADDR: behind a proxy that is the
# proxy's, and the limit is then in effect per username.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "accounts.throttling.lockout_response"
AXES_VERBOSE = False

# Content Security Policy (django-csp 4). Scripts only from our own files: no inline
# script, no eval, so no nonce is needed and a page's body does not change per request.
# style-src is 'self' too: the app's templates and the contract timeline SVG use classes
# in static CSS instead of style attributes. The admin's history page from
# django-simple-history has one style attribute ("border-top: 0" on its paginator); it
# is allowed by its hash through 'unsafe-hashes', which covers attributes with exactly
# that text and nothing else. Images, fonts and everything else: our own files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": [
            "'self'",
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        ],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.14.0"

DJANGO_TABLES2_TEMPLATE = "includes/table.html"
DJANGO_TABLES2_PAGE_RANGE = 8

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
}

# History: tamper-evident and append-only (see audit.chain and audit.models).
# The key of the hmac chain on every history row. Kept out of the database, so that a
# database superuser cannot recompute the chain; verify_history needs the same key.
if DEBUG:
    HISTORY_HMAC_KEY = env_str("HISTORY_HMAC_KEY", default="dev-only-history-key-do-not-deploy")
else:
    HISTORY_HMAC_KEY = env_str("HISTORY_HMAC_KEY")
    if len(HISTORY_HMAC_KEY) < 32:
        raise ImproperlyConfigured("HISTORY_HMAC_KEY must be at least 32 characters long.")

# --- Input limits (issue 10, item 5) ---------------------------------------------------
# Uploads are refused at their view's limit before they are read (ui/uploads.py). It reads
# the body before CsrfViewMiddleware does, so it comes first.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "ui.uploads.UploadLimitMiddleware",
)

# --- Background tasks (issue 11, items 5-6) ---------------------------------------------
# Django's tasks API (the django-tasks package until Django 6). In production tasks wait
# in the database (django-tasks-db) and `python manage.py db_worker` runs them: one or
# more workers, on any machine that reaches the same database. TASKS_IMMEDIATE=true runs
# each task at once, in the process that enqueues it (development, `make run`, the tests);
# it defaults to DEBUG. Long imports use it (ui/imports.py); their state is in the
# database (ui.ImportJob), so any app server shows their progress.
TASKS_IMMEDIATE = env_bool("TASKS_IMMEDIATE", default=DEBUG)
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TASKS_IMMEDIATE
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# --- Email (issue 15, item 7: invitations and password resets) -------------------------
# Development prints emails on the console; production sends them through SMTP, set from
# the environment (EMAIL_HOST and the rest). DEFAULT_FROM_EMAIL names the sender.
SERVICE_NAME = "Commissioning Tracker"
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="commissioning-tracker@localhost")
# An invitation's link to set a password lasts three days (a reset's too).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# --- Open data (issue 13: OCDS) ----------------------------------------------------------
# The publisher's OCDS prefix, registered with the Open Contracting Partnership: every
# contracting process's ocid is this prefix, "-" and the contract's id. "ocds-xxxxxx" is
# a placeholder until the council registers one.
OCDS_PREFIX = env_str("OCDS_PREFIX", default="ocds-xxxxxx")
