#!/usr/bin/env bash
# Vendor GOV.UK Frontend (and axe-core for the browser tests) from npm into static/.
#
# The compiled CSS is rebuilt from the Sass sources so that it uses Arial instead of
# GDS Transport: the GOV.UK font and the crown logo are reserved for GOV.UK services.
# The output is committed, so a fresh clone needs neither node nor npm.
# Run it again after changing a version below.
set -euo pipefail

GOVUK_FRONTEND_VERSION=5.14.0
AXE_CORE_VERSION=4.11.0
SASS_VERSION=1.83.4

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" "axe-core@$AXE_CORE_VERSION" "sass@$SASS_VERSION"

dist=node_modules/govuk-frontend/dist/govuk
out="$root/static/govuk"
rm -rf "$out"
mkdir -p "$out/images"

cat > build.scss <<'SCSS'
// No GDS Transport: it is licensed for GOV.UK only.
$govuk-font-family: arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/govuk/";
$govuk-global-styles: true;
@import "node_modules/govuk-frontend/dist/govuk/index";
SCSS
npx sass --no-source-map --style=compressed --quiet-deps --silence-deprecation=import --silence-deprecation=global-builtin --silence-deprecation=mixed-decls --silence-deprecation=slash-div \
  build.scss "$out/govuk-frontend.min.css"

# The footer's copyright crest is the Royal Arms, for GOV.UK only, and is not vendored:
# drop its rules, or collectstatic's manifest storage aborts on the missing image.
python3 "$root/scripts/strip_css_rules.py" "$out/govuk-frontend.min.css" govuk-footer__copyright-logo

cp "$dist/govuk-frontend.min.js" "$out/"
# Only the neutral icon; the crown, crest and favicons are GOV.UK's own.
cp "$dist/assets/images/govuk-icon-mask.svg" "$out/images/" 2>/dev/null || true
# The package ships no licence file; it is MIT licensed (package.json "license").
printf 'GOV.UK Frontend %s, (c) Crown copyright, MIT licence.\nSee node_modules/govuk-frontend/package.json and README.md.\n' "$GOVUK_FRONTEND_VERSION" > "$out/LICENSE.txt"
cp node_modules/govuk-frontend/README.md "$out/README.md"
echo "govuk-frontend $GOVUK_FRONTEND_VERSION" > "$out/VERSION"

mkdir -p "$root/tests/browser/vendor"
cp node_modules/axe-core/axe.min.js "$root/tests/browser/vendor/axe.min.js"
cp node_modules/axe-core/LICENSE "$root/tests/browser/vendor/axe-core.LICENSE"
echo "axe-core $AXE_CORE_VERSION" > "$root/tests/browser/vendor/VERSION"

if grep -q "GDS Transport" "$out/govuk-frontend.min.css"; then
  echo "GDS Transport is still referenced in the CSS" >&2
  exit 1
fi
# Every url() in the CSS must name a vendored file (collectstatic checks the same).
for ref in $(grep -o 'url("[^"]*")' "$out/govuk-frontend.min.css" | sed 's/^url("\/static\///; s/")$//' | sort -u); do
  if [ ! -f "$root/static/$ref" ]; then
    echo "The CSS refers to static/$ref, which is not vendored" >&2
    exit 1
  fi
done
echo "Vendored GOV.UK Frontend $GOVUK_FRONTEND_VERSION and axe-core $AXE_CORE_VERSION"
