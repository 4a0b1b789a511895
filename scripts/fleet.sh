#!/usr/bin/env bash
# make fleet: boots N demo VMs (hostnames ukmon-1 .. ukmon-N), each with
# its own forwarded ports, and serves them to one Prometheus through file
# service discovery, with Prometheus remote-writing to VictoriaMetrics for
# a scale-out, global view.  A supervisor loop keeps the targets file
# (build/fleet/targets.json) equal to the VMs whose exporter answers:
#
#   - a VM is added once its exporter has answered /metrics;
#   - a VM that dies (crash, kill) stays listed for UKMON_FLEET_GRACE
#     seconds, so Prometheus records up == 0 and the InstanceDown rule
#     fires, and is then removed;
#   - the fleet's size follows build/fleet/size: `scripts/fleet.sh scale
#     M` (or `make fleet-scale N=M`) starts or stops VMs while everything
#     runs; a VM that died is replaced only with UKMON_FLEET_RESTART=1.
#
# Prometheus (and VictoriaMetrics) pick every change up without a
# restart.  Ctrl-C stops everything; UKMON_RUN_SECONDS stops it by itself.
#
# Environment (all optional):
#   N / UKMON_FLEET_N     VMs at start (default 4)
#   UKMON_METRICS_PORT    host port of VM 1's exporter (9101); VM i uses
#                         UKMON_METRICS_PORT + i - 1
#   UKMON_FILE_PORT       host port of VM 1's file server (8081), likewise
#   UKMON_PROM_PORT       Prometheus (9090)
#   UKMON_VMETRICS_PORT   VictoriaMetrics (8428)
#   UKMON_FLEET_MEM       guest RAM of each VM (64M)
#   UKMON_FLEET_GRACE     seconds a dead VM stays a target (15)
#   UKMON_FLEET_RESTART   1: replace a VM that died
#   UKMON_FLEET_IMAGE     the image (build/kvm/demo.elf)
#   UKMON_RUN_SECONDS     stop by itself after this many seconds (tests)
set -u
cd "$(dirname "$0")/.."
. scripts/prometheus.sh

FLEET=build/fleet
if [ "${1:-}" = scale ]; then
  [ -d "$FLEET" ] || { echo "fleet.sh: no fleet running" >&2; exit 1; }
  case "${2:-}" in
    '' | *[!0-9]*) echo "usage: scripts/fleet.sh scale COUNT" >&2; exit 2 ;;
  esac
  echo "$2" >"$FLEET/size.tmp" && mv "$FLEET/size.tmp" "$FLEET/size"
  exit 0
fi

N=${N:-${UKMON_FLEET_N:-4}}
MBASE=${UKMON_METRICS_PORT:-9101}
FBASE=${UKMON_FILE_PORT:-8081}
PPORT=${UKMON_PROM_PORT:-9090}
VPORT=${UKMON_VMETRICS_PORT:-8428}
MEM=${UKMON_FLEET_MEM:-64M}
GRACE=${UKMON_FLEET_GRACE:-15}
RESTART=${UKMON_FLEET_RESTART:-0}
IMAGE=${UKMON_FLEET_IMAGE:-build/kvm/demo.elf}
IMAGE_NAME=$(basename "$IMAGE")
APPEND="net.ip=10.0.2.15/24 net.gw=10.0.2.2"

rm -rf "$FLEET"
mkdir -p "$FLEET"
echo "$N" >"$FLEET/size"

# Per-VM state, indexed by the VM's number i (hostname ukmon-i):
# state booting|up|dead, QEMU's PID, start and death times (ms).
declare -A STATE PID T0 TREADY TDEAD
NEXT=1
VMETRICS_PID=

now_ms() { date +%s%3N; }
mport() { echo $((MBASE + $1 - 1)); }
fport() { echo $((FBASE + $1 - 1)); }

cleanup() {
  local i
  trap - INT TERM EXIT
  echo
  echo "stopping the fleet..."
  for i in "${!PID[@]}"; do
    kill -TERM "${PID[$i]}" 2>/dev/null
  done
  # Prometheus first, while VictoriaMetrics still takes its last remote
  # write: stopping both at once leaves Prometheus retrying its flush to
  # a dead endpoint for a minute.
  if [ -n "$PROM_PID" ]; then
    kill -TERM "$PROM_PID" 2>/dev/null
    for _ in $(seq 100); do
      kill -0 "$PROM_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$PROM_PID" 2>/dev/null
  fi
  [ -n "$VMETRICS_PID" ] && kill -TERM "$VMETRICS_PID" 2>/dev/null
  sleep 0.5
  for i in "${!PID[@]}"; do
    kill -KILL "${PID[$i]}" 2>/dev/null
  done
  wait 2>/dev/null
  echo "stopped."
}
trap cleanup EXIT
trap 'exit 0' INT TERM

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The targets file, rewritten whole and renamed into place, so Prometheus
# never reads half of it.
write_targets() {
  local i first=1
  {
    echo "["
    for i in $(printf '%s\n' "${!STATE[@]}" | sort -n); do
      [ "${STATE[$i]}" = booting ] && continue
      [ $first = 1 ] || echo ","
      first=0
      printf '  {"targets": ["127.0.0.1:%s"], "labels": {"hostname": "ukmon-%s", "image": "%s"}}' \
        "$(mport "$i")" "$i" "$IMAGE_NAME"
    done
    echo
    echo "]"
  } >"$FLEET/targets.json.tmp"
  mv "$FLEET/targets.json.tmp" "$FLEET/targets.json"
}

start_vm() {
  local i=$1
  if port_busy "$(mport "$i")" || port_busy "$(fport "$i")"; then
    echo "fleet: ports $(mport "$i")/$(fport "$i") of ukmon-$i are in use; set UKMON_METRICS_PORT and UKMON_FILE_PORT" >&2
    return 1
  fi
  bash scripts/qemu.sh -m "$MEM" --serial "file:$FLEET/ukmon-$i.log" \
    --fwd "$(mport "$i"):9100" --fwd "$(fport "$i"):8080" "$IMAGE" \
    uk.hostname="ukmon-$i" $APPEND </dev/null >"$FLEET/ukmon-$i.qemu" 2>&1 &
  PID[$i]=$!
  disown "${PID[$i]}"  # its death is the supervisor's news, not bash's
  STATE[$i]=booting
  T0[$i]=$(now_ms)
}

stop_vm() {
  kill -TERM "${PID[$1]}" 2>/dev/null
}

live_count() {
  local i n=0
  for i in "${!STATE[@]}"; do
    [ "${STATE[$i]}" != dead ] && n=$((n + 1))
  done
  echo "$n"
}

# One pass of the supervisor: readiness, deaths, grace expiry, size.
reconcile() {
  local i changed=0 t want live
  t=$(now_ms)
  for i in "${!STATE[@]}"; do
    case "${STATE[$i]}" in
      booting)
        if ! kill -0 "${PID[$i]}" 2>/dev/null; then
          echo "fleet: ukmon-$i died while booting; see $FLEET/ukmon-$i.log"
          unset "STATE[$i]" "PID[$i]"
          [ "$RESTART" = 1 ] || echo $(( $(cat "$FLEET/size") - 1 )) >"$FLEET/size"
        elif curl -sf -m 1 -o /dev/null "http://127.0.0.1:$(mport "$i")/metrics"; then
          STATE[$i]=up
          TREADY[$i]=$(( $(now_ms) - T0[$i] ))
          changed=1
          echo "fleet: ukmon-$i up (exporter ready ${TREADY[$i]} ms after QEMU start)"
        fi
        ;;
      up)
        if ! kill -0 "${PID[$i]}" 2>/dev/null; then
          STATE[$i]=dead
          TDEAD[$i]=$t
          echo "fleet: ukmon-$i stopped; its target stays ${GRACE} s (up == 0, InstanceDown), then goes"
          [ "$RESTART" = 1 ] || echo $(( $(cat "$FLEET/size") - 1 )) >"$FLEET/size"
        fi
        ;;
      dead)
        if [ $((t - TDEAD[$i])) -ge $((GRACE * 1000)) ]; then
          unset "STATE[$i]" "PID[$i]" "TDEAD[$i]"
          changed=1
          echo "fleet: ukmon-$i removed from the targets"
        fi
        ;;
    esac
  done
  want=$(cat "$FLEET/size" 2>/dev/null || echo 0)
  live=$(live_count)
  while [ "$live" -lt "$want" ]; do
    start_vm "$NEXT" || break
    NEXT=$((NEXT + 1))
    live=$((live + 1))
  done
  if [ "$live" -gt "$want" ]; then
    for i in $(printf '%s\n' "${!STATE[@]}" | sort -rn); do
      [ "$live" -le "$want" ] && break
      [ "${STATE[$i]}" = dead ] && continue
      echo "fleet: scaling down, stopping ukmon-$i"
      stop_vm "$i"
      live=$((live - 1))
    done
  fi
  [ $changed = 1 ] && write_targets
  return 0
}

for p in "$PPORT" "$VPORT"; do
  if port_busy "$p"; then
    echo "make fleet: port $p on 127.0.0.1 is in use; set UKMON_PROM_PORT or UKMON_VMETRICS_PORT" >&2
    exit 1
  fi
done
[ -f "$IMAGE" ] || { echo "make fleet: $IMAGE is missing (make kvm)" >&2; exit 1; }

# VictoriaMetrics: the scale-out store.  A 1 s latency offset makes fresh
# samples queryable at once (the default waits 30 s).
victoria-metrics -storageDataPath="$FLEET/vmetrics" \
  -httpListenAddr="127.0.0.1:$VPORT" -retentionPeriod=1d \
  -search.latencyOffset=1s -loggerLevel=ERROR \
  >"$FLEET/victoria-metrics.log" 2>&1 &
VMETRICS_PID=$!

write_targets
cat >"$FLEET/rules.yml" <<'YML'
groups:
  - name: fleet
    rules:
      # The standard InstanceDown rule, with a fleet-sized "for".
      - alert: InstanceDown
        expr: up == 0
        for: 5s
        labels:
          severity: critical
        annotations:
          summary: "Instance {{ $labels.instance }} ({{ $labels.hostname }}) down"
YML
cat >"$FLEET/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - rules.yml
scrape_configs:
  - job_name: fleet
    file_sd_configs:
      - files: ['targets.json']
        refresh_interval: 5s
remote_write:
  - url: http://127.0.0.1:$VPORT/api/v1/write
YML
if ! prom_start_config "$FLEET" "$PPORT"; then
  echo "prometheus failed:"; tail "$FLEET/prometheus.log"; exit 1
fi

echo "booting $N VMs of $IMAGE_NAME..."
reconcile
for _ in $(seq 600); do
  reconcile
  [ "$(printf '%s\n' "${STATE[@]}" | grep -c '^up$')" -ge "$N" ] && break
  sleep 0.1
done

query='sum by (hostname) (rate(netdev_rx_bytes_total[1m]))'
enc=$(/usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$query")
echo
echo "the fleet is running:"
printf '  %-9s %-8s %-34s %-26s %s\n' hostname pid metrics "file server" ready
for i in $(printf '%s\n' "${!STATE[@]}" | sort -n); do
  printf '  %-9s %-8s %-34s %-26s %s\n' "ukmon-$i" "${PID[$i]}" \
    "http://127.0.0.1:$(mport "$i")/metrics" "http://127.0.0.1:$(fport "$i")/" \
    "${TREADY[$i]:-?} ms"
done
cat <<EOT

  Prometheus:       http://127.0.0.1:$PPORT/   (targets: /targets, alerts: /alerts)
  VictoriaMetrics:  http://127.0.0.1:$VPORT/   (PromQL at /api/v1/query)
  targets file:     $FLEET/targets.json
  the fleet:        http://127.0.0.1:$PPORT/graph?g0.expr=$enc&g0.tab=0&g0.range_input=15m
  same query, VictoriaMetrics:
    curl -s 'http://127.0.0.1:$VPORT/api/v1/query' --data-urlencode 'query=count by (hostname) (up)'
  resize it:        scripts/fleet.sh scale M   (or make fleet-scale N=M)

Press Ctrl-C to stop.
EOT

end=0
[ -n "${UKMON_RUN_SECONDS:-}" ] && end=$(( $(date +%s) + UKMON_RUN_SECONDS ))
while kill -0 "$PROM_PID" 2>/dev/null && kill -0 "$VMETRICS_PID" 2>/dev/null; do
  [ "$end" -ne 0 ] && [ "$(date +%s)" -ge "$end" ] && exit 0
  reconcile
  sleep 0.5
done
echo "Prometheus or VictoriaMetrics stopped unexpectedly; see $FLEET/*.log" >&2
exit 1
