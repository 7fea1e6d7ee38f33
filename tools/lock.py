"""Print requirements-lock.txt: the installed version of everything requirements.txt needs.

Run with the course venv's Python (`./course lock` does): it walks the requirements of
requirements.txt and aehelpers through the installed packages' metadata, so a package that
merely lies in the venv (an old dependency, PyTorch for the backend tests) is left out.
"""

import importlib.metadata as md
import platform
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _wanted(req, extras):
    if req.marker is None:
        return True
    return any(req.marker.evaluate({"extra": e}) for e in (extras or {""}))


def closure(requirements):
    """{normalised name: (name, version)} of the installed packages the requirements pull in."""
    seen, todo = {}, [(r, set()) for r in requirements]
    while todo:
        req, extras = todo.pop()
        if not _wanted(req, extras):
            continue
        key = _norm(req.name)
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            sys.exit(f"{req.name} is required but not installed: run ./course setup first")
        new_extras = set(req.extras) - seen.get(key, (None, None, set()))[2]
        if key in seen and not new_extras:
            continue
        all_extras = seen.get(key, (None, None, set()))[2] | set(req.extras)
        seen[key] = (dist.metadata["Name"], dist.version, all_extras)
        for line in dist.requires or []:
            todo.append((Requirement(line), all_extras))
    return seen


def main():
    lines = [
        line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    reqs = [Requirement(line) for line in lines if line]
    reqs = [r for r in reqs if r.marker is None or r.marker.evaluate()]
    # aehelpers' own requirements, from pyproject.toml (the installed metadata may be older)
    reqs += [
        Requirement(d)
        for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    ]
    pins = closure(reqs)
    print("# The exact versions `./course test` passed with, for a classroom that wants them:")
    print("#   python3 -m venv .venv && .venv/bin/pip install -r requirements-lock.txt -e .")
    print(
        f"# Written by `./course lock` on {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}; elsewhere use requirements.txt (ranges)."
    )
    print("# PyTorch is not in it: see requirements-backends.txt.")
    for _, (name, version, _extras) in sorted(pins.items()):
        print(f"{name}=={version}")


if __name__ == "__main__":
    main()
