#!/usr/bin/env bash
# The public forward plan under load: `wrk` against gunicorn (2 workers, DEBUG off) on
# PostgreSQL, with the demo data (issue 13: aim for >= 200 requests/s). Run by
# `make benchmark-public`, which installs wrk. Prints wrk's report (requests/s and the
# latency distribution, p50 and p99 among it).
#
#   BENCH_DATABASE_URL  the PostgreSQL server (default postgres://postgres@127.0.0.1:5432)
#   BENCH_PORT          gunicorn's port (default 8012)
#   BENCH_SECONDS       how long wrk runs (default 20)
#   BENCH_CONNECTIONS   wrk's open connections (default 16)
set -euo pipefail
cd "$(dirname "$0")/.."

server=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432}
db=bench_public
port=${BENCH_PORT:-8012}
seconds=${BENCH_SECONDS:-20}
connections=${BENCH_CONNECTIONS:-16}
py=.venv/bin/python

psql "$server/postgres" -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
psql "$server/postgres" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db"

export DEBUG=false SECURE_SSL_REDIRECT=false SECURE_PROXY_SSL_HEADER=false SECURE_COOKIES=false
export SECRET_KEY=benchmark-only-secret-key-0123456789abcdef
export HISTORY_HMAC_KEY=benchmark-only-history-key-0123456789abcdef
export ALLOWED_HOSTS=127.0.0.1 DATABASE_URL="$server/$db"
$py manage.py migrate --no-input -v 0
DEBUG=true $py manage.py load_demo >/dev/null
rm -rf staticfiles && $py manage.py collectstatic --no-input -v 0

# The demo's first authority, with 40 more key decisions on its forward plan (a full
# page of 25 rows, one in five exempt).
authority=$($py manage.py shell -v 0 -c "
from datetime import timedelta
from django.utils import timezone
from contracts.models import Authority
from decisions.models import Decision
a = Authority.objects.order_by('pk').first()
today = timezone.localdate()
for i in range(40):
    Decision.objects.create(
        authority=a, number=f'BENCH/{i:03d}', title=f'Benchmark key decision {i}',
        decision_type=Decision.Type.EXECUTIVE_KEY, is_key_decision=True,
        decision_maker='Cabinet Member for Adult Social Care and Public Health',
        forward_plan_published_on=today, decision_date=today + timedelta(days=30 + i),
        exempt_paragraph=3 if i % 5 == 0 else None)
print(a.pk)")
url="http://127.0.0.1:$port/public/$authority/forward-plan/"

.venv/bin/gunicorn commissioning.wsgi --bind "127.0.0.1:$port" --workers 2 \
  --access-logfile /dev/null --error-logfile - --log-level warning &
gunicorn_pid=$!
trap 'kill $gunicorn_pid 2>/dev/null; wait $gunicorn_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -fs -o /dev/null "$url" && break; sleep 0.2; done

rows=$(curl -fs "$url" | grep -c 'govuk-table__row' || true)
echo "== $url ($((rows - 1)) rows), 2 gunicorn workers, DEBUG off, PostgreSQL"
echo "-- cache cold, then warm: first request"
curl -fs -o /dev/null -w "first request %{time_total}s, HTTP %{http_code}\n" "$url?cold=1"
echo "-- the same page from the cache (what the public mostly gets)"
wrk -t2 -c "$connections" -d "${seconds}s" --latency "$url"

# Every request a new query string: each one misses the cache and renders the page.
lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?uncached=" .. math.random(1, 1000000000) .. "-" .. n)
end
LUA
echo "-- every request rendered (a new query string each: the cache never hits)"
wrk -t2 -c "$connections" -d "${seconds}s" --latency -s "$lua" "$url"
rm -f "$lua"
