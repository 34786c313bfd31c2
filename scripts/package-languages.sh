#!/usr/bin/env bash
# Generates the Python, Java, .NET and Go bindings from the jsii assembly, and builds the Python wheel from them.
# Only the npm registry is reachable where CI runs, so nothing is compiled against Maven, NuGet or Go modules, and
# the wheel is built with the machine's own setuptools and wheel (no build isolation, no dependencies fetched).
set -euo pipefail
cd "$(dirname "$0")/.."

out=dist/languages
rm -rf "$out" dist/python
jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir "$out"
# Each language's README in its own terms, and the Python one checked.
node scripts/language-readmes.cjs "$out"

# A Python with setuptools and wheel: the one on PATH, else the system one (Debian's python3-setuptools/-wheel).
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import setuptools, wheel' 2>/dev/null; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  if [ -n "${CI:-}" ]; then
    echo "package-languages: no python3 with setuptools and wheel; CI must build the wheel" >&2
    exit 1
  fi
  echo "package-languages: no python3 with setuptools and wheel here; skipped the wheel (the code is in $out/python)" >&2
  exit 0
fi
"$python" -m pip wheel --quiet --no-build-isolation --no-deps --wheel-dir dist/python "$out/python"
wheel=$(ls dist/python/*.whl)

# The wheel carries the module and the assembly it loads at import time.
"$python" - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for required in ('cdk_instance_connect_access/__init__.py', 'cdk_instance_connect_access/py.typed'):
    assert required in names, f'{required} missing from {sys.argv[1]}'
assert any(n.startswith('cdk_instance_connect_access/_jsii/') and n.endswith('.jsii.tgz') for n in names), 'assembly missing'
print(f'package-languages: {sys.argv[1]} ({len(names)} files)')
PY
"$python" -m py_compile "$out/python/src/cdk_instance_connect_access/__init__.py"
ls -d "$out"/*/
