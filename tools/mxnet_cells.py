#!/usr/bin/env python3
"""Runs a D2L-style Markdown chapter with real MXNet and prints what its cells print, exactly as
``python -m ferrograd run`` does with ferrograd. Used to record the expected outputs of the
chapters under tests/chapters/ (run with a Python that has MXNet 1.9.1; ferrograd is not
imported, only its runner's cell reader, loaded from this checkout by path):

    /tmp/mx/bin/python tools/mxnet_cells.py tests/chapters/NAME.md > tests/fixtures/gluon/chapters/NAME.mxnet.txt

or, for every chapter at once:

    /tmp/mx/bin/python tools/mxnet_cells.py --all tests/chapters tests/fixtures/gluon/chapters
"""

import contextlib
import importlib.util
import os
import sys
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "..", "python", "ferrograd", "runner.py")


def load_runner():
    spec = importlib.util.spec_from_file_location("_ferrograd_runner_standalone", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_with_mxnet(path, out):
    runner = load_runner()
    import tempfile
    import mxnet  # noqa: F401  (the real one; fail early if it is missing)
    namespace = {"__name__": "__main__"}
    cells = runner.iter_cells(path)
    os.chdir(tempfile.mkdtemp(prefix="mxnet_cells_"))  # files a chapter writes go there
    with contextlib.redirect_stdout(out):
        for n, source in enumerate(cells, 1):
            try:
                runner.exec_cell(source, "<%s cell %d>" % (path, n), namespace)
            except Exception:
                sys.stdout.flush()
                traceback.print_exc()
                print("cell %d of %s raised under MXNet" % (n, path), file=sys.stderr)
                return 1
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--all":
        # One fresh process per chapter: MXNet's automatic names (dense0, ...) count per process.
        import subprocess
        src, dst = argv[2], argv[3]
        os.makedirs(dst, exist_ok=True)
        status = 0
        for name in sorted(os.listdir(src)):
            if name.endswith(".md"):
                target = os.path.join(dst, name[:-3] + ".mxnet.txt")
                with open(target, "w", encoding="utf-8") as f:
                    rc = subprocess.call([sys.executable, os.path.abspath(__file__),
                                          os.path.abspath(os.path.join(src, name))], stdout=f)
                print("%s -> %s%s" % (name, target, "" if rc == 0 else " (FAILED)"))
                status |= rc
        return status
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    return run_with_mxnet(argv[1], sys.stdout)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
