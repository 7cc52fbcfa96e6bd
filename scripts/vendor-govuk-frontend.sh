#!/usr/bin/env bash
# Re-vendors GOV.UK Frontend's precompiled assets into the web crate, where they are
# embedded in the binary (no Node at run time). Pinned: change VERSION to upgrade, run
# this, check the pages, commit. ilacs is a council-facing service, not on GOV.UK, so it
# uses Arial rather than the GDS Transport font (which is not shipped) and the generic
# header rather than the crown.
set -euo pipefail
VERSION=6.6.0
cd "$(dirname "$0")/.."
dest=crates/ilacs-web/assets/govuk-frontend
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@$VERSION" >/dev/null && tar xzf "govuk-frontend-$VERSION.tgz")
dist="$work/package/dist/govuk"
rm -rf "$dest"
mkdir -p "$dest/images"
# Drop the GDS Transport @font-face rules and use Arial wherever the font is named.
sed -e 's/@font-face{font-family:GDS Transport;[^}]*}//g' \
    -e 's/font-family:GDS Transport,arial,sans-serif/font-family:arial,sans-serif/g' \
    -e 's/font-family:GDS Transport/font-family:arial,sans-serif/g' \
    -e 's#/\*\# sourceMappingURL=[^*]*\*/##' \
    "$dist/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
sed -e 's#//\# sourceMappingURL=.*##' "$dist/govuk-frontend.min.js" > "$dest/govuk-frontend.min.js"
cp "$dist/assets/images/favicon.ico" "$dist/assets/images/favicon.svg" "$dest/images/"
node -e "const p=require(process.argv[1]); console.log(p.name+\" \"+p.version+\", licence \"+p.license+\", \"+p.homepage)" "$work/package/package.json" > "$dest/SOURCE.txt"
echo "$VERSION" > "$dest/VERSION"
if grep -q "GDS Transport" "$dest/govuk-frontend.min.css"; then
  echo "GDS Transport is still named in the CSS: update the sed rules for this version" >&2
  exit 1
fi
echo "vendored govuk-frontend $VERSION into $dest"
