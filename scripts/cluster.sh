#!/usr/bin/env bash
# A local Sphinx cluster for development and tests: N shards × M mirrors of searchd RT nodes
# behind one aggregator (a distributed index with agent mirrors and ha_strategy).
#
#   bash scripts/cluster.sh start DIR [--shards N] [--mirrors M] [--query-timeout MS]
#                                                                  # last line: sphinx://127.0.0.1:PORT
#   bash scripts/cluster.sh status DIR                             # NAME PID PORT ROLE per node
#   bash scripts/cluster.sh stop DIR                               # stops every node still running
#   bash scripts/cluster.sh restart-node DIR NAME                  # starts one stopped/killed node again
#
# Everything (configs, data, logs, pid files) lives under DIR; ports are picked free.
# Each node listens on two ports: SphinxQL (mysql41, the PORT shown) and, on PORT + 1, the
# binary API the aggregator talks to (the client finds a shard's SphinxQL port that way).
# DIR/nodes.tsv records NAME ROLE SQLPORT APIPORT.
set -euo pipefail

die() { echo "cluster.sh: $*" >&2; exit 1; }
SEARCHD=${SEARCHD:-searchd}

free_pairs() {  # free_pairs COUNT: COUNT pairs "SQL API" of free TCP ports, API = SQL + 1
  python3 - "$1" <<'PY'
import socket, sys
held, pairs = [], []
while len(pairs) < int(sys.argv[1]):
    a = socket.socket()
    a.bind(("127.0.0.1", 0))
    held.append(a)
    port = a.getsockname()[1]
    if port >= 65535:
        continue
    b = socket.socket()
    try:
        b.bind(("127.0.0.1", port + 1))
    except OSError:
        b.close()
        continue
    held.append(b)
    pairs.append(f"{port} {port + 1}")
print(" ".join(pairs))
PY
}

wait_port() {  # wait_port PORT SECONDS: until something accepts on 127.0.0.1:PORT
  python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, deadline = int(sys.argv[1]), time.time() + float(sys.argv[2])
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
}

node_conf() {  # node_conf DIR NAME SQLPORT APIPORT
  local dir=$1 name=$2 sql=$3 api=$4 home=$1/$2
  mkdir -p "$home/data" "$home/binlog"
  cat > "$home/searchd.conf" <<CONF
# RT node $name: one shard replica.  Text arrives already tokenised by the client
# (folded character pairs, characters and jieba words as ASCII tokens), so the
# charset is plain a-z0-9.
index rt
{
	type			= rt
	path			= $home/data/rt
	rt_mem_limit		= 512M
	rt_field		= pairs
	rt_field		= chars
	rt_field		= cpairs
	rt_field		= cased
	rt_field		= words
	rt_field		= meta
	rt_attr_bigint		= ns
	rt_attr_uint		= since
	rt_attr_uint		= until
	rt_attr_bigint		= report_key
	rt_attr_bigint		= unit_key
	rt_attr_bigint		= district_key
	rt_attr_bigint		= year_key
	rt_attr_bigint		= section_key
	rt_attr_uint		= paragraph
	rt_attr_string		= report
	rt_attr_string		= file
	rt_attr_string		= unit
	rt_attr_string		= district
	rt_attr_string		= year
	rt_attr_string		= section
	rt_attr_string		= heading
	rt_attr_string		= text
	rt_attr_string		= shape
	charset_table		= 0..9, a..z, _
	min_word_len		= 1
	dict			= keywords
	index_field_lengths	= 1
}
searchd
{
	listen			= 127.0.0.1:$api
	listen			= 127.0.0.1:$sql:mysql41
	log			= $home/searchd.log
	query_log		= $home/query.log
	pid_file		= $home/searchd.pid
	binlog_path		= $home/binlog
	binlog_flush		= 2
	workers			= threads
	read_timeout		= 5
	client_timeout		= 300
	max_packet_size		= 128M
	collation_server	= binary
	watchdog		= 0
}
CONF
}

agg_conf() {  # agg_conf DIR SQLPORT APIPORT AGENT_LINE...
  local dir=$1 sql=$2 api=$3 home=$1/aggregator; shift 3
  mkdir -p "$home"
  {
    echo "# Aggregator: reads go here; one agent line per shard, mirrors separated by |."
    echo "index dist"
    echo "{"
    echo "	type			= distributed"
    for line in "$@"; do echo "	agent			= $line"; done
    echo "	ha_strategy		= nodeads"
    echo "	agent_connect_timeout	= 300"
    echo "	agent_query_timeout	= ${QUERY_TIMEOUT_MS:-5000}"
    echo "}"
    echo "searchd"
    echo "{"
    echo "	listen			= 127.0.0.1:$api"
    echo "	listen			= 127.0.0.1:$sql:mysql41"
    echo "	log			= $home/searchd.log"
    echo "	query_log		= $home/query.log"
    echo "	pid_file		= $home/searchd.pid"
    echo "	binlog_path		="
    echo "	workers			= threads"
    echo "	read_timeout		= 5"
    echo "	client_timeout		= 300"
    echo "	max_packet_size		= 128M"
    echo "	collation_server	= binary"
    echo "	ha_ping_interval	= 500"
    echo "	ha_period_karma		= 5"
    echo "	watchdog		= 0"
    echo "}"
  } > "$home/searchd.conf"
}

start_node() {  # start_node DIR NAME
  local home=$1/$2 sql
  sql=$(awk -v n="$2" '$1 == n {print $3}' "$1/nodes.tsv")
  "$SEARCHD" --config "$home/searchd.conf" > "$home/start.log" 2>&1 \
    || die "searchd $2 failed to start: $(tail -n 3 "$home/start.log")"
  wait_port "$sql" 20 || die "searchd $2 does not answer on port $sql (see $home/searchd.log)"
}

node_pid() {  # node_pid DIR NAME: the live pid or nothing
  local pidfile=$1/$2/searchd.pid pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null && grep -q searchd "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  fi
}

cmd_start() {
  local dir=$1; shift
  local shards=2 mirrors=2
  while [ $# -gt 0 ]; do
    case $1 in
      --shards) shards=$2; shift 2 ;;
      --mirrors) mirrors=$2; shift 2 ;;
      # how long the aggregator waits for a shard's answer (ms) before it tries a mirror
      # or answers without the shard; a 10^6-paragraph corpus on a loaded machine needs more
      --query-timeout) QUERY_TIMEOUT_MS=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ $shards =~ ^[1-9][0-9]*$ && $mirrors =~ ^[1-9][0-9]*$ ]] || die "--shards and --mirrors take positive numbers"
  [[ ${QUERY_TIMEOUT_MS:-5000} =~ ^[1-9][0-9]*$ ]] || die "--query-timeout takes milliseconds"
  command -v "$SEARCHD" >/dev/null || die "searchd not found: apt-get install sphinxsearch"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ -f "$dir/nodes.tsv" ]; then
    while read -r name _; do
      [ -z "$(node_pid "$dir" "$name")" ] || die "a cluster is already running in $dir (stop it first)"
    done < "$dir/nodes.tsv"
  fi
  local -a ports; read -r -a ports <<< "$(free_pairs $(( shards * mirrors + 1 )))"
  : > "$dir/nodes.tsv"
  local -a agents=()
  local i=0 k m line
  for ((k = 0; k < shards; k++)); do
    line=""
    for ((m = 0; m < mirrors; m++)); do
      local name="shard$k-m$m" sql=${ports[i]} api=${ports[i+1]}; i=$((i + 2))
      node_conf "$dir" "$name" "$sql" "$api"
      printf '%s\tshard-%d\t%d\t%d\n' "$name" "$k" "$sql" "$api" >> "$dir/nodes.tsv"
      line+="${line:+|}127.0.0.1:$api:rt"
    done
    agents+=("$line")
  done
  local asql=${ports[i]} aapi=${ports[i+1]}
  agg_conf "$dir" "$asql" "$aapi" "${agents[@]}"
  printf 'aggregator\taggregator\t%d\t%d\n' "$asql" "$aapi" >> "$dir/nodes.tsv"
  while read -r name _; do start_node "$dir" "$name"; done < "$dir/nodes.tsv"
  echo "sphinx://127.0.0.1:$asql"
}

cmd_status() {
  local dir=$1
  [ -f "$dir/nodes.tsv" ] || die "no cluster in $dir"
  echo "NAME PID PORT ROLE"
  while read -r name role sql _; do
    local pid; pid=$(node_pid "$dir" "$name")
    echo "$name ${pid:--} $sql $role"
  done < "$dir/nodes.tsv"
}

cmd_stop() {
  local dir=$1 name pid
  [ -f "$dir/nodes.tsv" ] || die "no cluster in $dir"
  local -a pids=()
  while read -r name _; do
    pid=$(node_pid "$dir" "$name")
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; pids+=("$pid"); fi
  done < "$dir/nodes.tsv"
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  echo "stopped ${#pids[@]} node(s)"
}

cmd_restart_node() {
  local dir=$1 name=$2
  grep -q "^$name	" "$dir/nodes.tsv" 2>/dev/null || die "no node $name in $dir"
  [ -z "$(node_pid "$dir" "$name")" ] || die "$name is already running"
  rm -f "$dir/$name/searchd.pid"
  start_node "$dir" "$name"
}

[ $# -ge 2 ] || die "usage: cluster.sh start|status|stop DIR [--shards N] [--mirrors M] | restart-node DIR NAME"
action=$1; shift
case $action in
  start) cmd_start "$@" ;;
  status) cmd_status "$1" ;;
  stop) cmd_stop "$1" ;;
  restart-node) cmd_restart_node "$@" ;;
  *) die "unknown command $action (start, status, stop, restart-node)" ;;
esac
