#!/usr/bin/env bash
# Static check of the CloudFormation template (there is no AWS account in CI):
# cfn-lint including the informational rules. Exit code 0 = clean.
# Run from anywhere; the Deploy.Tests project runs it as part of `dotnet test`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if command -v cfn-lint >/dev/null 2>&1; then
  lint=(cfn-lint)
elif [ -x "${HOME:-/root}/.pyenv/shims/cfn-lint" ]; then
  lint=("${HOME:-/root}/.pyenv/shims/cfn-lint")
else
  echo "cfn-lint not found: install it with 'pip install cfn-lint'" >&2
  exit 127
fi

"${lint[@]}" --include-checks I -- "$here/cleancognito.yaml"
echo "cfn-lint: deploy/cleancognito.yaml is clean"
