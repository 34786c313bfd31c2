#!/usr/bin/env bash
# The consumer's view: pack the library, install the tarball into fresh CDK apps in a temporary directory, and
# synthesize each, as a new user would. Three set-ups:
#   classic  - what `cdk init` wrote for years: `npx ts-node --prefer-ts-exts bin/app.ts`, CommonJS, TypeScript 5.9,
#              aws-cdk-lib at the peer floor;
#   current  - what `cdk init app --language typescript` writes with this CLI (`npx tsc && npx tsx …`, NodeNext,
#              TypeScript 7), aws-cdk-lib at the tested version; its tsc also runs under the strictest consumer flags
#              and must report no error in this package's files;
#   js       - a plain JavaScript app (`node app.js`) on the current app's node_modules, and the README's organisation
#              example (`node org.js`), with a finding planted in the StackSet's baseline that must fail `cdk synth`.
# Every synthesis runs with --strict: the library's own output draws no warning.
# Run after `npx projen build` (it packs dist/js/*.tgz when there). Needs only the npm registry; reuses the npm cache.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

CDK_TEST_VERSION=$(node -p 'require("./package.json").devDependencies["aws-cdk-lib"]')
CDK_PEER_FLOOR=$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^[^0-9]*/, "")')
CONSTRUCTS=$(node -p 'require("./package.json").devDependencies["constructs"]')
CDK_NAG=$(node -p 'require("./package.json").devDependencies["cdk-nag"]')
cdk="$repo/node_modules/.bin/cdk"
export AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true npm_config_loglevel=error npm_config_fund=false npm_config_audit=false

step() { printf '\n--- consumer check: %s (%ss)\n' "$*" "$SECONDS"; }
fail() { echo "consumer check FAILED: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/eic-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT

step "pack"
tarball=$(ls dist/js/*.tgz 2>/dev/null | head -1 || true)
if [ -z "$tarball" ]; then
  tarball="$work/$(npm pack --silent --pack-destination "$work")"
fi
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
files=$(tar tzf "$tarball")
echo "$files" | grep -E '\.ts$' | grep -vE '\.d\.ts$' && fail "the tarball ships TypeScript sources"
# bin/ ships one file: the access review's command.
echo "$files" | grep -E '^package/(test|integ|bench|bin|scripts|rosetta)/' | grep -vx 'package/bin/instance-connect-access-report' \
  && fail "the tarball ships tests, integration apps, benchmarks or scripts"
echo "$files" | grep -q '^package/lib/index.js$' || fail "the tarball has no lib/index.js"
echo "$files" | grep -q '^package/.jsii$' || fail "the tarball has no .jsii assembly"
echo "tarball: $(basename "$tarball"), $(echo "$files" | wc -l) files, no TypeScript sources"

synth() { # dir, app command (empty: cdk.json's), expected stack
  local dir=$1 app=$2 stack=$3
  (cd "$dir" && rm -rf cdk.out && "$cdk" synth --strict ${app:+--app "$app"} -q --no-notices >"$work/synth.log" 2>&1) || { cat "$work/synth.log"; fail "cdk synth in $(basename "$dir")"; }
  grep -q '"AWS::EC2::InstanceConnectEndpoint"' "$dir/cdk.out/$stack.template.json" || fail "no endpoint in $(basename "$dir")'s $stack"
  echo "$stack: cdk synth ok ($stack has $(grep -c '"Type": "AWS::' "$dir/cdk.out/$stack.template.json") resources)"
}

step "classic app (ts-node --prefer-ts-exts, aws-cdk-lib $CDK_PEER_FLOOR)"
classic="$work/classic"
cp -r scripts/consumer/classic "$classic"
mkdir -p "$classic/lib" && cp scripts/consumer/stack.ts "$classic/lib/consumer-stack.ts"
(cd "$classic" && npm install --no-package-lock "aws-cdk-lib@$CDK_PEER_FLOOR" "constructs@$CONSTRUCTS" "cdk-nag@$CDK_NAG" "$tarball" >/dev/null)
synth "$classic" "" ConsumerStack

step "the README's complete first app, copied as a user would, in the classic app"
first="$work/first"
mkdir -p "$first/bin" "$first/lib"
cp "$classic/package.json" "$classic/tsconfig.json" "$first/" && ln -s "$classic/node_modules" "$first/node_modules"
node -e '
const fs = require("fs");
const readme = fs.readFileSync(process.argv[1], "utf8");
const blocks = [...readme.matchAll(/<!-- first-app: (\S+) -->\n```[^\n]*\n([\s\S]*?)\n```/g)];
if (blocks.length !== 3) { console.error(`expected 3 first-app blocks in the README, found ${blocks.length}`); process.exit(1); }
for (const [, file, body] of blocks) fs.writeFileSync(`${process.argv[2]}/${file}`, body + "\n");
' README.md "$first"
synth "$first" "" AccessStack

step "the access review: written by cdk synth, and the installed command reads the assembly"
for ext in json md html; do
  [ -s "$first/cdk.out/instance-connect-access-report.$ext" ] || fail "cdk synth wrote no instance-connect-access-report.$ext"
done
review="$classic/node_modules/.bin/instance-connect-access-report"
"$review" report "$first/cdk.out" >"$work/review.md" || { cat "$work/review.md"; fail "instance-connect-access-report report"; }
grep -q 'OpenTunnel' "$work/review.md" || { cat "$work/review.md"; fail "the review names no OpenTunnel grant"; }
# The network side: the first app's allowConnectionsTo(web) is a path on port 22 from the endpoint's group.
grep -qE '^\| AccessStack/[^|]*Endpoint[^|]*\| AccessStack/[^|]*\(AWS::EC2::Instance\) \| [^|]* \| 22 \| security group ' "$work/review.md" ||
  { cat "$work/review.md"; fail "the review shows no network path on port 22 to the first app's instance"; }
"$review" diff "$first/cdk.out" "$first/cdk.out" >"$work/review-diff.md" || { cat "$work/review-diff.md"; fail "a diff of an assembly with itself says access widened"; }
echo "access review: $(grep -c . "$work/review.md") lines; diff of the assembly with itself exits 0"

step "current cdk init app (tsc && tsx, aws-cdk-lib $CDK_TEST_VERSION)"
current="$work/current"
mkdir -p "$current"
(cd "$current" && "$cdk" init app --language typescript --generate-only >/dev/null 2>&1)
# Only what synthesis needs: the template's test runner (jest, swc) is not exercised here.
node -e '
const p = require(process.argv[1]);
for (const d of ["jest", "@swc/core", "@swc/jest"]) delete p.devDependencies[d];
require("fs").writeFileSync(process.argv[1], JSON.stringify(p, null, 2));
' "$current/package.json"
cp scripts/consumer/stack.ts "$current/lib/current-stack.ts"
sed -i -E "s#import \{ CurrentStack \} from '../lib/current-stack';#import { ConsumerStack as CurrentStack } from '../lib/current-stack';#" "$current/bin/current.ts"
rm -rf "$current/test"
(cd "$current" && npm install --no-package-lock >/dev/null && npm install --no-package-lock "aws-cdk-lib@$CDK_TEST_VERSION" "constructs@$CONSTRUCTS" "cdk-nag@$CDK_NAG" "$tarball" >/dev/null)
synth "$current" "" CurrentStack

step "the current app's tsc under the strictest consumer flags"
cp scripts/consumer/current/tsconfig.strict.json "$current/"
strict_output=$(cd "$current" && npx tsc -p tsconfig.strict.json 2>&1 || true)
ours=$(echo "$strict_output" | grep 'cdk-instance-connect-access/' || true)
[ -z "$ours" ] || { echo "$ours"; fail "tsc reports errors in this package's files under strict consumer flags"; }
echo "strict tsc: $(echo "$strict_output" | grep -c 'error TS' || true) errors in other packages' declarations, none in cdk-instance-connect-access"

step "plain JavaScript app"
cp scripts/consumer/current/app.js "$current/app.js"
synth "$current" "node app.js" ConsumerJs

step "the README's organisation example under the real CLI, with --strict"
cp scripts/consumer/current/org.js "$current/org.js"
(cd "$current" && rm -rf cdk.out && "$cdk" synth --strict --app "node org.js" -q --no-notices >"$work/org.log" 2>&1) || { cat "$work/org.log"; fail "cdk synth --strict of the organisation example"; }
grep -q '"AWS::CloudFormation::StackSet"' "$current/cdk.out/ConsumerOrg.template.json" || fail "no StackSet in ConsumerOrg"
grep -q 'AWS::EC2::InstanceConnectEndpoint' "$current/cdk.out/ConsumerOrg.template.json" || fail "the StackSet carries no baseline template"
grep -q 'InstanceConnectBaseline' "$current/cdk.out/manifest.json" && fail "the baseline is an artifact of the app, which cdk deploy would deploy"
echo "ConsumerOrg and ConsumerSecurity: cdk synth --strict ok; the StackSet carries the baseline inline, which is no artifact of the app"

step "a finding planted in the baseline fails cdk synth under the real CLI"
if (cd "$current" && PLANT=1 "$cdk" synth --app "node org.js" -q --no-notices >"$work/planted.log" 2>&1); then
  cat "$work/planted.log"; fail "cdk synth passed with a finding planted in the baseline"
fi
grep -q 'AwsSolutions-S1' "$work/planted.log" || { cat "$work/planted.log"; fail "the planted finding is not reported"; }
report=$(grep -o 'cdk.out/[^ ]*baseline.out/validation-report.json' "$work/planted.log" | head -1)
[ -n "$report" ] && [ -f "$current/$report" ] || { cat "$work/planted.log"; fail "the error names no baseline report that exists in cdk.out"; }
echo "planted finding: cdk synth failed with AwsSolutions-S1, and $report exists"

step "done"
