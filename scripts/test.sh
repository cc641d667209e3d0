#!/usr/bin/env bash
# Second README command: set up what is missing and run every test; ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1
results=$(mktemp -d)
dotnet test Broker.sln --no-build --configuration Release --logger "trx" --results-directory "$results" --verbosity quiet -nologo
status=$?
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}ResultSummary/{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}Counters")
    passed += int(counters.get("passed", 0)); failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
if passed == 0: sys.exit(1)
PY
summary=$?
rm -rf "$results"
[ $status -eq 0 ] && [ $summary -eq 0 ]
