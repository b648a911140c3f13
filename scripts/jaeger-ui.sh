#!/usr/bin/env bash
# Builds the Jaeger UI (a separate project, jaegertracing/jaeger-ui) into bin/jaeger-ui/ from its
# pinned release, so the Go-built Jaeger can serve it (internal/stack passes
# --set=extensions::jaeger_query::ui::assets_path=bin/jaeger-ui when bin/jaeger-ui/index.html exists).
#
# The source is the vendored archive ../shared/vendor/jaeger-ui-v1.75.0.tar.gz when it exists (checked
# against its sha256), else a shallow git clone of the tag checked against its commit. The build needs
# Node and npm; it runs once per pin: bin/jaeger-ui/.pin records what was built, and a run with the same
# pin does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=v1.75.0
commit=d83cb35c682151485818b0d5bbaead44dddade6a
archive_sha256=892b6354a8a760494fc6fa2396f9fddaa9200133315a42463360386af941e762
archive=${JAEGER_UI_ARCHIVE:-../shared/vendor/jaeger-ui-$tag.tar.gz}
repo=https://github.com/jaegertracing/jaeger-ui
out=bin/jaeger-ui
pin="jaeger-ui $tag $commit"

if [[ -f $out/index.html && "$(cat "$out/.pin" 2>/dev/null)" == "$pin" ]]; then
  echo "# bin/jaeger-ui is up to date ($pin)"
  exit 0
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "the Jaeger UI needs Node.js and npm to build: install them (e.g. apt-get install -y nodejs npm), then run make jaeger-ui" >&2
    exit 1
  fi
done

mkdir -p bin
work=$(mktemp -d "${TMPDIR:-/tmp}/jaeger-ui.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/src

if [[ -f $archive ]]; then
  echo "# jaeger-ui $tag: unpacking the vendored source $archive"
  got=$(sha256sum "$archive" | cut -d' ' -f1)
  if [[ $got != "$archive_sha256" ]]; then
    echo "$archive has sha256 $got, want $archive_sha256: not the pinned source" >&2
    exit 1
  fi
  mkdir -p "$src"
  tar -xzf "$archive" -C "$src" --strip-components=1
else
  echo "# jaeger-ui $tag: cloning $repo (shallow, a few seconds)"
  git clone --quiet --depth 1 --branch "$tag" "$repo" "$src"
  got=$(git -C "$src" rev-parse HEAD)
  if [[ $got != "$commit" ]]; then
    echo "$repo tag $tag is commit $got, want $commit: not the pinned source" >&2
    exit 1
  fi
fi

# The UI's package.json asks for Node >= 24 and its .npmrc sets engine-strict; the build works on
# Node 20, hence --engine-strict=false. --ignore-scripts skips install hooks the build does not need.
echo "# jaeger-ui: npm ci, about 1,400 packages from the npm registry (2-4 minutes)"
(cd "$src" && npm ci --no-audit --no-fund --ignore-scripts --engine-strict=false --loglevel=error)
echo "# jaeger-ui: npm run build, the plexus workspace then the app (1-2 minutes, up to 7 on a busy machine)"
(cd "$src" && npm run build --silent >"$work/build.log" 2>&1) || {
  tail -n 40 "$work/build.log" >&2
  echo "npm run build failed (the last lines of its output are above)" >&2
  exit 1
}

rm -rf "$out"
cp -R "$src/packages/jaeger-ui/build" "$out"
echo "$pin" >"$out/.pin"
echo "# jaeger-ui $tag is in $out ($(du -sh "$out" | cut -f1))"
