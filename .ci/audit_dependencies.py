"""Audit the locked dependencies (uv.lock) for known vulnerabilities; exit 1 if any is found.

pip-audit does the work, reading PyPI's vulnerability data for each pinned version. Where a
network only exposes PyPI's per-project JSON (not the per-version one), pip-audit reports
those pins as "not found"; for them this script reads the per-project JSON instead, whose
vulnerability list is exact for the latest release. A pin older than the latest release
cannot be checked that way: it is listed as unaudited, and fails the run under --strict.

Usage: audit_dependencies.py REQUIREMENTS_WITH_HASHES [--strict]
"""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

VENV_BIN = Path(__file__).resolve().parent.parent / ".venv" / "bin"


def pip_audit(requirements):
    result = subprocess.run(
        [
            VENV_BIN / "pip-audit",
            "--requirement",
            requirements,
            "--require-hashes",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if not result.stdout.strip():
        sys.exit(f"pip-audit failed:\n{result.stderr}")
    return json.loads(result.stdout)["dependencies"]


def pinned_versions(requirements):
    pins = {}
    for line in Path(requirements).read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, _, rest = line.partition("==")
            pins[name.strip().lower()] = rest.split()[0].split(";")[0].rstrip("\\").strip()
    return pins


def project_json_vulnerabilities(name, version):
    """(vulnerabilities, None) when PyPI's project JSON covers this version, else (None, why)."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:
        project = json.load(response)
    latest = project["info"]["version"]
    if version != latest:
        return None, f"{version} is not the latest release ({latest})"
    return project.get("vulnerabilities", []), None


def main():
    requirements, strict = sys.argv[1], "--strict" in sys.argv[2:]
    pins = pinned_versions(requirements)
    found, unaudited, audited = [], [], 0
    for dependency in pip_audit(requirements):
        name = dependency["name"].lower()
        if "skip_reason" not in dependency:
            audited += 1
            found += [(name, pins.get(name), vuln["id"]) for vuln in dependency["vulns"]]
            continue
        vulnerabilities, why_not = project_json_vulnerabilities(name, pins[name])
        if vulnerabilities is None:
            unaudited.append(f"{name}=={pins[name]}: {why_not}")
            continue
        audited += 1
        found += [(name, pins[name], vuln["id"]) for vuln in vulnerabilities]

    print(f"Audited {audited} of {audited + len(unaudited)} locked dependencies.")
    for line in unaudited:
        print(f"  not audited: {line}")
    for name, version, vuln_id in found:
        print(f"  VULNERABLE: {name}=={version}: {vuln_id}")
    if found or (strict and unaudited):
        sys.exit(1)
    print("No known vulnerabilities.")


if __name__ == "__main__":
    main()
