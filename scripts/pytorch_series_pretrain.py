#!/usr/bin/env python3
"""`pretext series pretrain` (next-step objective) in PyTorch, end to end: the twin that
scripts/pretrain-vs-pytorch.py --series times.

Read the CSV (pandas); every numeric column except the time column is its own univariate
series (`--channels-as-series`). Windows as Pretext's `WindowSet.training` cuts them:
every end e from L to n−1 with stride 1, lookback x[e−L:e], target x[e]; per window
x̃ = (x − μ)/s with μ, σ the lookback's mean and (population) standard deviation and
s = max(σ, 0.1·σ_series, 1e-6), clipped to ±10; inputs (L, 2): the value and an observed
flag (complete series only). Validation: with fewer than 10 series, the last
round(10%) (at least 1) windows in time of each series. The TCN as Pretext builds it:
causal Conv1d(2→64, kernel 3, dilation 1) + ReLU, then for dilations 2, 4, 8 a residual
x + ReLU(causal Conv1d(64→64)), left padding only; last-and-mean time pooling (128);
a Linear(128→1) head; MSE; Adam 1e-3; batch 256; after each epoch the MSE of the held-out
windows. Writes the encoder's state dict to --output. Prints one line: wall seconds and
training windows/s.

    python pytorch_series_pretrain.py data.csv --time date --epochs 3 --output encoder.pt
"""
import argparse
import time

start = time.perf_counter()

import numpy as np
import pandas as pd
import torch
from torch import nn

LOOKBACK, WIDTH, KERNEL, DILATIONS = 24, 64, 3, [1, 2, 4, 8]


def windows(series: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(N, L, 2) inputs and (N,) targets of one complete series, normalised per window."""
    floor = 0.1 * series.std()
    lookbacks = np.lib.stride_tricks.sliding_window_view(series[:-1], LOOKBACK)          # ends L..n−1
    targets = series[LOOKBACK:]
    mean = lookbacks.mean(axis=1, keepdims=True)
    scale = np.maximum(np.maximum(lookbacks.std(axis=1, keepdims=True), floor), 1e-6)
    values = np.clip((lookbacks - mean) / scale, -10, 10)
    inputs = np.stack([values, np.ones_like(values)], axis=2)
    return inputs.astype(np.float32), np.clip((targets - mean[:, 0]) / scale[:, 0], -10, 10).astype(np.float32)


class CausalConvolution(nn.Module):
    def __init__(self, inputs: int, outputs: int, dilation: int):
        super().__init__()
        self.padding = (KERNEL - 1) * dilation
        self.convolution = nn.Conv1d(inputs, outputs, KERNEL, dilation=dilation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:                                     # (B, C, L)
        return self.convolution(nn.functional.pad(x, (self.padding, 0)))


class TCN(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = CausalConvolution(2, WIDTH, DILATIONS[0])
        self.blocks = nn.ModuleList(CausalConvolution(WIDTH, WIDTH, d) for d in DILATIONS[1:])

    def forward(self, x: torch.Tensor) -> torch.Tensor:                                     # (B, L, 2) → (B, 2W)
        h = torch.relu(self.first(x.transpose(1, 2)))
        for block in self.blocks:
            h = h + torch.relu(block(h))
        return torch.cat([h[:, :, -1], h.mean(dim=2)], dim=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--time", required=True)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--output", required=True)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)

    frame = pd.read_csv(arguments.data).drop(columns=[arguments.time])
    train_x, train_y, held_x, held_y = [], [], [], []
    for name in frame.columns:
        series = frame[name].to_numpy(dtype=np.float64)
        if np.isnan(series).any():
            raise SystemExit(f"pytorch_series_pretrain.py: {name} has missing values (complete series only)")
        inputs, targets = windows(series)
        held = max(1, int(round(0.1 * len(targets))))
        train_x.append(inputs[:-held]); train_y.append(targets[:-held])
        held_x.append(inputs[-held:]); held_y.append(targets[-held:])
    x, y = torch.from_numpy(np.concatenate(train_x)), torch.from_numpy(np.concatenate(train_y))
    x_held, y_held = torch.from_numpy(np.concatenate(held_x)), torch.from_numpy(np.concatenate(held_y))

    encoder, head = TCN(), nn.Linear(2 * WIDTH, 1)
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=1e-3)
    for _ in range(arguments.epochs):
        permutation = torch.randperm(len(x))
        for begin in range(0, len(x), arguments.batch):
            batch = permutation[begin:begin + arguments.batch]
            loss = nn.functional.mse_loss(head(encoder(x[batch]))[:, 0], y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            nn.functional.mse_loss(head(encoder(x_held))[:, 0], y_held)
    torch.save(encoder.state_dict(), arguments.output)
    seconds = time.perf_counter() - start
    print(f"| PyTorch series pretrain | {seconds:.3f} | {len(x) * arguments.epochs / seconds:.0f} |")


if __name__ == "__main__":
    main()
