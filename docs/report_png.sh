#!/usr/bin/env bash
# Redraw docs/report.png: the demo learner with twelve weeks of back-dated study, in
# headless Chromium. Run from the checkout after `make demo` (it needs .venv/bin/gapcli).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GAPCLI_TODAY=2026-11-30 GAPCLI_CACHE_DIR="$tmp/cache"
G=(.venv/bin/gapcli --db "$tmp/demo.db")
"${G[@]}" init --demo >/dev/null
for dc in ml-research:20:60 mlops:35:75 multimodal:25:75 ai-safety:25:60 agentic-ai:60:88 \
    fine-tuning:50:80 llm-concepts:70:90 rag:65:90 prompt-engineering:80:95; do
    IFS=: read -r d c t <<< "$dc"
    "${G[@]}" assess "$d" -c "$c" -t "$t" --date 2026-09-07 >/dev/null 2>&1
    # Today the same again (after the demo's own): the line falls only by what was studied.
    "${G[@]}" assess "$d" -c "$c" -t "$t" >/dev/null 2>&1
done
topics=(mm-image-tokenization ag-retrieval-tools as-jailbreaking ops-deployment)
n=0
for i in $(seq 2 84); do
    day=$(date -d "2026-11-30 -$i days" +%F)
    case $(date -d "$day" +%u) in 1|3|6)
        "${G[@]}" log-progress "${topics[n % 4]}" --minutes $(( (n * 37) % 100 + 30 )) \
            --date "$day" >/dev/null 2>&1 || true
        n=$((n + 1));;
    esac
done
"${G[@]}" away add 2026-10-19 2026-10-25 --note conference >/dev/null
"${G[@]}" log-progress ps-distributions --hours 1.5 --done >/dev/null
"${G[@]}" log-progress la-visual --minutes 90 --note "chapters 1-4" >/dev/null
"${G[@]}" export -o "$tmp/report.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/profile" \
    --screenshot="$PWD/docs/report.png" --window-size=860,1420 --hide-scrollbars \
    "file://$tmp/report.html" 2>/dev/null
echo "docs/report.png redrawn"
