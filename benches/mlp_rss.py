#!/usr/bin/env python3
"""Peak memory of the MLP training step (compare.py's workload e), one fresh process per
implementation, so that no library's memory counts against another.

For each of numpy, torch (when importable) and ferrograd it reports, in MiB:
  after setup   resident memory once the library is imported and the data and parameters exist
  peak          the process's peak resident memory (ru_maxrss) after the training steps
  step peak     peak - after setup: what the training steps themselves needed at their worst
  growth        resident memory after the last step - after the first: a leak shows here
"step peak" is the number to compare between libraries; "peak" includes each library's code
(PyTorch's shared libraries alone are hundreds of MiB).

Usage:
  python benches/mlp_rss.py             # 100 steps each
  python benches/mlp_rss.py --steps 300
"""

import argparse
import json
import os
import resource
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def rss_mib():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(impl_name, steps):
    sys.path.insert(0, HERE)
    import compare

    impls = {"numpy": compare.NumpyImpl, "torch": compare.TorchImpl,
             "ferrograd": compare.FerrogradImpl}
    impl = impls[impl_name](argparse.Namespace())
    run, _prepare = impl.setup_e(compare.make_data("e"))
    after_setup = rss_mib()
    run()
    after_first = rss_mib()
    for _ in range(steps - 1):
        run()
    print(json.dumps({
        "impl": impl_name,
        "after_setup": after_setup,
        "peak": peak_mib(),
        "step_peak": peak_mib() - after_setup,
        "growth": rss_mib() - after_first,
    }))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        child(args.child, args.steps)
        return
    rows = []
    for name in ("numpy", "torch", "ferrograd"):
        out = subprocess.run([sys.executable, __file__, "--child", name, "--steps", str(args.steps)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            last = (out.stderr.strip().splitlines() or ["?"])[-1]
            print("# %s skipped: %s" % (name, last), file=sys.stderr)
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print("MLP step 784-512-512-10, batch 256, %d steps; MiB" % args.steps)
    print("%-10s %12s %10s %10s %10s" % ("impl", "after setup", "peak", "step peak", "growth"))
    for r in rows:
        print("%-10s %12.1f %10.1f %10.1f %10.1f"
              % (r["impl"], r["after_setup"], r["peak"], r["step_peak"], r["growth"]))


if __name__ == "__main__":
    main()
