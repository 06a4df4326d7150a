"""Fashion-MNIST from the Debian package dataset-fashion-mnist, and the CNN.

Shared by train.py and infer.py. Images are read straight from the package's
gzip'd IDX files (no copy is committed) and scaled to [0, 1] in float32 with
numpy, so the network's input is bit-identical whatever backend runs torch.
"""
import gzip
import os
import struct

import numpy as np

DATA_DIR = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def _idx(path):
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SystemExit(f"fmnist: cannot read {path}: {e} "
                         "(install it: bash scripts/setup.sh dl)")
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(split, count=None):
    """Images (N, 1, 28, 28) float32 in [0, 1] and labels (N,) int64."""
    prefix = {"train": "train", "test": "t10k"}[split]
    images = _idx(os.path.join(DATA_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    labels = _idx(os.path.join(DATA_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    if count is not None:
        images, labels = images[:count], labels[:count]
    x = (images.astype(np.float32) / np.float32(255.0)).reshape(-1, 1, 28, 28)
    return np.ascontiguousarray(x), labels.astype(np.int64)


def make_model():
    import torch.nn as nn
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 7 * 7, 64), nn.ReLU(),
        nn.Linear(64, 10),
    )
