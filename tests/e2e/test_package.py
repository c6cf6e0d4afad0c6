"""Install and package: `cmake --install` puts every file in its standard place, and CPack makes
a .deb whose Depends names the package of each shared library the binary links (and no other),
which suggests libpq5 (loaded only for a database on PostgreSQL), and whose refnet runs, with a
clear word where libpq is missing.

None of it opens a database on a server: the suite is the same on either backend.

Both reuse the build tree REFNET_BIN lives in, so nothing is compiled here. The .deb is made
with the project's own CPack configuration (CPackConfig.cmake of that tree: name, maintainer,
description, dpkg-shlibdeps), packaging a `cmake --install` of the tree; a plain `cpack -G DEB`
would first rebuild every target, unit tests included, through its preinstall step."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

from refnet_e2e import BIN

BUILD_DIR = os.path.dirname(os.path.abspath(BIN))

# Where each file goes under the install prefix.
INSTALLED = [
    "bin/refnet",
    "share/man/man1/refnet.1",
    "share/man/man5/refnet-config.5",
    "share/bash-completion/completions/refnet",
    "share/zsh/vendor-completions/_refnet",
    "share/fish/vendor_completions.d/refnet.fish",
]


def needed_packages(binary):
    """The Debian packages holding the shared libraries the binary loads (ldd's list)."""
    loaded = re.findall(r"^\s*(\S+) => (/\S+)", run(["ldd", binary]).stdout, re.MULTILINE)
    packages = set()
    for soname, path in loaded:
        folder = os.path.realpath(os.path.dirname(path))
        owners = run(["dpkg-query", "--search", f"*/{soname}"]).stdout
        # "libc6:amd64: /lib/x86_64-linux-gnu/libc.so.6": the owner of the file ldd found, not of
        # the same name for another architecture (lib32stdc++6) or under usrmerge's other name.
        names = set()
        for line in owners.splitlines():
            owner, _, file = line.rpartition(": ")
            same_folder = os.path.realpath(os.path.dirname(file)) == folder
            if os.path.basename(file) == soname and same_folder:
                names |= {name.split(":")[0] for name in owner.split(", ")}
        if len(names) != 1:
            raise AssertionError(f"{path}: not one package owns it: {owners!r}")
        packages |= names
    return packages


def depends_names(field):
    """The package names of a Depends field: 'libc6 (>= 2.34), libgcc-s1' gives libc6, libgcc-s1."""
    names = set()
    for relation in field.split(","):
        for alternative in relation.split("|"):
            names.add(alternative.split("(")[0].strip())
    return names


def run(argv, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


@unittest.skipUnless(os.path.exists(os.path.join(BUILD_DIR, "cmake_install.cmake")),
                     f"{BUILD_DIR} is not a CMake build tree")
class PackageTest(unittest.TestCase):

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="refnet-package-")
        self.addCleanup(shutil.rmtree, self.scratch, True)

    def install(self, prefix, destdir=None):
        env = dict(os.environ)
        if destdir:
            env["DESTDIR"] = destdir
        run(["cmake", "--install", BUILD_DIR, "--prefix", prefix], env=env)

    def test_cmake_install_puts_files_in_their_places(self):
        prefix = os.path.join(self.scratch, "prefix")
        self.install(prefix)
        for path in INSTALLED:
            with self.subTest(path=path):
                self.assertTrue(os.path.isfile(os.path.join(prefix, path)), path)
        self.assertTrue(os.access(os.path.join(prefix, "bin/refnet"), os.X_OK))
        version = run([os.path.join(prefix, "bin/refnet"), "--version"]).stdout
        self.assertRegex(version, r"^refnet \d+\.\d+\.\d+ \(SQLite \d+\.\d+")

    def test_destdir_install_keeps_the_prefix(self):
        stage = os.path.join(self.scratch, "stage")
        self.install("/usr", destdir=stage)
        for path in INSTALLED:
            with self.subTest(path=path):
                self.assertTrue(os.path.isfile(os.path.join(stage, "usr", path)), path)

    @unittest.skipUnless(shutil.which("cpack") and shutil.which("dpkg-deb"),
                         "needs cpack and dpkg-deb")
    def test_deb_package(self):
        if not shutil.which("dpkg-shlibdeps"):
            self.skipTest("dpkg-shlibdeps is missing (install dpkg-dev): the package's Depends "
                          "cannot be worked out")
        stage = os.path.join(self.scratch, "stage")
        self.install("/usr", destdir=stage)
        config = os.path.join(self.scratch, "CPackConfig.cmake")
        with open(config, "w") as f:
            f.write(f'include("{os.path.join(BUILD_DIR, "CPackConfig.cmake")}")\n'
                    # Package the staged install instead of installing (and so building) again.
                    'set(CPACK_INSTALL_CMAKE_PROJECTS "")\n'
                    f'set(CPACK_INSTALLED_DIRECTORIES "{stage};.")\n')
        out = os.path.join(self.scratch, "out")
        run(["cpack", "-G", "DEB", "--config", config, "-B", out], cwd=self.scratch)
        debs = [f for f in os.listdir(out) if f.endswith(".deb")]
        self.assertEqual(len(debs), 1, os.listdir(out))
        deb = os.path.join(out, debs[0])

        fields = {name: run(["dpkg-deb", "-f", deb, name]).stdout.strip()
                  for name in ("Package", "Version", "Depends", "Suggests", "Maintainer",
                               "Section", "Description")}
        self.assertEqual(fields["Package"], "refnet")
        self.assertRegex(fields["Version"], r"^\d+\.\d+\.\d+")
        # The presets link SQLite, fmt and the C++ runtime in, a plain configure links them
        # shared: either way Depends names exactly the packages of what the binary loads.
        self.assertEqual(depends_names(fields["Depends"]), needed_packages(BIN))
        self.assertIn("libc6", fields["Depends"])
        # libpq is loaded with dlopen, for a database on PostgreSQL only: dpkg-shlibdeps cannot see
        # it, and a physician's SQLite file needs none of it, so it is suggested, not depended on.
        self.assertNotIn("libpq5", depends_names(fields["Depends"]))
        self.assertIn("libpq5", depends_names(fields["Suggests"]))
        self.assertRegex(fields["Maintainer"], r"^[^<]+<[^@>]+@[^>]+>$")
        self.assertTrue(fields["Section"])
        summary, _, details = fields["Description"].partition("\n")
        self.assertIn("referral network", summary)
        self.assertGreater(len(details.splitlines()), 3, "a long description, not just a line")

        root = os.path.join(self.scratch, "root")
        run(["dpkg-deb", "-x", deb, root])
        for path in INSTALLED:
            with self.subTest(path=path):
                self.assertTrue(os.path.isfile(os.path.join(root, "usr", path)), path)
        version = run([os.path.join(root, "usr/bin/refnet"), "--version"]).stdout
        self.assertRegex(version, r"^refnet \d+\.\d+\.\d+ \(SQLite \d+\.\d+")



class WithoutLibpq(unittest.TestCase):
    """refnet on a machine without libpq5, as the .deb allows (it only suggests libpq5)."""

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="refnet-package-")
        self.addCleanup(shutil.rmtree, self.scratch, True)

    def test_a_file_works_and_a_server_location_names_the_package(self):
        # A libpq.so.5 that cannot be loaded comes first on LD_LIBRARY_PATH: a file works as ever,
        # and a server location says which file would not load and why (where none is installed
        # it says so instead: unit.postgres, as hiding the system's would take root).
        self.assertNotIn("libpq", run(["ldd", BIN]).stdout, "refnet links libpq: Depends, then")
        broken = os.path.join(self.scratch, "lib")
        os.mkdir(broken)
        open(os.path.join(broken, "libpq.so.5"), "wb").close()
        env = {"HOME": self.scratch, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "LANG": "C.UTF-8", "TZ": "UTC", "REFNET_NOW": "2026-11-27T09:00:00Z",
               "LD_LIBRARY_PATH": broken}
        database = os.path.join(self.scratch, "refnet.db")
        for args in (["init"], ["add", "Ann Lee"], ["list", "contacts"]):
            run([BIN, "--db", database, *args], env=env)
        for location in ("postgresql:///refnet", "host=db.example dbname=refnet"):
            with self.subTest(location=location):
                proc = subprocess.run([BIN, "--db", location, "list", "contacts"], env=env,
                                      capture_output=True, text=True, timeout=60)
                self.assertEqual(proc.returncode, 78, proc)
                self.assertEqual(proc.stdout, "")
                self.assertEqual(proc.stderr,
                                 "refnet: a database on PostgreSQL needs libpq, and the one found "
                                 f"cannot be loaded: {broken}/libpq.so.5: file too short\n"
                                 "hint: reinstall it (apt-get install --reinstall libpq5), or "
                                 "check LD_LIBRARY_PATH\n")


if __name__ == "__main__":
    unittest.main()
