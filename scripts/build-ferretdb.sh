#!/usr/bin/env bash
# Builds FerretDB (a MongoDB wire-protocol server) for the test suite into a cache dir outside
# the repository and prints the binary's path.
# Two quirks of building it from the Go module proxy on these machines:
# - `go install pkg@version` asks the proxy for the module's version list, which it refuses;
#   `go mod download` of the exact version does not.
# - FerretDB panics at start unless build/version/version.txt holds its version (its own build
#   tool writes it), so the source is copied out of the read-only module cache and the file added.
set -euo pipefail
VERSION=v1.24.2
CACHE_DIR=${CONNECTHUB_CACHE_DIR:-$HOME/.cache/connecthub}
BIN="$CACHE_DIR/bin/ferretdb-$VERSION"
if [ -x "$BIN" ]; then
  echo "$BIN"; exit 0
fi
mkdir -p "$CACHE_DIR/bin"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
src_dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$src_dir" ] || { echo "could not download FerretDB $VERSION from the Go module proxy" >&2; exit 1; }
cp -r "$src_dir" "$work/src"
chmod -R u+w "$work/src"
echo "$VERSION" > "$work/src/build/version/version.txt"
(cd "$work/src" && go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb >&2)
mv "$work/ferretdb" "$BIN"
echo "$BIN"
