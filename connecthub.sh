#!/usr/bin/env bash
# ConnectHub control script: the docker compose commands an operator needs, by name.
set -euo pipefail

cd "$(dirname "$0")"

PROD=(-f docker-compose.yml)
DEV=(-f docker-compose.yml -f docker-compose.dev.yml)
# The image runs as uid 1000 (user "node"); ./data is mounted at /data and must be writable by it.
APP_UID=1000

usage() {
  cat <<'USAGE'
Usage: ./connecthub.sh <command> [options]

Production (docker-compose.yml):
  build                 build the image and (re)start everything
  start                 start everything (no build)
  restart               restart backend and worker(s)
  stop                  stop and remove the containers (data in ./data stays)

Development (docker-compose.yml + docker-compose.dev.yml: source mounted, restart on change):
  dev-build             build and (re)start in development mode
  dev-start             start in development mode
  dev-restart           restart backend and worker(s) in development mode
  dev-stop              stop the development containers

Watching:
  logs [-f] [--tail N] [service]   show logs (all services, or one: backend, worker, postgres, mongo, migrate)
  status                           containers and their health, then GET /health

CLI (a one-off container of the image, next to the running services):
  cli <command> [args]             e.g.
  ./connecthub.sh cli doctor
  ./connecthub.sh cli backup --out /data/backups/connecthub.tar.gz
USAGE
}

compose() {
  docker compose "$@"
}

ensure_env() {
  if [[ ! -f .env ]]; then
    echo "No .env here: copying .env.example to .env (edit it, at least POSTGRES_PASSWORD)." >&2
    cp .env.example .env
  fi
}

ensure_data_dir() {
  mkdir -p data/logs
  local owner
  owner=$(stat -c %u data)
  if [[ "$owner" != "$APP_UID" && "$(id -u)" != "$APP_UID" ]]; then
    if [[ "$(id -u)" == "0" ]]; then
      chown "$APP_UID:$APP_UID" data data/logs
      [[ -f data/fernet.key ]] && chown "$APP_UID:$APP_UID" data/fernet.key
    else
      echo "warning: ./data is owned by uid $owner; the container user (uid $APP_UID) may not be able to write it." >&2
      echo "         fix: sudo chown $APP_UID:$APP_UID data data/logs" >&2
    fi
  fi
}

logs() {
  local args=() service=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      -f|--follow) args+=(--follow); shift ;;
      --tail)
        [[ $# -ge 2 ]] || { echo "logs: --tail needs a number" >&2; exit 2; }
        args+=(--tail "$2"); shift 2 ;;
      --tail=*) args+=(--tail "${1#--tail=}"); shift ;;
      -*) echo "logs: unknown option $1" >&2; exit 2 ;;
      *) service="$1"; shift ;;
    esac
  done
  if [[ -n "$service" ]]; then
    compose "${PROD[@]}" logs "${args[@]}" "$service"
  else
    compose "${PROD[@]}" logs "${args[@]}"
  fi
}

status() {
  compose "${PROD[@]}" ps
  local port="${PORT:-8000}"
  if command -v curl >/dev/null 2>&1; then
    echo
    curl -fsS "http://127.0.0.1:${port}/health" && echo || echo "GET /health on port ${port} did not answer"
  fi
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    build) ensure_env; ensure_data_dir; compose "${PROD[@]}" up -d --build ;;
    start) ensure_env; ensure_data_dir; compose "${PROD[@]}" up -d ;;
    restart) compose "${PROD[@]}" restart backend worker ;;
    stop) compose "${PROD[@]}" down ;;
    dev-build) ensure_env; ensure_data_dir; compose "${DEV[@]}" up -d --build --renew-anon-volumes ;;
    dev-start) ensure_env; ensure_data_dir; compose "${DEV[@]}" up -d ;;
    dev-restart) compose "${DEV[@]}" restart backend worker ;;
    dev-stop) compose "${DEV[@]}" down ;;
    logs|log) logs "$@" ;;
    status|ps) status ;;
    cli) compose "${PROD[@]}" run --rm --no-deps backend "$@" ;;
    -h|--help|help|"") usage ;;
    *) echo "connecthub.sh: unknown command \"$cmd\"" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
