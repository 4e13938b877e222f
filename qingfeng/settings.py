"""The one settings module. Everything that varies between machines comes from the environment
(or a local, git-ignored `.env` that `make run` writes), read through the strict helpers of core.lib.env."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from qingfeng.core.lib.env import env_bool, env_int, env_list, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

# QINGFENG_PRODUCTION=true is the production switch: DEBUG off, HTTPS-only cookies, HSTS, and every
# secret must come from the environment (no development fallbacks).
PRODUCTION = env_bool("QINGFENG_PRODUCTION", False)
DEBUG = env_bool("QINGFENG_DEBUG", not PRODUCTION)
TESTING = "pytest" in sys.modules or (len(sys.argv) > 1 and sys.argv[1] == "test")

_DEV_SECRET = "qingfeng-development-only-secret-key-not-for-production-use"
SECRET_KEY = env_str("QINGFENG_SECRET_KEY") or ("" if PRODUCTION else _DEV_SECRET)
# HMAC-SM3 key of the audit chain (hex). Lives outside the database (SECURITY.md L4).
AUDIT_KEY_HEX = env_str("QINGFENG_AUDIT_KEY") or ("" if PRODUCTION else "00" * 32)
if PRODUCTION and (not SECRET_KEY or not AUDIT_KEY_HEX):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("生产模式必须设置 QINGFENG_SECRET_KEY 与 QINGFENG_AUDIT_KEY 环境变量")

DATA_DIR = Path(env_str("QINGFENG_DATA_DIR") or (BASE_DIR / "var"))
ALLOWED_HOSTS = env_list("QINGFENG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("QINGFENG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "qingfeng.core",
    "qingfeng.org",
    "qingfeng.supervision",
    "qingfeng.rectification",
    "qingfeng.responsibility",
    "qingfeng.integrity",
    "qingfeng.ideology",
    "qingfeng.opinion",
    "qingfeng.education",
    "qingfeng.rules",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qingfeng.core.middleware.DatabaseUnavailableMiddleware",
    "qingfeng.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qingfeng.core.middleware.RequestContextMiddleware",
    "qingfeng.core.middleware.SessionLimitsMiddleware",
    "qingfeng.org.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qingfeng.urls"
WSGI_APPLICATION = "qingfeng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qingfeng.core.context_processors.shell",
            ],
            "builtins": ["django.templatetags.static"],
        },
    }
]

# SQLite (WAL, immediate transactions so that concurrent writers queue instead of failing) by default;
# PostgreSQL when DATABASE_URL is set.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "qingfeng.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "qingfeng.org.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "qingfeng.org.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "qingfeng.org.passwords.NotUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# 等保 asks for periodic change (SECURITY.md A3); ASVS would not: we follow 等保.
PASSWORD_MAX_AGE_DAYS = env_int("QINGFENG_PASSWORD_MAX_AGE_DAYS", 90)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:workbench"
LOGOUT_REDIRECT_URL = "login"

# Lock-out (SECURITY.md A4): N failures lock the user name for M minutes, even for the right password.
AXES_FAILURE_LIMIT = env_int("QINGFENG_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("QINGFENG_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qingfeng.org.views.auth.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

# Sessions (SECURITY.md A5): idle limit refreshed on every request, absolute limit in the middleware.
SESSION_IDLE_MINUTES = env_int("QINGFENG_SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = env_int("QINGFENG_SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False  # renewed once a minute by core.middleware.SessionLimitsMiddleware
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("QINGFENG_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Look files up per request in development and tests: otherwise every WhiteNoise instance walks all static files when
# it starts, and the test client makes one per Client (30 ms each, two minutes of a test run).
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = Path(env_str("QINGFENG_MEDIA_ROOT") or (DATA_DIR / "media"))
# Uploaded files are never served from MEDIA_URL: the attachment view checks access first.

# Attachments (SECURITY.md I2): size cap and the content types allowed, detected from the bytes.
UPLOAD_MAX_MB = env_int("QINGFENG_UPLOAD_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = (UPLOAD_MAX_MB + 1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Working hours of the calendar (Asia/Shanghai).
WORKDAY_START = env_str("QINGFENG_WORKDAY_START", "08:30")
WORKDAY_END = env_str("QINGFENG_WORKDAY_END", "17:30")

# 催办 and 逐级督办 (supervision scan): reminders N working days before a deadline, and the working days overdue
# after which an overdue part escalates to the department head, the lead leader, then the secretary.
REMIND_BEFORE_WORKING_DAYS = [int(v) for v in env_list("QINGFENG_REMIND_BEFORE_DAYS", ["3", "1"])]
ESCALATION_STEPS = [int(v) for v in env_list("QINGFENG_ESCALATION_STEPS", ["1", "3", "5"])]
SCAN_INTERVAL_SECONDS = env_int("QINGFENG_SCAN_INTERVAL_SECONDS", 300)

# 巡察整改: the 问题类别 offered (comma-separated; empty = rectification.models.DEFAULT_CATEGORIES).
RECTIFICATION_CATEGORIES = env_list("QINGFENG_RECTIFICATION_CATEGORIES", [])
# 回头看: the default recheck date of a closed (销号) measure, in months after it was closed.
RECHECK_MONTHS = env_int("QINGFENG_RECHECK_MONTHS", 3)

# Notifications: in-app always; further senders by dotted path (e-mail now, DingTalk/WeCom later).
NOTIFICATION_SENDERS = env_list("QINGFENG_NOTIFICATION_SENDERS", ["qingfeng.core.notify.EmailSender"])
EMAIL_BACKEND = env_str("QINGFENG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("QINGFENG_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("QINGFENG_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("QINGFENG_EMAIL_FROM", "qingfeng@localhost")

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_newlines": {"()": "qingfeng.core.logging.NeutraliseNewlines"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_newlines"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("QINGFENG_LOG_LEVEL", "WARNING")},
    # 403s are audit events already; 404s are noise.
    "loggers": {"django.request": {"level": "ERROR"}},
}
CSRF_FAILURE_VIEW = "qingfeng.core.views.errors.csrf_failure"
# Lock-out is per user name (the account, as 等保 asks), not per IP: a bureau's whole office sits behind one
# NAT address, and locking it out would let one mistyping clerk lock out everyone.
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    # SQLite builds the covering index of open tasks (supervision.Task) without its INCLUDE columns, as intended.
    "models.W040",
]

# --- operations ---
# /healthz and `qingfeng doctor`: the least free space (MB) of the data and media directories, and whether a worker
# whose heartbeat is older than 3 × its scan interval (or missing) fails the health check (by default in production).
DISK_MIN_FREE_MB = env_int("QINGFENG_DISK_MIN_FREE_MB", 1024)
HEALTH_REQUIRE_WORKER = env_bool("QINGFENG_HEALTH_REQUIRE_WORKER", PRODUCTION)
# A monitor may ask the app server itself (http://127.0.0.1:8000/healthz), past nginx and its HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Where `qingfeng backup` writes by default (one directory or .tar per backup), and the age (hours) after which
# `qingfeng doctor` warns that the last backup is too old (SECURITY.md R1: RPO 24 h).
BACKUP_DIR = Path(env_str("QINGFENG_BACKUP_DIR") or (DATA_DIR / "backups"))
BACKUP_MAX_AGE_HOURS = env_int("QINGFENG_BACKUP_MAX_AGE_HOURS", 26)
# --- end operations ---

# --- integrity (廉政建设) ---
# SM4 key of the confidential 四种形态 ledger (hex, 16 bytes), outside the database like the audit key. A key
# rotation re-encrypts every record: `qingfeng ledger-rekey` (reads QINGFENG_LEDGER_KEY_OLD and _NEW).
LEDGER_KEY_HEX = env_str("QINGFENG_LEDGER_KEY") or ("" if PRODUCTION else "11" * 16)
if PRODUCTION and not LEDGER_KEY_HEX:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("生产模式必须设置 QINGFENG_LEDGER_KEY 环境变量（四种形态台账的SM4密钥，32位十六进制）")
# 岗位/业务环节 of the 廉政风险点 register (comma-separated; empty = integrity.models.DEFAULT_RISK_AREAS).
INTEGRITY_RISK_AREAS = env_list("QINGFENG_INTEGRITY_RISK_AREAS", [])
# 婚丧喜庆事宜: the scale above which a report is accepted but flagged to the 纪检组长 (local rules vary).
INTEGRITY_EVENT_MAX_TABLES = env_int("QINGFENG_INTEGRITY_EVENT_MAX_TABLES", 20)
INTEGRITY_EVENT_MAX_GUESTS = env_int("QINGFENG_INTEGRITY_EVENT_MAX_GUESTS", 200)
# --- end integrity ---

# --- ideology (意识形态工作) ---
# The 党组's 专题研究 of ideology work: at least this many a year (local rules: twice), spread evenly over the year
# (2 → one by the end of June, the second by the end of December); and the 形势分析研判: one in each period of this
# many months (6: each half-year; 3: each quarter; a divisor of 12, else `qingfeng check` fails: ideology.E001).
IDEOLOGY_STUDY_PER_YEAR = env_int("QINGFENG_IDEOLOGY_STUDY_PER_YEAR", 2)
IDEOLOGY_ANALYSIS_MONTHS = env_int("QINGFENG_IDEOLOGY_ANALYSIS_MONTHS", 6)
# How many days before a period ends the secretary and the office are reminded of a meeting not yet held.
IDEOLOGY_REMIND_DAYS = env_int("QINGFENG_IDEOLOGY_REMIND_DAYS", 14)
# --- end ideology ---

# --- opinion (舆情处置) ---
# The limits of an incident's steps, counted from the moment it was found (国办发〔2016〕61号 and its 实施细则 80号):
# "<n>h" = n plain clock hours (舆情 does not wait for Monday: nights and holidays count), "<n>wd" = the end of the
# working day n working days after the day it was found (core.calendar, holidays and 调休 included). A key without
# "_major" is for 一般/较大, with "_major" for 重大/特别重大; each is overridden by QINGFENG_OPINION_LIMIT_<KEY>
# (e.g. QINGFENG_OPINION_LIMIT_RESPOND_MAJOR=4h). A malformed value stops start-up (opinion.E001).
OPINION_LIMIT_DEFAULTS = {
    "report": "1h",  # 报告 the leader on duty within 1 hour (our default)
    "report_major": "1h",
    "verify": "12h",  # 核实 (第一时间核查)
    "verify_major": "3h",
    "assess": "24h",  # 研判
    "assess_major": "4h",
    "respond": "48h",  # 回应 other 政务舆情 within 48 hours (61号)
    "respond_major": "5h",  # authoritative information within 5 hours at the latest (80号)
    "press_major": "24h",  # press conference within 24 hours at the latest (61号); 重大/特别重大 only
    "handle": "10wd",  # 处置完毕: two working weeks (local practice; the 督办事项's deadline)
    "handle_major": "10wd",
    "review": "20wd",  # 复盘: a month of working days, after 处置完毕
    "review_major": "20wd",
}
OPINION_LIMITS = {
    key: env_str(f"QINGFENG_OPINION_LIMIT_{key.upper()}", value) or value
    for key, value in OPINION_LIMIT_DEFAULTS.items()
}
# A reminder goes out when this share of a limit's time has passed (the escalation when it is missed).
OPINION_REMIND_PERCENT = env_int("QINGFENG_OPINION_REMIND_PERCENT", 80)
# Monitoring imports: rows are merged into the unit's incidents of the last N days (same link or near-identical text).
OPINION_DEDUP_DAYS = env_int("QINGFENG_OPINION_DEDUP_DAYS", 30)
# --- end opinion ---

# --- education (学习教育) ---
# How often each kind of study session is required, in months (1 each month, 3 each quarter, 6 each half-year, 12 each
# year; 0 = not required). 支部工作条例（试行）: 党员大会 一般每季度1次, 支委会 and 党小组会 一般每月1次, 主题党日 each
# month, 组织生活会 at least once a year; the 党课 and the 中心组学习 are local rules; 廉政课堂 and 警示教育 are the
# bureau's own. A value that does not divide the year stops `qingfeng check` (education.E001).
EDUCATION_MONTHS = {
    "center": env_int("QINGFENG_EDUCATION_CENTER_MONTHS", 1),
    "general": env_int("QINGFENG_EDUCATION_GENERAL_MONTHS", 3),
    "committee": env_int("QINGFENG_EDUCATION_COMMITTEE_MONTHS", 1),
    "group": env_int("QINGFENG_EDUCATION_GROUP_MONTHS", 1),
    "lecture": env_int("QINGFENG_EDUCATION_LECTURE_MONTHS", 3),
    "theme_day": env_int("QINGFENG_EDUCATION_THEME_DAY_MONTHS", 1),
    "life": env_int("QINGFENG_EDUCATION_LIFE_MONTHS", 12),
    "integrity": env_int("QINGFENG_EDUCATION_INTEGRITY_MONTHS", 6),
    "warning": env_int("QINGFENG_EDUCATION_WARNING_MONTHS", 6),
}
# Days before a period ends when a branch secretary (or the office) is reminded of a session not yet held.
EDUCATION_REMIND_DAYS = env_int("QINGFENG_EDUCATION_REMIND_DAYS", 7)
# --- end education ---

# --- rules (制度与三重一大) ---
# A rule is reviewed this many years after it took effect (or was last revised); the office and the issuing
# department's head are reminded RULES_REVIEW_REMIND_DAYS before the review date.
RULES_REVIEW_YEARS = env_int("QINGFENG_RULES_REVIEW_YEARS", 3)
RULES_REVIEW_REMIND_DAYS = env_int("QINGFENG_RULES_REVIEW_REMIND_DAYS", 30)
# 大额度资金运作: a sum of at least this many 万元 is 大额 and must be decided at a 党组会议 (local rules vary).
RULES_LARGE_AMOUNT_WAN = env_int("QINGFENG_RULES_LARGE_AMOUNT_WAN", 50)
# --- end rules ---
