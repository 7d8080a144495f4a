"""The package builds offline into an sdist that pip can install: package, typing marker, README, metadata."""

import importlib.util
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


class SdistTest(unittest.TestCase):

    def test_the_sdist_holds_the_package_readme_and_pyproject(self):
        with tempfile.TemporaryDirectory() as work:
            # A copy, so the build's egg-info and dist folders never land in the working tree.
            source = Path(work) / "source"
            shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
                "__pycache__", "build", "dist", "*.egg-info", "tests", ".switchboard-homey.json"))
            out = Path(work) / "dist"
            sdist = self._build(source, out)

            # setuptools before 69 keeps the dashes of the name, later ones write underscores (PEP 625).
            self.assertRegex(sdist.name, r"^switchboard[-_]homey[-_]cloud-0\.1\.0\.tar\.gz$")
            top = sdist.name[:-len(".tar.gz")]
            with tarfile.open(sdist) as archive:
                names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
                pkg_info = archive.extractfile(f"{top}/PKG-INFO").read().decode()
                pyproject = archive.extractfile(f"{top}/pyproject.toml").read().decode()
        for expected in ("pyproject.toml", "README.md", "switchboard_homey/__init__.py", "switchboard_homey/py.typed",
                         "switchboard_homey/connection.py", "switchboard_homey/webhook.py"):
            self.assertIn(expected, names)
        self.assertIn("Name: switchboard-homey-cloud", pkg_info)
        self.assertIn("Version: 0.1.0", pkg_info)
        self.assertIn("License: Apache-2.0", pkg_info)
        # Older setuptools leave Requires-Dist out of an sdist's PKG-INFO; pip reads pyproject.toml anyway.
        self.assertIn('dependencies = ["websockets>=10"]', pyproject)
        self.assertIn("Requires-Python: >=3.9", pkg_info)
        self.assertIn("pip install ./src/clients/python", pkg_info, "the README is the long description")

    @staticmethod
    def _build(source: Path, out: Path) -> Path:
        if importlib.util.find_spec("build") is not None:  # Debian's python3-build
            command = [sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out), str(source)]
        else:  # the same PEP 517 hook that `build --no-isolation` calls, straight from setuptools
            command = [sys.executable, "-c", "import sys, setuptools.build_meta as b; "
                       "print(b.build_sdist(sys.argv[1]))", str(out)]
        result = subprocess.run(command, cwd=source, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
        built = list(out.glob("*.tar.gz"))
        if len(built) != 1:
            raise AssertionError(f"expected one sdist in {out}, found {built}")
        return built[0]
