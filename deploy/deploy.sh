#!/usr/bin/env bash
# Deploys deploy/cleancognito.yaml in one command and writes the app's settings from the stack's
# outputs, so nothing is copied by hand:
#   1. aws cloudformation package  (uploads the AppSync schema and resolver files)
#   2. aws cloudformation deploy   (creates or updates the stack)
#   3. aws cloudformation describe-stacks -> the settings file the app reads
#
# Needs the AWS CLI v2 and credentials that may create IAM roles. docs/aws-deployment.md has the
# parameters and what the stack creates. Run `deploy/deploy.sh --help` for the options.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

usage() {
  cat <<EOF
usage: deploy/deploy.sh [options] [ParameterKey=Value ...]

Packages and deploys deploy/cleancognito.yaml, then writes the app's settings from the stack's
outputs. Parameter overrides (AppHost=…, HostedUiDomainPrefix=…, ExtraCallbackHosts=…,
ContainerImage=…) go to 'aws cloudformation deploy'; on an update the ones you leave out keep
their current values.

options:
  --region REGION            AWS region (default: \$AWS_REGION, then \$AWS_DEFAULT_REGION)
  --stack NAME               stack name (default: cleancognito)
  --artifacts-bucket NAME    S3 bucket for the packaged schema and resolvers
                             (default: cleancognito-artifacts-<account>-<region>, created if missing)
  --settings FILE            where to write the settings (default: src/Web/appsettings.Production.json,
                             which the app reads in the Production environment)
  --print                    print the settings to stdout instead of writing a file
  --settings-only            do not package or deploy: only read an existing stack's outputs
  -h, --help                 this text

example:
  deploy/deploy.sh --region eu-west-1 AppHost=localhost:5001 HostedUiDomainPrefix=example-cleancognito
EOF
}

fail() {
  echo "deploy.sh: $*" >&2
  exit 2
}

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
stack=cleancognito
artifacts=""
settings="$root/src/Web/appsettings.Production.json"
print=false
deploy=true
overrides=()

while [ $# -gt 0 ]; do
  case "$1" in
    --region) [ $# -ge 2 ] || fail "--region needs a value"; region="$2"; shift 2 ;;
    --stack) [ $# -ge 2 ] || fail "--stack needs a value"; stack="$2"; shift 2 ;;
    --artifacts-bucket) [ $# -ge 2 ] || fail "--artifacts-bucket needs a value"; artifacts="$2"; shift 2 ;;
    --settings) [ $# -ge 2 ] || fail "--settings needs a value"; settings="$2"; shift 2 ;;
    --print) print=true; shift ;;
    --settings-only) deploy=false; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; overrides+=("$@"); break ;;
    -*) usage >&2; fail "unknown option $1" ;;
    *=*) overrides+=("$1"); shift ;;
    *) usage >&2; fail "'$1' is neither an option nor ParameterKey=Value" ;;
  esac
done

[ -n "$region" ] || fail "no region: pass --region or set AWS_REGION"
[[ "$stack" =~ ^[A-Za-z][A-Za-z0-9-]{0,127}$ ]] || fail "--stack '$stack' is not a CloudFormation stack name (letters, digits, hyphens; a letter first)"
for override in ${overrides[@]+"${overrides[@]}"}; do
  [[ "$override" =~ ^[A-Za-z0-9]+=.*$ ]] || fail "'$override' is not ParameterKey=Value"
done
if ! $deploy && [ ${#overrides[@]} -gt 0 ]; then
  fail "--settings-only deploys nothing: parameter overrides would be ignored"
fi
command -v aws >/dev/null 2>&1 || fail "the AWS CLI (aws) is not on PATH: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"

if $deploy; then
  if [ -z "$artifacts" ]; then
    account="$(aws sts get-caller-identity --query Account --output text)"
    artifacts="cleancognito-artifacts-$account-$region"
  fi
  if ! aws s3api head-bucket --bucket "$artifacts" --region "$region" >/dev/null 2>&1; then
    echo "deploy.sh: creating the artifacts bucket s3://$artifacts" >&2
    aws s3 mb "s3://$artifacts" --region "$region" >&2
  fi

  packaged="$(mktemp "${TMPDIR:-/tmp}/cleancognito.packaged.XXXXXX")"
  trap 'rm -f "$packaged"' EXIT
  echo "deploy.sh: packaging deploy/cleancognito.yaml into s3://$artifacts" >&2
  aws cloudformation package \
    --region "$region" \
    --template-file "$here/cleancognito.yaml" \
    --s3-bucket "$artifacts" \
    --output-template-file "$packaged" >&2

  echo "deploy.sh: deploying stack $stack in $region" >&2
  deploy_args=(
    cloudformation deploy
    --region "$region"
    --stack-name "$stack"
    --template-file "$packaged"
    --capabilities CAPABILITY_IAM
    --no-fail-on-empty-changeset
  )
  if [ ${#overrides[@]} -gt 0 ]; then
    deploy_args+=(--parameter-overrides "${overrides[@]}")
  fi
  aws "${deploy_args[@]}" >&2
fi

# OutputKey -> the setting it feeds, as Section:Key (the template's output descriptions say the
# same; tests/Deploy.Tests checks that every required setting the outputs name is here).
# CognitoRedirectUrl/CognitoLogoutUrl are left out on purpose: they name AppHost, and the app
# builds the URLs from the request, which is right on every host the client allows.
# (A function, not an associative array: macOS still ships bash 3.2.)
setting_for() {
  case "$1" in
    CognitoRegion) echo Cognito:Region ;;
    CognitoUserPoolId) echo Cognito:UserPoolId ;;
    CognitoClientId) echo Cognito:ClientId ;;
    CognitoDomain) echo Cognito:Domain ;;
    AppSyncEndpoint) echo AppSync:Endpoint ;;
    IdentityPoolId) echo IdentityPool:IdentityPoolId ;;
    AccountId) echo IdentityPool:AccountId ;;
    StorageBucketName) echo Storage:BucketName ;;
    StorageRegion) echo Storage:Region ;;
    NotesTableName) echo Notes:TableName ;;
    *) return 1 ;;
  esac
}
mapped=(CognitoRegion CognitoUserPoolId CognitoClientId CognitoDomain AppSyncEndpoint IdentityPoolId AccountId StorageBucketName StorageRegion NotesTableName)
sections=(Cognito AppSync IdentityPool Storage Notes)

outputs="$(aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
  --query "Stacks[0].Outputs[].[OutputKey,OutputValue]" --output text)"

# "Section:Key<TAB>value" per setting found.
found=""
while IFS=$'\t' read -r key value; do
  if [ -n "$key" ] && setting="$(setting_for "$key")"; then
    found+="$setting"$'\t'"$value"$'\n'
  fi
done <<<"$outputs"

for key in "${mapped[@]}"; do
  grep -q "^$(setting_for "$key")"$'\t' <<<"$found" \
    || fail "stack $stack has no output $key: is it a CleanCognito stack, deployed from this template?"
done

json_string() {
  local text="$1"
  text="${text//\\/\\\\}"
  text="${text//\"/\\\"}"
  printf '"%s"' "$text"
}

render() {
  local section setting value first_section=true first
  printf '{\n'
  for section in "${sections[@]}"; do
    $first_section || printf ',\n'
    first_section=false
    printf '  "%s": {\n' "$section"
    first=true
    while IFS=$'\t' read -r setting value; do
      $first || printf ',\n'
      first=false
      printf '    "%s": %s' "${setting#*:}" "$(json_string "$value")"
    done < <(grep "^$section:" <<<"$found" | sort)
    printf '\n  }'
  done
  printf '\n}\n'
}

if $print; then
  render
  where="the settings above"
else
  mkdir -p "$(dirname "$settings")"
  partial="$(mktemp "$(dirname "$settings")/.settings.XXXXXX")"
  render >"$partial"
  mv "$partial" "$settings"
  echo "deploy.sh: wrote the app's settings to $settings" >&2
  where="$settings"
fi

cat >&2 <<EOF
deploy.sh: done. Run the app in the Production environment with $where (an
appsettings.Production.json next to the app is read by itself; docs/aws-deployment.md, step 4).
With GenerateClientSecret=true also set Cognito__ClientSecret: it is never written to a file
(docs/aws-deployment.md, step 2).
EOF
