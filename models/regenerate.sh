#!/usr/bin/env bash
# Regenerates models/ctr.onnx, ctr.int8.onnx, ctr.json and ctr.priors.json from simulated traffic.
# Run from anywhere; writes data/ (git-ignored, ~3.3 GB at the default size, deleted at the end
# unless --keep-data true) and models/.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project src/BidEngine.Training -- all "$@"
