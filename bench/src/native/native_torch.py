"""PyTorch side of `bench:native`: the cases of more_torch.py (mlp, lenet, resnet18) plus a
1024^3 matmul, over the same stdin/stdout protocol (see more_torch.py)."""

import os
import sys

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

if __name__ == "__main__":
    more_torch.main()
