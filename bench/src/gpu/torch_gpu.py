"""PyTorch CUDA side of bench/src/gpu/run.ts: the same cases, median ms per rep, printed as JSON."""
import argparse
import json
import time

import torch
from torch import nn

p = argparse.ArgumentParser()
p.add_argument('--rounds', type=int, default=7)
ROUNDS = p.parse_args().rounds
assert torch.cuda.is_available(), 'no CUDA device'
dev = torch.device('cuda')
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


def timed(step, reps):
    step()
    torch.cuda.synchronize()
    times = []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        for _ in range(reps):
            step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t0) * 1000 / reps)
    return sorted(times)[len(times) // 2]


def train(model, x, y, reps):
    model = model.to(dev)
    x, y = x.to(dev), y.to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    crit = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()

    return timed(step, reps)


torch.manual_seed(0)
out = {'device': f'{torch.cuda.get_device_name(0)}, torch {torch.__version__}, CUDA {torch.version.cuda}, fp32 (TF32 off)'}
a = torch.randn(4096, 4096, device=dev)
b = torch.randn(4096, 4096, device=dev)
out['matmul'] = timed(lambda: a @ b, 10)
mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
out['mlp'] = train(mlp, torch.randn(128, 784), torch.randint(0, 10, (128,)), 20)
cnn = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10),
)
out['cnn'] = train(cnn, torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)), 10)
try:
    import torchvision
    net = torchvision.models.resnet18().to(dev).eval()
    x = torch.randn(32, 3, 224, 224, device=dev)
    with torch.no_grad():
        out['resnet18'] = timed(lambda: net(x), 3)
except ImportError as e:
    out['resnet18_error'] = str(e)
print(json.dumps(out))
