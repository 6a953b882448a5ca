#!/usr/bin/env bash
# Integration test with the real pre-commit (from PyPI): a repository that uses the hook
# from this checkout rejects a commit of an insecure Terraform file and accepts a hardened
# one. Run by .ci/run; needs python3 with pip, git and cargo.
set -euo pipefail
checkout="$(cd "$(dirname "$0")/../.." && pwd)"
rev="$(git -C "$checkout" rev-parse HEAD)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"

repo="$work/repo"
mkdir -p "$repo/db"
cd "$repo"
git init --quiet
git config user.email ci@example.com
git config user.name ci
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: rampart
        args: [--fail-on, high]
YAML
git add .pre-commit-config.yaml
git commit --quiet -m "use rampart" --no-verify
pre-commit install
# The first install builds rampart from source (pre-commit's `language: rust`): time it,
# so the README's figure stays true.
started=$(date +%s)
pre-commit install-hooks
echo "pre-commit: first install-hooks (builds rampart from source) took $(( $(date +%s) - started )) s"

# Variables live in another file: scanning the staged file alone must still resolve them.
cat > db/variables.tf <<'TF'
variable "encrypted" {
  default = true
}
TF
git add db/variables.tf
git commit --quiet -m "variables" --no-verify

cat > db/main.tf <<'TF'
resource "aws_db_instance" "orders" {
  identifier                          = "orders"
  engine                              = "postgres"
  engine_version                      = "16.3"
  storage_encrypted                   = var.encrypted
  publicly_accessible                 = true
  iam_database_authentication_enabled = true
  deletion_protection                 = true
  backup_retention_period             = 35
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  manage_master_user_password         = true
  username                            = "orders_owner"
}
TF
git add db/main.tf
if git commit --quiet -m "insecure database" > "$work/rejected.log" 2>&1; then
  cat "$work/rejected.log"
  echo "FAIL: the insecure commit was accepted" >&2
  exit 1
fi
grep -q "NET-001" "$work/rejected.log" || { cat "$work/rejected.log"; echo "FAIL: NET-001 not reported" >&2; exit 1; }
if grep -q "ENC-001" "$work/rejected.log"; then
  cat "$work/rejected.log"
  echo "FAIL: var.encrypted from the unstaged variables.tf was not resolved" >&2
  exit 1
fi

sed -i 's/publicly_accessible                 = true/publicly_accessible                 = false/' db/main.tf
git add db/main.tf
if ! git commit --quiet -m "hardened database" > "$work/accepted.log" 2>&1; then
  cat "$work/accepted.log"
  echo "FAIL: the hardened commit was rejected" >&2
  exit 1
fi
# Work in progress beside a staged file (untracked, broken) does not block the commit.
printf 'resource "aws_db_instance" "wip" {\n' > db/wip.tf
printf '# comment\n' >> db/variables.tf
git add db/variables.tf
if ! git commit --quiet -m "touch variables" > "$work/neighbour.log" 2>&1; then
  cat "$work/neighbour.log"
  echo "FAIL: an untracked broken file beside the staged one blocked the commit" >&2
  exit 1
fi
rm db/wip.tf

# `exclude` in rampart.toml holds for the files pre-commit names.
mkdir -p examples
printf 'exclude = ["examples/**"]\n' > rampart.toml
git add rampart.toml
git commit --quiet -m "config" --no-verify
printf 'resource "aws_db_instance" "demo" {\n  storage_encrypted = false\n}\n' > examples/demo.tf
git add examples/demo.tf
if ! git commit --quiet -m "excluded example" > "$work/excluded.log" 2>&1; then
  cat "$work/excluded.log"
  echo "FAIL: a file excluded in rampart.toml blocked the commit" >&2
  exit 1
fi

# A committed file named like an option is a path, never an option: it must not turn the
# hook green or make rampart write into the repository.
printf 'resource "aws_db_instance" "x" {\n  storage_encrypted = false\n}\n' > db/weak.tf
printf 'not an option\n' > "./--write-baseline=injected.json"
git add -- db/weak.tf "--write-baseline=injected.json"
if git commit --quiet -m "option injection" > "$work/injection.log" 2>&1; then
  cat "$work/injection.log"
  echo "FAIL: a file named --write-baseline=... turned the hook green" >&2
  exit 1
fi
grep -q "ENC-001" "$work/injection.log" || { cat "$work/injection.log"; echo "FAIL: ENC-001 not reported" >&2; exit 1; }
if [ -e injected.json ]; then
  echo "FAIL: a file name was obeyed as --write-baseline and wrote injected.json" >&2
  exit 1
fi
# The `rampart-system` hook runs the rampart on PATH and builds nothing.
if [ ! -x "$checkout/target/debug/rampart" ]; then
  (cd "$checkout" && cargo build --locked --quiet)
fi
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $checkout
    rev: $rev
    hooks:
      - id: rampart-system
        args: [--fail-on, high]
YAML
git add .pre-commit-config.yaml
git commit --quiet -m "installed rampart" --no-verify
printf 'resource "aws_db_instance" "open" {\n  publicly_accessible = true\n}\n' > db/open.tf
git add db/open.tf
if PATH="$checkout/target/debug:$PATH" git commit --quiet -m "public database" > "$work/system.log" 2>&1; then
  cat "$work/system.log"
  echo "FAIL: the rampart-system hook accepted a public database" >&2
  exit 1
fi
grep -q "NET-001" "$work/system.log" || { cat "$work/system.log"; echo "FAIL: NET-001 not reported by rampart-system" >&2; exit 1; }

echo "pre-commit: insecure commit rejected (NET-001), hardened commit accepted, broken neighbour and excluded path do not block, file names never read as options, the installed-binary hook blocks too"
