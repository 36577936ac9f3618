#!/usr/bin/env bash
# Times PostGIS ST_ClusterDBSCAN on a CSV written by generate.mjs (issue 7).
#
#   bash postgis.sh MARKS.csv       (RUNS=3 timed runs by default; SHOW_PLAN=1 prints the plan)
#
# Installs PostgreSQL and PostGIS from Debian's packages when they are missing (as root), starts
# a throwaway cluster in a temporary directory on a free loopback port, loads the CSV into a
# table whose points are projected to UTM zone 18N (EPSG:32618, metres), then runs
#
#   EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON)
#   SELECT ST_ClusterDBSCAN(geom, eps := 50, minpoints := 1)
#            OVER (PARTITION BY barrio_id, category) FROM marks
#
# once to warm up and RUNS times timed, and prints one JSON line on stdout:
#   {"tool":"postgis","n":…,"ms":<median execution time>,"runs_ms":[…],"clusters":…, …}
# Only the clustering query's execution time (sort into partitions + the window function over
# every row) is counted; the load, the projection and the planning are not. Everything else goes
# to stderr. The cluster is stopped and its directory deleted on exit, whatever happens.
set -euo pipefail

RUNS=${RUNS:-3}
EPS=${EPS:-50}
SRID=32618

die() {
  echo "postgis.sh: $*" >&2
  exit 1
}
[[ $# -eq 1 ]] || die "usage: bash postgis.sh MARKS.csv"
CSV=$1
[[ -r $CSV ]] || die "cannot read $CSV"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number"

is_root() { [[ $(id -u) -eq 0 ]]; }

apt_install() {
  is_root || die "$* missing and not root: install it with apt-get install -y $*"
  echo "postgis.sh: installing $* from Debian's packages" >&2
  # Try with the package lists as they are; refresh them only if that fails.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2; then
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
  fi
}

# The newest PostgreSQL major version with a server installed, or nothing.
pg_major() {
  local d v best=
  for d in /usr/lib/postgresql/*/; do
    v=$(basename "$d")
    [[ $v =~ ^[0-9]+$ && -x $d/bin/initdb ]] || continue
    if [[ -z $best || $v -gt $best ]]; then best=$v; fi
  done
  [[ -n $best ]] && echo "$best"
  return 0
}

# --- install (only what is missing) -------------------------------------------------------------
V=$(pg_major)
if [[ -z $V ]]; then
  apt_install postgresql
  V=$(pg_major)
  [[ -n $V ]] || die "postgresql installed but no /usr/lib/postgresql/N/bin/initdb found"
fi
if [[ ! -f /usr/share/postgresql/$V/extension/postgis.control ]]; then
  apt_install "postgresql-$V-postgis-3"
fi
BIN=/usr/lib/postgresql/$V/bin

# initdb and postgres refuse to run as root: run them as the postgres user when root.
if is_root; then
  id postgres > /dev/null 2>&1 || die "no postgres user (the postgresql package creates it)"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

# --- throwaway cluster ---------------------------------------------------------------------------
free_port() {
  local p
  for p in $(seq 55432 55531); do
    if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/cartobarrio-postgis.XXXXXX")
STARTED=0
cleanup() {
  local rc=$?
  if [[ $STARTED -eq 1 ]]; then
    as_pg "$BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop > /dev/null 2>&1 || echo "postgis.sh: could not stop the cluster in $WORK" >&2
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
is_root && chown postgres: "$WORK"

PORT=$(free_port) || die "no free loopback port in 55432-55531"
as_pg "$BIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C --no-sync > "$WORK/initdb.log" 2>&1 ||
  { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
# A benchmark database: nothing here needs to survive a crash. Memory settings keep the sort of
# 1 M rows in memory; JIT is off because it only adds compile time to this query (README.md).
cat >> "$WORK/data/postgresql.conf" << EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$WORK'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 512MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
jit = off
EOF
as_pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -t 60 start > /dev/null ||
  { cat "$WORK/server.log" >&2; die "the server did not start"; }
STARTED=1

psql_db() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
psql_db -d postgres -c 'CREATE DATABASE bench' > /dev/null

# --- load (not timed in the result; printed as load_ms for information) -------------------------
t0=$(date +%s%N)
psql_db -d bench > /dev/null << 'EOF'
CREATE EXTENSION postgis;
CREATE UNLOGGED TABLE marks_csv (id uuid, barrio_id bigint, category text, lon float8, lat float8);
EOF
psql_db -d bench -c 'COPY marks_csv FROM STDIN WITH (FORMAT csv, HEADER true)' < "$CSV"
psql_db -d bench > /dev/null << EOF
CREATE UNLOGGED TABLE marks AS
  SELECT id, barrio_id, category,
         ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), $SRID)::geometry(Point, $SRID) AS geom
  FROM marks_csv;
DROP TABLE marks_csv;
VACUUM (ANALYZE) marks;
EOF
LOAD_MS=$((($(date +%s%N) - t0) / 1000000))

query() {
  cat << EOF
SELECT ST_ClusterDBSCAN(geom, eps := $EPS, minpoints := 1) OVER (PARTITION BY barrio_id, category) AS cid
FROM marks
EOF
}

# --- timed runs ----------------------------------------------------------------------------------
execution_ms() {
  local plan
  plan=$(psql_db -d bench -At -c "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) $(query)")
  sed -n 's/.*"Execution Time": \([0-9.]*\).*/\1/p' <<< "$plan"
}
# Warm-up: the table is in shared buffers afterwards. SHOW_PLAN=1 prints its plan on stderr.
if [[ ${SHOW_PLAN:-0} == 1 ]]; then
  psql_db -d bench -c "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) $(query)" >&2
else
  execution_ms > /dev/null
fi
TIMES=()
for ((r = 0; r < RUNS; r++)); do
  ms=$(execution_ms)
  [[ -n $ms ]] || die "no Execution Time in EXPLAIN ANALYZE's output"
  TIMES+=("$ms")
done
MEDIAN=$(printf '%s\n' "${TIMES[@]}" | sort -g | awk '{a[NR] = $1} END {m = int((NR + 1) / 2); if (NR % 2) print a[m]; else printf "%.3f\n", (a[m] + a[m + 1]) / 2}')

# --- facts for the report (not timed) -----------------------------------------------------------
N=$(psql_db -d bench -At -c 'SELECT count(*) FROM marks')
CLUSTERS=$(psql_db -d bench -At -c "SELECT count(*) FROM (SELECT DISTINCT barrio_id, category, cid FROM ($(query | sed '1s/^SELECT /SELECT barrio_id, category, /')) s) t")
PARTITIONS=$(psql_db -d bench -At -c 'SELECT count(*) FROM (SELECT DISTINCT barrio_id, category FROM marks) t')
POSTGIS=$(psql_db -d bench -At -c 'SELECT postgis_lib_version()')
GEOS=$(psql_db -d bench -At -c 'SELECT postgis_geos_version()')
PGVER=$(psql_db -d bench -At -c 'SHOW server_version')
PGVER=${PGVER%% *}
RUNS_JSON=$(IFS=,; echo "${TIMES[*]}")

printf '{"tool":"postgis","n":%s,"ms":%s,"runs_ms":[%s],"clusters":%s,"partitions":%s,"eps_m":%s,"srid":%s,"postgis":"%s","geos":"%s","postgresql":"%s","load_ms":%s}\n' \
  "$N" "$MEDIAN" "$RUNS_JSON" "$CLUSTERS" "$PARTITIONS" "$EPS" "$SRID" "$POSTGIS" "$GEOS" "$PGVER" "$LOAD_MS"
