#!/usr/bin/env bash
# Installs the Debian packages the project needs that are missing. Idempotent; uses sudo
# only when not root. Extra package names given as arguments are installed too.
set -euo pipefail

packages=(
  pkg-config          # finds the C libraries for SwiftPM's system-library targets
  libcmark-dev        # CommonMark parser (Sources/CCmark)
  libopenblas-dev     # BLAS (Sources/CBLAS)
  liblapacke-dev      # LAPACK's C interface (Sources/CBLAS)
  libssl-dev          # SHA-256 for the result cache (Sources/COpenSSL)
  zlib1g-dev          # gzip for IDX files, PNG encoding (Sources/CZlib)
  nodejs              # runs KaTeX at build time
  katex               # KaTeX for node (Debian names it `katex`), rendered into the pages
  node-highlight.js   # highlight.js: Swift syntax highlighting at build time
  libjs-katex         # KaTeX's stylesheet
  fonts-katex         # KaTeX's fonts, copied into the site
  fonts-dejavu-core   # the site's fonts
  util-linux          # prlimit: caps a chapter's output size
  python3-lunr        # builds the site's search index (lunr.js format) at build time
  libjs-lunr          # lunr.js, which searches that index in the page
  pandoc              # formats citations (--citeproc) against chapters/references.bib
  citation-style-language-styles  # the APA style pandoc formats them with
  dataset-fashion-mnist  # the VAE chapters' data
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# node may come from elsewhere (e.g. NodeSource); accept any working node.
if command -v node >/dev/null 2>&1; then
  kept=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || kept+=("$p"); done
  missing=("${kept[@]+"${kept[@]}"}")
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all system packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
