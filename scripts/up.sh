#!/usr/bin/env bash
# First README command: set up what is missing, create the development PKI if needed, start the whole network.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec dotnet src/Broker.Cli/bin/Release/net10.0/broker.dll up "$@"
