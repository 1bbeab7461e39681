"""PyTorch side of `bench:native`: the cases of more_torch.py (mlp, lenet, resnet18) plus a
1024^3 matmul, over the same stdin/stdout protocol (see more_torch.py), plus one command of its
own for CPU-time comparisons on a shared machine:

  -> {"cmd": "cpu", "case": "mlp", "inner": 20, "threads": 1}   <- {"ms": 3.1}  (process CPU ms per step)
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

import torch  # noqa: E402

import more_torch  # noqa: E402


def make_matmul():
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)

    def run():
        return a @ b

    return run


more_torch.CASES["matmul"] = make_matmul


def cpu(case, inner, threads):
    """CPU time of this process (all its threads) per step, after one untimed step."""
    more_torch.sample(case, 1, threads)
    t0 = time.process_time()
    more_torch.sample(case, inner, threads)
    return (time.process_time() - t0) * 1000 / inner


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        try:
            if cmd == "quit":
                return
            if cmd == "info":
                reply = more_torch.info()
            elif cmd == "sample":
                reply = {"ms": more_torch.sample(msg["case"], int(msg["inner"]), int(msg.get("threads", more_torch.THREADS)))}
            elif cmd == "cpu":
                reply = {"ms": cpu(msg["case"], int(msg["inner"]), int(msg.get("threads", more_torch.THREADS)))}
            else:
                reply = {"error": f"unknown cmd {cmd!r}"}
        except Exception as e:  # reported to the runner, which stops with it
            reply = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
