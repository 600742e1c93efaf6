#!/bin/sh
# Extract every message from builder/ (Babel: pip install babel), merge the messages into
# each language's catalogue (builder/locale/*/LC_MESSAGES/reply-archive.po) and compile it
# to the .mo file the package ships. Run it after changing a message, then fill in the new
# msgstr lines and run it again; tests/test_i18n.py fails while a catalogue is behind.
set -eu
cd "$(dirname "$0")/.."
template=$(mktemp)
trap 'rm -f "$template"' EXIT
pybabel -q extract --no-location --omit-header --sort-output \
    -k _ -k N_ -k ngettext:1,2 -o "$template" builder
pybabel -q update -D reply-archive -i "$template" -d builder/locale --no-fuzzy-matching \
    --ignore-obsolete --width 100
pybabel compile -D reply-archive -d builder/locale --statistics
