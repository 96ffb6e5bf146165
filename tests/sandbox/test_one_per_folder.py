"""One sandbox per data folder: a second `gureum-sandbox serve` on a folder in use is refused
with a message naming the process that holds it, and the running one and its data go on."""

import hashlib
import os
import subprocess

from conftest import BINARY


def digest(folder):
    return {p: hashlib.sha256((folder / p).read_bytes()).hexdigest() for p in ["state.json", "ca.pem"]}


def test_a_second_sandbox_on_the_same_folder_is_refused(sandbox, cloud):
    folder = sandbox.data_dir
    before = digest(folder)
    second = subprocess.run([str(BINARY), "serve", "--data-dir", str(folder), "--port", "0",
                             "--keyring-service", sandbox.service], capture_output=True, text=True, timeout=60)
    assert second.returncode != 0
    assert "in use by" in second.stderr and f"process {sandbox.proc.pid}" in second.stderr, second.stderr
    assert "gureum-sandbox" in second.stderr, "names the other program"
    assert second.stdout == "", "it never said it was ready"
    assert digest(folder) == before, "the folder's files are untouched"
    assert cloud.get("/org/v2/environments").status_code == 200, "the first one still serves"
    assert sandbox.proc.poll() is None
    assert oct(os.stat(folder).st_mode & 0o777) == "0o700", "nobody else may read it"
