#!/usr/bin/env python3
"""The SCARF-shaped pretraining step of `pretext bench train`, in PyTorch.

Same workload as `TrainBenchmark.scarfStep` (Sources/PretextNN/Benchmark/TrainBenchmark.swift):
a batch of B rows drawn from a 4096-row pool of standard-normal rows; a corrupted view in
which 60% of the features (drawn with replacement) of each row take the value of a random
pool row; both views stacked into one (2B, d) batch through a 4 x 256 ReLU encoder and a
Linear-ReLU-Linear 256 head; InfoNCE with cosine similarity and temperature 1 on the
(B, B) anchor-positive similarities; backward; Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8)
on encoder and head. Prints the same table rows as `pretext bench train`:

    | SCARF step d=20 B=128 | rows/s | GFLOP/s | rows/s at the median step |

GFLOP/s counts the same multiply-adds as Pretext's benchmark (see scarf_step_flops).
Needs PyTorch; not used by the test suite. Run by scripts/bench-vs-pytorch.py.
"""
import argparse
import time

import torch
import torch.nn.functional as F


def scarf_step_flops(features: int, batch: int) -> float:
    """FLOPs of one step as `TrainBenchmark.scarfStepFlops` counts them."""
    widths = [features, 256, 256, 256, 256, 256, 256]
    forward = sum(2.0 * 2 * batch * a * b for a, b in zip(widths, widths[1:]))
    similarity = 2.0 * batch * batch * 256
    return 3 * forward + 3 * similarity


def measure(features: int, batch: int, seconds: float, seed: int = 0) -> tuple[float, float, float]:
    """rows/s over the run, GFLOP/s, and batch rows / the median step's time."""
    torch.manual_seed(seed)
    encoder = torch.nn.Sequential(
        torch.nn.Linear(features, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU())
    head = torch.nn.Sequential(torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256))
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=1e-3,
                                 betas=(0.9, 0.999), eps=1e-8)
    pool_rows = 4096
    pool = torch.randn(pool_rows, features)
    corrupted = max(1, int(0.6 * features))
    row_index = torch.arange(batch).unsqueeze(1).expand(batch, corrupted)

    def step() -> None:
        rows = torch.randint(pool_rows, (batch,))
        anchors = pool[rows]
        positives = anchors.clone()
        columns = torch.randint(features, (batch, corrupted))
        donors = torch.randint(pool_rows, (batch, corrupted))
        positives[row_index, columns] = pool[donors, columns]
        optimizer.zero_grad(set_to_none=True)
        z = head(encoder(torch.cat([anchors, positives])))          # (2B, 256)
        normalized = F.normalize(z, dim=1)
        similarity = normalized[:batch] @ normalized[batch:].T     # (B, B), temperature 1
        loss = F.cross_entropy(similarity, torch.arange(batch))
        loss.backward()
        optimizer.step()

    step()
    step_seconds = []
    start = time.perf_counter()
    while True:
        began = time.perf_counter()
        step()
        finished = time.perf_counter()
        step_seconds.append(finished - began)
        elapsed = finished - start
        if elapsed >= seconds:
            break
    steps = len(step_seconds)
    median_step = sorted(step_seconds)[steps // 2]   # as TrainBenchmark: the upper median
    return steps * batch / elapsed, scarf_step_flops(features, batch) * steps / elapsed / 1e9, batch / median_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--batch", type=int, action="append")
    parser.add_argument("--features", type=int, action="append")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: PyTorch's, all cores)")
    arguments = parser.parse_args()
    if arguments.threads > 0:
        torch.set_num_threads(arguments.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    for batch in arguments.batch or [128, 256, 512]:
        for features in arguments.features or [20, 64, 784]:
            rows_per_second, gigaflops, median_step_rows_per_second = measure(features, batch, arguments.seconds)
            print(f"| SCARF step d={features} B={batch} | {rows_per_second:.0f} | {gigaflops:.0f} | {median_step_rows_per_second:.0f} |")


if __name__ == "__main__":
    main()
