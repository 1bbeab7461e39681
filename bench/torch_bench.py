"""PyTorch side of Flint's benchmarks.

Spawned by bench/src/run.ts and driven over stdin/stdout, one JSON object per line, so that its
samples interleave with Flint's on the same machine in the same run:

  -> {"cmd": "info"}          <- {"torch": "1.13.0", "threads": 2, "python": "3.11.2", "blas": "/usr/lib/..."}
  -> {"cmd": "sample", "case": "mlp", "inner": 20, "threads": 2}
                                           <- {"ms": 1.42}   (mean time of one iteration)
  -> {"cmd": "quit"}

The cases do the same math as bench/src/cases.ts; keep the two in step.
"""

import json
import platform
import sys
import time

import torch

THREADS = 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)

B, D_IN, D_HID, D_OUT = 128, 784, 256, 10
LR = 0.01


def make_matmul():
    a = torch.randn(1024, 1024)
    b = torch.randn(1024, 1024)

    def run():
        out = a @ b
        out.numpy()

    return run


def make_elementwise():
    n = 1 << 20
    x, y, z = torch.randn(n), torch.randn(n), torch.randn(n)

    def run():
        out = ((x * y + z).relu() * 0.5).exp()
        out.numpy()

    return run


def make_mlp():
    x = torch.randn(B, D_IN)
    labels = torch.randint(0, D_OUT, (B,))
    onehot = torch.nn.functional.one_hot(labels, D_OUT).float()
    w1 = (torch.randn(D_IN, D_HID) * (1 / D_IN) ** 0.5).requires_grad_()
    b1 = torch.zeros(D_HID, requires_grad=True)
    w2 = (torch.randn(D_HID, D_OUT) * (1 / D_HID) ** 0.5).requires_grad_()
    b2 = torch.zeros(D_OUT, requires_grad=True)
    params = [w1, b1, w2, b2]

    def run():
        h = (x @ w1 + b1).relu()
        logits = h @ w2 + b2
        logp = logits - torch.logsumexp(logits, 1, keepdim=True)
        loss = -(logp * onehot).sum() / B
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad * LR)
                p.grad = None
        return loss.item()

    return run


CASES = {
    "matmul": make_matmul,
    "elementwise": make_elementwise,
    "mlp": make_mlp,
}
made = {}


def blas_library():
    """The BLAS that torch loaded (Debian's torch uses whatever libblas.so.3 points at)."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f}
    for path in sorted(paths):
        if "openblas" in path:
            return path
    for path in sorted(paths):
        if "libblas" in path:
            return path
    return "unknown"


def sample(case, inner, threads):
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    run = made.get(case)
    if run is None:
        run = made[case] = CASES[case]()
    t0 = time.perf_counter()
    for _ in range(inner):
        run()
    return (time.perf_counter() - t0) * 1000 / inner


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        cmd = msg["cmd"]
        if cmd == "info":
            reply = {
                "torch": torch.__version__,
                "threads": THREADS,
                "blas": blas_library(),
                "python": platform.python_version(),
            }
        elif cmd == "sample":
            reply = {
                "ms": sample(msg["case"], int(msg["inner"]), int(msg.get("threads", THREADS)))
            }
        elif cmd == "quit":
            return
        else:
            reply = {"error": f"unknown cmd {cmd!r}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
