#!/usr/bin/env bash
# Regenerates modules/*.toml from the module repositories' release tags:
#   CHECKOUTS=DIR bash modules/derive.sh
# where DIR holds a git clone of each module repository named OWNER+REPO
# (terraform-aws-modules+terraform-aws-rds, ...). Run from the repository root after
# `cargo build --release`; review the diff of modules/ by hand before committing it.
set -euo pipefail
: "${CHECKOUTS:?set CHECKOUTS to the directory of module repository clones}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BIN=${RAMPART:-target/release/rampart}
OUT=modules
gen() { # mirror tag name github-org/repo versions file [only-modules] [omit-calls]
  local mirror=$CHECKOUTS/$1 tag=$2 name=$3 gh=$4 versions=$5 file=$6 only=${7:-} omit=${8:-}
  local dir=$WORK/$file; rm -rf "$dir"; mkdir -p "$dir"
  git -C "$mirror" archive "$tag" -- . ':!examples' ':!wrappers' ':!test' ':!tests' ':!examples/s3-import-mysql/backup.zip' 2>/dev/null | tar -x -C "$dir" || true
  # hcl-edit 0.10 rejects a newline inside an object `for` expression's value, which
  # Terraform accepts; parenthesising the value (same meaning) lets it parse.
  if [ "$file" = cloudposse-label-null-0.25 ]; then
    python3 - "$dir/main.tf" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
old = """k => local.label_value_case == "none" ? local.normalized_labels[k] :
    local.label_value_case == "title" ? title(lower(local.normalized_labels[k])) :
    local.label_value_case == "upper" ? upper(local.normalized_labels[k]) : lower(local.normalized_labels[k])
  }"""
assert old in s
s = s.replace(old, """k => (local.label_value_case == "none" ? local.normalized_labels[k] :
    local.label_value_case == "title" ? title(lower(local.normalized_labels[k])) :
    local.label_value_case == "upper" ? upper(local.normalized_labels[k]) : lower(local.normalized_labels[k]))
  }""")
open(p, "w").write(s)
PY
  fi
  local commit; commit=$(git -C "$mirror" rev-list -n1 "$tag")
  "$BIN" module-signature "$dir" --name "$name" --source "github.com/$gh" --versions "$versions" \
    --release "${tag#v}" --commit "$commit" --repository "https://github.com/$gh" ${only:+--only-modules "$only"} ${omit:+--omit-calls "$omit"} > "$OUT/$file.toml"
  echo "$file: $(wc -c < "$OUT/$file.toml") bytes, $tag $commit"
}
gen terraform-aws-modules+terraform-aws-rds v7.2.0 terraform-aws-modules/rds/aws terraform-aws-modules/terraform-aws-rds ">= 7.0.0, < 8.0.0" terraform-aws-modules-rds-aws-7
gen terraform-aws-modules+terraform-aws-rds v6.13.1 terraform-aws-modules/rds/aws terraform-aws-modules/terraform-aws-rds ">= 6.0.0, < 7.0.0" terraform-aws-modules-rds-aws-6
gen terraform-aws-modules+terraform-aws-rds-aurora v10.2.0 terraform-aws-modules/rds-aurora/aws terraform-aws-modules/terraform-aws-rds-aurora ">= 10.0.0, < 11.0.0" terraform-aws-modules-rds-aurora-aws-10
gen terraform-aws-modules+terraform-aws-rds-aurora v9.16.1 terraform-aws-modules/rds-aurora/aws terraform-aws-modules/terraform-aws-rds-aurora ">= 9.0.0, < 10.0.0" terraform-aws-modules-rds-aurora-aws-9
gen cloudposse+terraform-aws-rds v1.3.0 cloudposse/rds/aws cloudposse/terraform-aws-rds ">= 1.0.0, < 2.0.0" cloudposse-rds-aws-1 "" dns_host_name
gen cloudposse+terraform-aws-rds-cluster v2.5.0 cloudposse/rds-cluster/aws cloudposse/terraform-aws-rds-cluster ">= 2.0.0, < 3.0.0" cloudposse-rds-cluster-aws-2 "" dns_master,dns_replicas
gen cloudposse+terraform-null-label 0.25.0 cloudposse/label/null cloudposse/terraform-null-label ">= 0.25.0, < 0.26.0" cloudposse-label-null-0.25
gen terraform-aws-modules+terraform-aws-security-group v5.3.1 terraform-aws-modules/security-group/aws terraform-aws-modules/terraform-aws-security-group ">= 5.0.0, < 6.0.0" terraform-aws-modules-security-group-aws-5 postgresql,mysql,mssql,oracle-db,redshift
