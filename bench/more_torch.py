"""PyTorch side of Flint's second benchmark suite (`pnpm --filter @flint/bench bench:more`).

Spawned by bench/src/more/run.ts and driven over stdin/stdout, one JSON object per line, so that
its samples interleave with Flint's on the same machine in the same run:

  -> {"cmd": "info"}       <- {"torch": "1.13.1", "torchvision": "0.14.1", "threads": 2, ...}
  -> {"cmd": "sample", "case": "lenet", "inner": 20, "threads": 2}
                                        <- {"ms": 6.1}   (mean time of one iteration)
  -> {"cmd": "profile", "case": "lenet", "steps": 5, "rows": 12, "threads": 1}
                                        <- {"table": "..."}  (torch.profiler key averages)
  -> {"cmd": "configure", "image_root": "/tmp/..."}   <- {}   (the folder of the image cases)
  -> {"cmd": "image-means"}  <- {"means": [...]}   (first batch, Resize(56), no flip, per channel)
  -> {"cmd": "image-stages"}  <- {"us": [...]}   (microseconds per image of each pipeline stage)
  -> {"cmd": "quit"}

Each case does the same work as its TypeScript twin in bench/src/more/; keep them in step:
lenet.ts (LeNet train step), lstm.ts (LSTM train step), image-dataset.ts + dataloader.ts
(DataLoader epoch), image-pipeline.ts (ImageFolder + transforms epoch), save-load.ts (100 MB state dict), profiler-overhead.ts (MLP step with and
without the profiler), resnet.ts (resnet18 forward).
"""

import json
import os
import platform
import shutil
import sys
import tempfile
import time

import torch
from torch import nn

THREADS = 2
torch.set_num_threads(THREADS)
torch.manual_seed(0)


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def train_step(model, opt, loss_of):
    """One step: zero_grad, forward + loss, backward, SGD step; returns the loss (read back)."""

    def run():
        opt.zero_grad()
        loss = loss_of(model)
        loss.backward()
        opt.step()
        return loss.item()

    return run


def make_lenet():
    model = lenet()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()
    x = torch.randn(64, 1, 28, 28)
    y = torch.randint(0, 10, (64,))
    return train_step(model, opt, lambda m: criterion(m(x), y))


def make_lstm():
    model = nn.LSTM(64, 128, num_layers=2)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(32, 32, 64)  # (seq, batch, input)
    return train_step(model, opt, lambda m: m(x)[0].pow(2).mean())


def make_mlp():
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    x = torch.randn(128, 784)
    y = torch.randint(0, 10, (128,))
    return train_step(model, opt, lambda m: criterion(m(x), y))


def make_mlp_profiled():
    """The MLP step with torch.profiler recording (CPU activities), started once per sample."""
    run = make_mlp()
    from torch.profiler import ProfilerActivity, profile

    def sample(inner):
        with profile(activities=[ProfilerActivity.CPU]):
            t0 = time.perf_counter()
            for _ in range(inner):
                run()
            ms = (time.perf_counter() - t0) * 1000 / inner
        return ms

    return sample


def make_resnet18():
    import torchvision

    model = torchvision.models.resnet18()
    model.eval()
    x = torch.randn(8, 3, 224, 224)

    def run():
        with torch.no_grad():
            return model(x).sum().item()

    return run


# DataLoader: 10,000 28x28 images with values 0..255 (uint8), normalized and randomly flipped
# per sample, as torchvision's ToTensor/Normalize/RandomHorizontalFlip would.
N_IMAGES = 10_000
MEAN, STD = 0.1307, 0.3081


class ImageTensorDataset(torch.utils.data.Dataset):
    def __init__(self, images, labels):
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        x = (self.images[i].float() / 255 - MEAN) / STD
        if torch.rand(1) < 0.5:  # RandomHorizontalFlip(p=0.5)
            x = x.flip(-1)
        return x, self.labels[i]


def make_loader(num_workers):
    g = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (N_IMAGES, 1, 28, 28), dtype=torch.uint8, generator=g)
    labels = torch.randint(0, 10, (N_IMAGES,), generator=g)
    loader = torch.utils.data.DataLoader(
        ImageTensorDataset(images, labels),
        batch_size=64,
        shuffle=True,
        num_workers=num_workers,
        persistent_workers=num_workers > 0,
    )

    def run():
        """One epoch; returns the number of samples seen."""
        n = 0
        for x, y in loader:
            n += int(y.shape[0])
        return n

    return run


# Image pipeline: torchvision's ImageFolder over the PNG/JPEG files that image-pipeline.ts wrote,
# through the same transforms, batch 64, shuffled; one sample is one epoch over the 512 files.
IMAGE_ROOT = None
IMAGE_OUT, IMAGE_BATCH = 56, 64
IMAGE_MEAN, IMAGE_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def configure(image_root):
    global IMAGE_ROOT
    IMAGE_ROOT = image_root


def image_transform(pipeline, flip_p=0.5):
    from torchvision import transforms as T

    geometry = T.RandomResizedCrop(IMAGE_OUT) if pipeline == "crop" else T.Resize(IMAGE_OUT)
    return T.Compose([geometry, T.RandomHorizontalFlip(flip_p), T.ToTensor(), T.Normalize(IMAGE_MEAN, IMAGE_STD)])


def image_folder(pipeline, flip_p=0.5):
    from torchvision.datasets import ImageFolder

    if IMAGE_ROOT is None:
        raise RuntimeError("the image cases need {'cmd': 'configure', 'image_root': ...} first")
    return ImageFolder(IMAGE_ROOT, transform=image_transform(pipeline, flip_p))


def make_image_loader(pipeline, num_workers):
    loader = torch.utils.data.DataLoader(
        image_folder(pipeline),
        batch_size=IMAGE_BATCH,
        shuffle=True,
        num_workers=num_workers,
        persistent_workers=num_workers > 0,
    )

    def run():
        n = 0
        for x, y in loader:
            assert tuple(x.shape[1:]) == (3, IMAGE_OUT, IMAGE_OUT), x.shape
            n += int(y.shape[0])
        return n

    return run


def image_means():
    """Per-channel means of the first batch (ImageFolder's order), Resize(56), no flip."""
    loader = torch.utils.data.DataLoader(image_folder("resize", 0.0), batch_size=IMAGE_BATCH)
    x, _ = next(iter(loader))
    return x.mean(dim=(0, 2, 3)).tolist()


def image_stages(n=IMAGE_BATCH, passes=5):
    """Mean microseconds per image of each stage (as image-pipeline.ts's STAGES), main process,
    1 thread (as in a DataLoader worker), over the first n files, best of `passes` passes."""
    from PIL import Image
    from torchvision import transforms as T

    torch.set_num_threads(1)
    files = [path for path, _ in image_folder("resize").samples[:n]]
    crop, resize = T.RandomResizedCrop(IMAGE_OUT), T.Resize(IMAGE_OUT)
    flip, to_tensor, normalize = T.RandomHorizontalFlip(0.5), T.ToTensor(), T.Normalize(IMAGE_MEAN, IMAGE_STD)
    best = [float("inf")] * 6
    for _ in range(passes):
        spent = [0.0] * 6
        for path in files:
            t = time.perf_counter()
            with open(path, "rb") as f:  # torchvision's pil_loader
                img = Image.open(f).convert("RGB")
            spent[0] += time.perf_counter() - t
            t = time.perf_counter()
            crop(img)
            spent[1] += time.perf_counter() - t
            t = time.perf_counter()
            resized = resize(img)
            spent[2] += time.perf_counter() - t
            t = time.perf_counter()
            flipped = flip(resized)
            spent[3] += time.perf_counter() - t
            t = time.perf_counter()
            x = to_tensor(flipped)
            spent[4] += time.perf_counter() - t
            t = time.perf_counter()
            normalize(x)
            spent[5] += time.perf_counter() - t
        best = [min(b, s * 1e6 / len(files)) for b, s in zip(best, spent)]
    torch.set_num_threads(THREADS)
    return best


# save/load: 25 float32 tensors of 1M elements (100 MiB), in a temporary folder.
SD_TENSORS, SD_NUMEL = 25, 1 << 20
tmp_dir = None


def state_dict_path():
    global tmp_dir
    if tmp_dir is None:
        tmp_dir = tempfile.mkdtemp(prefix="flint-bench-torch-")
    return os.path.join(tmp_dir, "state.pt")


def make_state_dict():
    return {f"layer{i}.weight": torch.randn(SD_NUMEL) for i in range(SD_TENSORS)}


def make_save():
    sd, path = make_state_dict(), state_dict_path()
    return lambda: torch.save(sd, path)


def make_save_fsync():
    """torch.save, then fsync, as flint.save does (it syncs the file before renaming it in place)."""
    sd, path = make_state_dict(), state_dict_path()

    def run():
        with open(path, "wb") as f:
            torch.save(sd, f)
            f.flush()
            os.fsync(f.fileno())

    return run


def make_load():
    path = state_dict_path()
    torch.save(make_state_dict(), path)

    def run():
        sd = torch.load(path)
        return float(sd["layer0.weight"][0])

    return run


CASES = {
    "lenet": make_lenet,
    "lstm": make_lstm,
    "mlp": make_mlp,
    "resnet18": make_resnet18,
    "dl0": lambda: make_loader(0),
    "dl2": lambda: make_loader(2),
    "img-crop-w0": lambda: make_image_loader("crop", 0),
    "img-crop-w2": lambda: make_image_loader("crop", 2),
    "img-resize-w2": lambda: make_image_loader("resize", 2),
    "save": make_save,
    "save-fsync": make_save_fsync,
    "load": make_load,
}
# Cases that time themselves (they take `inner` and return ms per iteration).
SELF_TIMED = {"mlp-profiler": make_mlp_profiled}
made = {}


def sample(case, inner, threads):
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    if case in SELF_TIMED:
        run = made.get(case) or made.setdefault(case, SELF_TIMED[case]())
        return run(inner)
    run = made.get(case) or made.setdefault(case, CASES[case]())
    t0 = time.perf_counter()
    for _ in range(inner):
        run()
    return (time.perf_counter() - t0) * 1000 / inner


def profile_table(case, steps, rows):
    """torch.profiler's key averages over `steps` iterations (after the case was sampled)."""
    from torch.profiler import ProfilerActivity, profile

    run = made.get(case) or made.setdefault(case, CASES[case]())
    run()
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            run()
    return prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows)


def blas_library():
    """The BLAS that torch loaded (Debian's torch uses whatever libblas.so.3 points at)."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f}
    for path in sorted(paths):
        if "openblas" in path or "mkl" in path:
            return path
    for path in sorted(paths):
        if "libblas" in path:
            return path
    return "unknown"


def info():
    try:
        import torchvision

        vision = torchvision.__version__
    except ImportError:
        vision = None
    return {
        "torch": torch.__version__,
        "torchvision": vision,
        "threads": THREADS,
        "blas": blas_library(),
        "python": platform.python_version(),
    }


def main():
    try:
        for line in sys.stdin:
            msg = json.loads(line)
            cmd = msg["cmd"]
            try:
                if cmd == "info":
                    reply = info()
                elif cmd == "sample":
                    threads = int(msg.get("threads", THREADS))
                    reply = {"ms": sample(msg["case"], int(msg["inner"]), threads)}
                elif cmd == "profile":
                    torch.set_num_threads(int(msg.get("threads", THREADS)))
                    reply = {"table": profile_table(msg["case"], int(msg["steps"]), int(msg.get("rows", 12)))}
                elif cmd == "configure":
                    configure(msg["image_root"])
                    reply = {}
                elif cmd == "image-stages":
                    reply = {"us": image_stages()}
                elif cmd == "image-means":
                    reply = {"means": image_means()}
                elif cmd == "quit":
                    return
                else:
                    reply = {"error": f"unknown cmd {cmd!r}"}
            except Exception as e:  # reported to the runner, which stops with it
                reply = {"error": f"{type(e).__name__}: {e}"}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()
    finally:
        made.clear()  # stops the DataLoaders' persistent workers
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
