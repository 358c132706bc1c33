"""Writes the NN test fixtures. Run from this folder: python3 make_fixtures.py

Needs numpy and safetensors (pip install safetensors). Outputs:
- python_written.safetensors: two F32 tensors and metadata, written by the safetensors
  package, which Pretext's reader must open.
- mlp_reference.json: a 4-5-3 MLP (Linear, ReLU, Linear) with fixed weights on fixed
  inputs, its logits, softmax cross-entropy and every gradient, computed in float64
  with NumPy, for Pretext's golden-value test.
If given a path, it also checks that Python can open a Pretext-written model file:
  python3 make_fixtures.py --check-model path/to/model.safetensors
"""
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import save_file

if len(sys.argv) == 3 and sys.argv[1] == "--check-model":
    with safe_open(sys.argv[2], "np") as f:
        meta = f.metadata()
        names = list(f.keys())
        shapes = {name: f.get_tensor(name).shape for name in names}
    assert meta["pretext.format_version"] == "1", meta
    print("opened", sys.argv[2], "kind", meta["pretext.kind"], "tensors", shapes)
    sys.exit(0)

weights = np.arange(12, dtype=np.float32).reshape(3, 4) / 10 - 0.5
bias = np.array([0.25, -1.5, 3.0], dtype=np.float32)
save_file({"layer.weight": weights, "layer.bias": bias}, "python_written.safetensors",
          metadata={"written_by": "python safetensors", "purpose": "pretext fixture"})

# Golden MLP: W1 (5, 4), b1 (5), W2 (3, 5), b2 (3); x (6, 4); labels (6,)
def grid(rows, cols, a, b):
    return np.array([[np.sin(a * r + b * c + 0.3) for c in range(cols)] for r in range(rows)], dtype=np.float64)

w1 = np.round(grid(5, 4, 0.7, 1.3) * 0.8, 4)
b1 = np.round(np.cos(np.arange(5) * 0.9) * 0.1, 4)
w2 = np.round(grid(3, 5, 1.1, 0.4) * 0.6, 4)
b2 = np.round(np.sin(np.arange(3) * 1.7) * 0.2, 4)
x = np.round(grid(6, 4, 0.5, 2.1) * 1.5, 4)
labels = np.array([0, 2, 1, 1, 0, 2])

h_pre = x @ w1.T + b1
h = np.maximum(h_pre, 0)
logits = h @ w2.T + b2
shifted = logits - logits.max(axis=1, keepdims=True)
p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
loss = -np.log(p[np.arange(6), labels]).mean()
d_logits = p.copy()
d_logits[np.arange(6), labels] -= 1
d_logits /= 6
d_w2 = d_logits.T @ h
d_b2 = d_logits.sum(axis=0)
d_h = d_logits @ w2
d_hpre = d_h * (h_pre > 0)
d_w1 = d_hpre.T @ x
d_b1 = d_hpre.sum(axis=0)
d_x = d_hpre @ w1

reference = {name: value.tolist() for name, value in {
    "w1": w1, "b1": b1, "w2": w2, "b2": b2, "x": x, "logits": logits,
    "d_w1": d_w1, "d_b1": d_b1, "d_w2": d_w2, "d_b2": d_b2, "d_x": d_x}.items()}
reference["labels"] = labels.tolist()
reference["loss"] = float(loss)
with open("mlp_reference.json", "w") as out:
    json.dump(reference, out, indent=1)
print("wrote python_written.safetensors and mlp_reference.json")
