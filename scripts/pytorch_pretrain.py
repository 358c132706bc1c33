#!/usr/bin/env python3
"""`pretext pretrain` in PyTorch, end to end: the twin scripts/pretrain-vs-pytorch.py times.

Read the CSV (pandas), standardise every numeric column on all rows (Pretext's default
preprocessing for a numeric table; other columns are refused, to keep the twin exact),
hold out 10% of the rows for validation, then SCARF as Pretrainer runs it: per row a
uniform subset of floor(0.6·d) columns replaced by the same column of random training
rows (the column's empirical marginal); both views through the encoder (3 × Linear 256
and ReLU, then Linear 256, as Pretext builds it) and head (Linear 256, ReLU, Linear 256); InfoNCE with τ = 1
between each row and its own corrupted view (cosine similarity, the other rows' views as
negatives); Adam 1e-3; after each epoch the same loss on fixed corrupted validation
pairs. Writes the encoder's state dict to --output. Prints one line: wall seconds and
training rows/s.

    python pytorch_pretrain.py data.csv --epochs 3 --batch 128 --output encoder.pt
"""
import argparse
import time

start = time.perf_counter()

import numpy as np
import pandas as pd
import torch
from torch import nn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--target", default=None)
    parser.add_argument("--output", required=True)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    generator = np.random.default_rng(arguments.seed)

    frame = pd.read_csv(arguments.data)
    if arguments.target:
        frame = frame.drop(columns=[arguments.target])
    if not all(np.issubdtype(dtype, np.number) for dtype in frame.dtypes):
        raise SystemExit("pytorch_pretrain.py: numeric columns only (the twin of Pretext's numeric preprocessing)")
    values = frame.to_numpy(dtype=np.float32)
    values = (values - values.mean(axis=0)) / np.where(values.std(axis=0) > 0, values.std(axis=0), 1)
    order = generator.permutation(len(values))
    validation_count = int(round(0.1 * len(values)))
    train = torch.from_numpy(values[np.sort(order[validation_count:])])
    validation = torch.from_numpy(values[np.sort(order[:validation_count])])
    rows, features = train.shape
    corrupted_columns = max(1, int(0.6 * features))

    def corrupt(batch: torch.Tensor) -> torch.Tensor:
        chosen = torch.rand(batch.shape[0], features).argsort(dim=1)[:, :corrupted_columns]
        mask = torch.zeros(batch.shape[0], features, dtype=torch.bool).scatter_(1, chosen, True)
        donors = torch.randint(0, rows, (batch.shape[0], features))
        return torch.where(mask, train[donors, torch.arange(features)], batch)

    encoder = nn.Sequential(nn.Linear(features, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                            nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 256))
    head = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 256))
    optimizer = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=1e-3)

    def info_nce(anchors: torch.Tensor, views: torch.Tensor) -> torch.Tensor:
        z = head(encoder(torch.cat([anchors, views])))
        z = nn.functional.normalize(z, dim=1)
        similarity = z[: len(anchors)] @ z[len(anchors):].T   # τ = 1
        return nn.functional.cross_entropy(similarity, torch.arange(len(anchors)))

    validation_views = corrupt(validation)
    for _ in range(arguments.epochs):
        permutation = torch.randperm(rows)
        for begin in range(0, rows, arguments.batch):
            anchors = train[permutation[begin:begin + arguments.batch]]
            if len(anchors) < 2:
                continue
            loss = info_nce(anchors, corrupt(anchors))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            for begin in range(0, len(validation), arguments.batch):
                info_nce(validation[begin:begin + arguments.batch], validation_views[begin:begin + arguments.batch])
    torch.save(encoder.state_dict(), arguments.output)
    seconds = time.perf_counter() - start
    print(f"| PyTorch pretrain | {seconds:.3f} | {rows * arguments.epochs / seconds:.0f} |")


if __name__ == "__main__":
    main()
