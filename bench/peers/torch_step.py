"""Times training steps of one of the notebook's networks in PyTorch, the native peer, and prints one JSON line.

Usage: /usr/bin/python3 bench/peers/torch_step.py fc|cnn BATCHES THREADS BATCH_SIZE
Prints {"msPerBatch", "minMs", "maxMs", "detail", "threads"} like bench/train_step.ts, or {"error"}.
Needs Debian's python3-torch and libopenblas0-pthread (apt); it is the only peer and it is optional.
"""

import json
import os
import statistics
import sys
import time

# Parameter counts of the Keras summaries in the seed notebook; a mismatch means a different network.
PARAMS = {"fc": 3_305_636, "cnn": 691_688}
IMAGE, PIXELS, CLASSES = 56, 56 * 56, 36


def build(name, nn):
    """The notebook's network, layer for layer; softmax lives in the loss, which takes logits."""
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
    torch.manual_seed(1)
    model = build(name, nn)
    count = sum(p.numel() for p in model.parameters())
    if count != PARAMS[name]:
        raise AssertionError(f"{name} has {count} parameters, the notebook's has {PARAMS[name]}")
    model.train()
    # Keras's RMSprop defaults: rho 0.9, epsilon 1e-7.
    optimizer = torch.optim.RMSprop(model.parameters(), lr=0.001, alpha=0.9, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    shape = (batch_size, 1, IMAGE, IMAGE) if name == "cnn" else (batch_size, PIXELS)
    xs = torch.rand(shape)
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
    plural = "s" if threads != 1 else ""
    wait = os.environ["OMP_WAIT_POLICY"].lower()
    detail = f"PyTorch {torch.__version__}, {blas_library(torch)}, {torch.get_num_threads()} thread{plural}, OpenMP wait {wait}"
    return {"msPerBatch": statistics.median(times), "minMs": min(times), "maxMs": max(times), "detail": detail, "threads": threads}


if __name__ == "__main__":
    try:
        result = main(sys.argv[1:])
    except Exception as error:  # reported as data: the bench prints it in its table and goes on
        result = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(result))
