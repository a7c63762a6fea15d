#!/bin/sh
# The validator's key tables (src/validate/*.c) against data/brief.schema.json:
# one case per key table.  Ends with "N passed, M failed".
PY=${PYTHON:-/usr/bin/python3}
exec "$PY" "$(dirname "$0")/check_keys.py" "$(dirname "$0")/../.."
