#!/usr/bin/env bash
# What a team checks across branches without migcheck-heads: for the base and
# every branch matching the pattern, list the revision files with `git
# ls-tree`, read each file's `revision` and `down_revision` (one `git cat-file
# --batch` per branch, which reads every file of the list), and print each
# parent that has two or more children across all of them:
#
#   PARENT CHILD CHILD...
#
# sorted. A parent listed here is one that two branches (or a branch and the
# base) both build on, so merging both leaves two heads.
#
#   bench/heads_loop.sh BASE REF_PATTERN [VERSIONS_FOLDER]
#   bench/heads_loop.sh main 'refs/heads/feature/*'
#
# Run at the top of the repository. The bench times it against
# `migcheck-heads --base BASE --refs REF_PATTERN`.
set -euo pipefail
base=$1
pattern=$2
versions=${3:-alembic/versions}

{
    # The base counts too: a branch's revision on a parent the base has
    # moved past gives that parent a second child.
    for ref in "$base" $(git for-each-ref --format='%(refname)' "$pattern"); do
        git ls-tree "$ref" -- "$versions/" |
            awk -F'\t' '$2 ~ /\.py$/ { split($1, f, " "); if (f[2] == "blob") print f[3] }' |
            git cat-file --batch |
            awk '
                # revision = "x", revision: str = "x", and down_revision the
                # same way: None, a string, or a tuple of strings.
                /^revision[ :=]/ {
                    line = $0; sub(/^[^=]*=[ \t]*/, "", line)
                    gsub(/["'"'"' \t]/, "", line); rev = line
                }
                /^down_revision[ :=]/ {
                    line = $0; sub(/^[^=]*=[ \t]*/, "", line)
                    gsub(/["'"'"'() \t]/, "", line)
                    if (line != "None") {
                        n = split(line, downs, ",")
                        for (i = 1; i <= n; i++) if (downs[i] != "") print rev, downs[i]
                    }
                }'
    done
} | sort -u | awk '
    { kids[$2] = kids[$2] " " $1; count[$2]++ }
    END { for (p in count) if (count[p] > 1) print p kids[p] }' | sort
