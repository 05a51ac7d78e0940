"""Times training steps of one network in PyTorch, the native peer, and prints one JSON line.

Usage: /usr/bin/python3 bench/peers/torch_step.py fc|cnn|lenet|vgg|mlp BATCHES THREADS BATCH_SIZE
fc and cnn are the notebook's networks; lenet, vgg and mlp are test/support/models/zoo.ts's, with the same optimizers.
Prints {"msPerBatch", "minMs", "maxMs", "detail", "threads"} like bench/train_step.ts, or {"error"}.
Needs Debian's python3-torch and libopenblas0-pthread (apt); it is the only peer and it is optional.
"""

import json
import os
import statistics
import sys
import time

# Parameter counts of the Keras summaries (the seed notebook's, and tfjs-layers' for the zoo's networks, which
# count batch normalization's moving statistics); a mismatch means a different network.
PARAMS = {"fc": 3_305_636, "cnn": 691_688, "lenet": 392_236, "vgg": 478_644, "mlp": 1_775_012}
IMAGE, PIXELS, CLASSES = 56, 56 * 56, 36


def build(name, nn):
    """The named network, layer for layer; softmax lives in the loss, which takes logits."""
    if name in ZOO:
        return ZOO[name](nn)
    if name == "fc":
        return nn.Sequential(
            nn.Dropout(0.2),
            nn.Linear(PIXELS, 700), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(700, 700), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(700, 500), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(500, 500), nn.ReLU(),
            nn.Linear(500, CLASSES),
        )
    return nn.Sequential(
        nn.Dropout(0.2),
        nn.Conv2d(1, 16, 3), nn.ReLU(),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5),
        nn.Conv2d(64, 128, 3), nn.ReLU(), nn.MaxPool2d(3),
        nn.Flatten(),
        nn.Linear(128 * 3 * 3, 500), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(500, CLASSES),
    )


def lenet(nn):
    """5x5 convolutions padded to keep their size ('same'), tanh, 2x2 average pooling, Dense 120 and 84."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
        nn.Conv2d(6, 16, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 14 * 14, 120), nn.Tanh(),
        nn.Linear(120, 84), nn.Tanh(),
        nn.Linear(84, CLASSES),
    )


def vgg(nn):
    """Three blocks of a 3x3 convolution and a 3x3 stride-2 one, each with batch norm and ReLU; then Dense 128."""
    layers, channels = [], 1
    for filters in (16, 32, 64):
        for stride in (1, 2):
            # Keras's batch norm: epsilon 1e-3, moving averages kept with momentum 0.99 (PyTorch's 0.01).
            layers += [nn.Conv2d(channels, filters, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01), nn.ReLU()]
            channels = filters
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, CLASSES))


def mlp(nn):
    """Dense 512 and 256 with ELU, Dense 128 with sigmoid."""
    return nn.Sequential(
        nn.Linear(PIXELS, 512), nn.ELU(),
        nn.Linear(512, 256), nn.ELU(),
        nn.Linear(256, 128), nn.Sigmoid(),
        nn.Linear(128, CLASSES),
    )


ZOO = {"lenet": lenet, "vgg": vgg, "mlp": mlp}


def optimizer_for(name, torch, params):
    """The optimizer each network trains with in the tfjs bench, with tfjs's defaults where PyTorch's differ."""
    if name == "vgg":
        return torch.optim.Adam(params, lr=0.001, eps=1e-7)
    if name == "mlp":
        return torch.optim.SGD(params, lr=0.01, momentum=0.9)
    if name == "lenet":
        return torch.optim.SGD(params, lr=0.05)
    # Keras's RMSprop defaults: rho 0.9, epsilon 1e-7.
    return torch.optim.RMSprop(params, lr=0.001, alpha=0.9, eps=1e-7)


def parameter_count(model):
    """Parameters as Keras counts them: batch norm's moving mean and variance included."""
    moving = sum(b.numel() for key, b in model.named_buffers() if key.endswith(("running_mean", "running_var")))
    return sum(p.numel() for p in model.parameters()) + moving


def blas_library(torch):
    """The BLAS this process really loaded (Debian's torch reaches it through the libblas.so.3 alternative)."""
    torch.ones(64, 64) @ torch.ones(64, 64)
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if "/" in line}
    # Prefer the real library over the libblas.so.3 shim that forwards to it.
    for marker in ("openblas", "mkl", "blis", "blas"):
        found = sorted(os.path.basename(path) for path in paths if marker in os.path.basename(path).lower())
        if found:
            return found[0]
    return "BLAS unknown"


# glibc hands freed blocks above its mmap threshold straight back to the kernel, so each step's large
# tensors (13 MB of FC weight gradients, 47 MB CNN activations) are page-faulted in afresh. On these VMs
# that dominated PyTorch's step: FC 65 ms against 25-27, CNN 800-900 ms against 180-230 (2026-12-04).
# PyTorch's CPU tuning advice is a caching allocator; jemalloc measured worse here (FC 100 ms, CNN 1,550: it
# purges), so the peer keeps glibc and tells it to keep freed memory. Read by glibc at start-up, hence the re-exec.
KEEP_FREED_MEMORY = "glibc.malloc.mmap_threshold=4294967296:glibc.malloc.trim_threshold=4294967296:glibc.malloc.top_pad=268435456"


def keep_freed_memory():
    """Re-runs this process with glibc keeping freed memory, unless the caller chose its own allocator settings."""
    if "GLIBC_TUNABLES" in os.environ or "LD_PRELOAD" in os.environ:
        return
    os.environ["GLIBC_TUNABLES"] = KEEP_FREED_MEMORY
    os.execv(sys.executable, [sys.executable, *sys.argv])


def time_steps(torch, nn, name, batches, batch_size, channels_last):
    """Median, min and max ms of `batches` training steps after two warm-ups, in the given memory layout."""
    torch.manual_seed(1)
    model = build(name, nn)
    count = parameter_count(model)
    if count != PARAMS[name]:
        raise AssertionError(f"{name} has {count} parameters, the Keras summary's has {PARAMS[name]}")
    shape = (batch_size, PIXELS) if name in ("fc", "mlp") else (batch_size, 1, IMAGE, IMAGE)
    xs = torch.rand(shape)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        xs = xs.contiguous(memory_format=torch.channels_last)
    model.train()
    optimizer = optimizer_for(name, torch, model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    ys = torch.randint(0, CLASSES, (batch_size,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        logits = model(xs)
        loss = loss_fn(logits, ys)
        loss.backward()
        optimizer.step()
        # Keras's trainOnBatch returns loss and accuracy as numbers; do the same work.
        return loss.item(), (logits.argmax(1) == ys).float().mean().item()

    times = []
    # Two warm-up steps, as bench/train_step.ts: the first allocates, the second creates optimizer state.
    for i in range(batches + 2):
        start = time.perf_counter()
        step()
        if i >= 2:
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def main(argv):
    name, batches, threads, batch_size = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    if name not in PARAMS:
        raise ValueError(f'unknown model "{name}"')
    # OpenBLAS runs its own thread pool, sized when it loads: cap it before torch pulls it in.
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    os.environ["OMP_NUM_THREADS"] = str(threads)
    # torch's OpenMP threads spin between ops by default and starve OpenBLAS's threads of the 2 cores:
    # measured here, FC at 2 threads took 80-450 ms/batch spinning, 32-48 ms sleeping (1 thread: 45 ms).
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import torch
    from torch import nn

    torch.set_num_threads(threads)
    # Convolutional networks run in both layouts and keep the faster: oneDNN prefers channels_last
    # (NHWC), yet on these machines each layout has won some runs of the CNN.
    layouts = [False] if name in ("fc", "mlp") else [False, True]
    runs = {channels_last: time_steps(torch, nn, name, batches, batch_size, channels_last) for channels_last in layouts}
    channels_last = min(runs, key=lambda layout: runs[layout][0])
    median, fastest, slowest = runs[channels_last]
    plural = "s" if threads != 1 else ""
    wait = os.environ["OMP_WAIT_POLICY"].lower()
    layout = "" if len(layouts) == 1 else (", channels_last (faster than NCHW)" if channels_last else ", NCHW (faster than channels_last)")
    allocator = "glibc keeping freed memory" if os.environ.get("GLIBC_TUNABLES") == KEEP_FREED_MEMORY else "allocator as the caller set it"
    detail = f"PyTorch {torch.__version__}, {blas_library(torch)}, {torch.get_num_threads()} thread{plural}, OpenMP wait {wait}{layout}, {allocator}"
    return {"msPerBatch": median, "minMs": fastest, "maxMs": slowest, "detail": detail, "threads": threads}


if __name__ == "__main__":
    keep_freed_memory()
    try:
        result = main(sys.argv[1:])
    except Exception as error:  # reported as data: the bench prints it in its table and goes on
        result = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(result))
