"""Installing the course on Colab changes none of Colab's preinstalled packages.

Colab's own pip keeps an installed package whenever it satisfies a requirement, so "the
install changes nothing" means: the package's whole dependency tree resolves with every
package of Colab's freeze (tests/colab/pip-freeze.txt) pinned to its version. The test builds
the aehelpers wheel, asks pip to resolve it for Colab's Python (3.13, manylinux x86_64) with the
freeze as constraints (`pip install --dry-run --report`), and prints what would be installed.
A requirement that needs another version of a preinstalled package makes pip's resolution
impossible, and the test fails with pip's explanation.

Needs PyPI (metadata only, nothing is installed); `./course test` runs it once (marker
`install`). By hand: `python tests/test_install.py [PROJECT_DIR]` prints the same outcome.
"""

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.tooling  # backend-independent: runs once, in the TensorFlow stage

ROOT = Path(__file__).resolve().parents[1]
FREEZE = ROOT / "tests" / "colab" / "pip-freeze.txt"
COLAB_REQUIREMENTS = ROOT / "requirements-colab.txt"
COLAB_PYTHON = "3.13"  # the freeze's header says so
COLAB_PLATFORMS = (
    "manylinux_2_35_x86_64",
    "manylinux_2_28_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
    "linux_x86_64",
)
NETWORK_ERRORS = (
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Max retries exceeded",
)


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_freeze():
    """{normalised name: version} of Colab's freeze; URL installs (torch @ https://...) map to None."""
    pins = {}
    for line in FREEZE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if " @ " in line:
            pins[_norm(line.split(" @ ")[0])] = None
        else:
            name, _, version = line.partition("==")
            pins[_norm(name)] = version
    return pins


def build_wheel(project, out):
    """Build the project's wheel (no dependencies) into ``out``; return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(project)],
        check=True,
        capture_output=True,
        text=True,
    )
    return next(Path(out).glob("aehelpers-*.whl"))


def _dry_run(wheel, constraints, tmp):
    """pip's dry-run for Colab's Python and platform; returns (ok, [(name, version)], output)."""
    report = tmp / "report.json"
    report.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--report",
        str(report),
        "--only-binary=:all:",
        "--python-version",
        COLAB_PYTHON,
        "--implementation",
        "cp",
        "--abi",
        "cp" + COLAB_PYTHON.replace(".", ""),
        str(wheel),
    ]
    for platform in COLAB_PLATFORMS:
        cmd += ["--platform", platform]
    if constraints:
        path = tmp / "constraints.txt"
        path.write_text("\n".join(f"{n}=={v}" for n, v in constraints.items()) + "\n")
        cmd += ["-c", str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    output = "\n".join(
        line
        for line in (proc.stdout + proc.stderr).splitlines()
        if "is ignored: it is neither a file nor a directory" not in line
    )
    if proc.returncode != 0:
        return False, [], output
    install = [
        (i["metadata"]["name"], i["metadata"]["version"])
        for i in json.loads(report.read_text())["install"]
    ]
    return True, install, output


def resolve_on_colab(project=ROOT):
    """What `pip install aehelpers` would do on Colab.

    pip keeps a preinstalled package when its version satisfies every requirement, and takes
    the newest version of a package Colab lacks. So: (1) resolve with Colab's freeze pinned;
    if that needs no new package, Colab's pip changes nothing. (2) Otherwise find the versions
    pip would pick for the new packages (an unconstrained resolution) and resolve again with
    those pinned too: a conflict there is a preinstalled package Colab's pip would change.

    Returns:
        dict: ok (bool: resolves without changing Colab's packages), install [(name, version)],
        new [(name, version)] packages Colab lacks, pip_output (str).
    """
    freeze = colab_freeze()
    pins = {n: v for n, v in freeze.items() if v}
    with tempfile.TemporaryDirectory(prefix="aehelpers-install-") as tmp:
        tmp = Path(tmp)
        wheel = build_wheel(project, tmp / "wheel")
        ok, install, output = _dry_run(wheel, pins, tmp)
        new = [(n, v) for n, v in install if n != "aehelpers" and _norm(n) not in freeze]
        if ok and new:
            ok_free, free, output = _dry_run(wheel, None, tmp)
            if ok_free:
                picks = {
                    _norm(n): v for n, v in free if n != "aehelpers" and _norm(n) not in freeze
                }
                new = sorted(picks.items())
                ok, install, output = _dry_run(wheel, {**pins, **picks}, tmp)
    return {"ok": ok, "install": install, "new": new, "pip_output": output}


def describe(result):
    """The outcome in a few lines, as the test prints it."""
    if not result["ok"]:
        why = [
            line
            for line in result["pip_output"].splitlines()
            if "conflict" in line.lower() or "depends on" in line or "ERROR" in line
        ]
        new = ", ".join(f"{n} {v}" for n, v in result["new"]) or "none"
        return (
            "Colab dry-run: installing aehelpers would CHANGE Colab's preinstalled packages "
            f"(new packages pip would pick: {new}); pip says:\n  "
            + "\n  ".join(why[-12:] or result["pip_output"].splitlines()[-12:])
        )
    kept = len(result["install"]) - 1 - len(result["new"])
    return (
        f"Colab dry-run: no preinstalled package changes; {kept} dependencies already at "
        f"Colab's version; new packages: "
        + (", ".join(f"{n} {v}" for n, v in result["new"]) or "none")
    )


@pytest.mark.install
def test_installing_on_colab_changes_no_preinstalled_package():
    result = resolve_on_colab()
    if not result["ok"] and any(err in result["pip_output"] for err in NETWORK_ERRORS):
        pytest.skip("PyPI is unreachable: cannot resolve the install against Colab's freeze")
    print("\n" + describe(result))
    assert result["ok"], describe(result)
    assert result["new"] == [], "aehelpers should need nothing Colab lacks: " + describe(result)


def test_package_needs_no_package_just_for_a_data_file():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {_norm(re.split(r"[<>=!~;\[ ]", d)[0]) for d in deps}
    assert "river" not in names and "mlxtend" not in names, names
    freeze = colab_freeze()
    assert names <= set(freeze), f"not on Colab: {names - set(freeze)}"


def test_colab_requirements_pin_colab_versions():
    """requirements-colab.txt (the Colab-versions test environment) agrees with the freeze."""
    freeze = colab_freeze()
    checked = 0
    for line in COLAB_REQUIREMENTS.read_text().splitlines():
        spec = line.split("#")[0].split(";")[0].strip()
        if "==" not in spec:
            continue
        name, version = spec.split("==")
        name = _norm(re.sub(r"\[.*\]", "", name)).replace("tensorflow-cpu", "tensorflow")
        assert freeze.get(name) == version, f"{name}=={version} but Colab has {freeze.get(name)}"
        checked += 1
    assert checked >= 10


def test_python_range_agrees_with_the_course_script():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    script = (ROOT / "course").read_text()
    low, high = re.search(r"SUPPORTED_PYTHON=\"3\.(\d+)-3\.(\d+)\"", script).groups()
    assert requires == f">=3.{low},<3.{int(high) + 1}", (requires, low, high)
    assert int(low) <= int(COLAB_PYTHON.split(".")[1]) <= int(high), (
        "Colab's Python must be supported"
    )


def test_lock_file_pins_a_version_in_every_range_of_requirements_txt():
    """requirements-lock.txt (`./course lock`) agrees with requirements.txt: not stale."""
    from packaging.requirements import Requirement

    lock = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            lock[_norm(name)] = version
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate():
            continue
        assert _norm(req.name) in lock, (
            f"{req.name} is missing from requirements-lock.txt: run ./course lock"
        )
        assert req.specifier.contains(lock[_norm(req.name)], prereleases=True), (
            f"requirements-lock.txt pins {req.name}=={lock[_norm(req.name)]}, outside {req.specifier}: "
            "run ./course lock"
        )


if __name__ == "__main__":
    outcome = resolve_on_colab(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
    print(describe(outcome))
    sys.exit(0 if outcome["ok"] else 1)
