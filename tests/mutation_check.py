"""Mutation check for the baselines: plant each unfair variant, the tests must fail on it.

    .venv/bin/python tests/mutation_check.py            # all sabotages
    .venv/bin/python tests/mutation_check.py --list     # just list them

For each sabotage it copies ``aehelpers/`` into a temporary folder, replaces one snippet
of source (the sabotage), and runs ``tests/test_baselines.py`` against that copy. A
sabotage is *caught* when the tests fail. The unmodified copy must pass first. Exit
status 0 means every sabotage was caught; the temporary folder is removed afterwards.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, file inside aehelpers/, original snippet, sabotaged snippet)
SABOTAGES = [
    (
        "tune_denoisers picks the worst setting",
        "baselines.py",
        "best = int(np.argmax(scores))",
        "best = int(np.argmin(scores))",
    ),
    (
        "tune_denoisers picks the first setting",
        "baselines.py",
        "best = int(np.argmax(scores))",
        "best = 0",
    ),
    (
        "TunedDenoiser.apply ignores the tuned value",
        "baselines.py",
        "return np.clip(func(x, self.value), 0.0, 1.0)",
        "return np.clip(func(x), 0.0, 1.0)",
    ),
    (
        "PCA baseline fitted on the test set",
        "baselines.py",
        "pca = PCA(n_components=code_dim, random_state=seed).fit(x_train.reshape(n, d))",
        "pca = PCA(n_components=code_dim, random_state=seed).fit(x_test.reshape(len(x_test), d))",
    ),
    (
        "PCA baseline fitted on train + test",
        "baselines.py",
        "pca = PCA(n_components=code_dim, random_state=seed).fit(x_train.reshape(n, d))",
        "pca = PCA(n_components=code_dim, random_state=seed).fit(np.concatenate([x_train.reshape(n, d), x_test.reshape(len(x_test), d)]))",
    ),
    (
        "per-pixel Bernoulli fitted on the test images",
        "vae.py",
        "p = (x_train.reshape(n, -1).astype(np.float64).sum(axis=0) + 1.0) / (n + 2.0)",
        "p = (x_test.reshape(len(x_test), -1).astype(np.float64).sum(axis=0) + 1.0) / (len(x_test) + 2.0)",
    ),
]


def run_tests(folder):
    """Run the fairness tests against the aehelpers copy in ``folder``; True if they pass."""
    env = dict(os.environ, AEHELPERS_FAST="1", PYTHONPATH=str(folder), PYTHONDONTWRITEBYTECODE="1")
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-x",
        "-p",
        "no:xdist",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(folder),
        str(folder / "tests" / "test_baselines.py"),
    ]
    done = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, timeout=600)
    return done.returncode == 0, done.stdout.strip().splitlines()[-1:] or [done.stderr[-300:]]


def copy_project(folder, sabotage=None):
    shutil.copytree(
        ROOT / "aehelpers", folder / "aehelpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    (folder / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "test_baselines.py", folder / "tests")
    (folder / "conftest.py").write_text('import os\nos.environ["AEHELPERS_FAST"] = "1"\n')
    if sabotage is None:
        return True
    _, filename, old, new = sabotage
    path = folder / "aehelpers" / filename
    source = path.read_text()
    if source.count(old) < 1:
        return False
    path.write_text(source.replace(old, new, 1))
    return True


def main():
    if "--list" in sys.argv:
        for name, filename, _, _ in SABOTAGES:
            print(f"{filename:14s} {name}")
        return 0
    with tempfile.TemporaryDirectory(prefix="aehelpers-mutation-") as tmp:
        clean = Path(tmp) / "clean"
        clean.mkdir()
        copy_project(clean)
        ok, tail = run_tests(clean)
        print(
            f"{'unmodified':55s} {'tests pass' if ok else 'TESTS FAIL'}  {tail[0] if tail else ''}"
        )
        if not ok:
            return 2
        missed = []
        for i, sabotage in enumerate(SABOTAGES):
            folder = Path(tmp) / f"m{i}"
            folder.mkdir()
            if not copy_project(folder, sabotage):
                print(
                    f"{sabotage[0]:55s} NOT APPLIED (snippet not found in {sabotage[1]}: update this script)"
                )
                missed.append(sabotage[0])
                continue
            passed, tail = run_tests(folder)
            print(
                f"{sabotage[0]:55s} {'MISSED: tests pass' if passed else 'caught'}  {tail[0] if tail else ''}"
            )
            if passed:
                missed.append(sabotage[0])
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{len(SABOTAGES) - len(missed)} of {len(SABOTAGES)} sabotages caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
