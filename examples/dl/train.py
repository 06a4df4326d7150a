#!/usr/bin/python3
"""Train the small Fashion-MNIST CNN with Debian's torch and export it.

    /usr/bin/python3 examples/dl/train.py [--epochs 1] [--threads 2] [--out DIR]

Fixed seed, one epoch by default (about 80 s on 2 cores, about 88 % test
accuracy). Writes DIR/fmnist_cnn.pt (TorchScript) and DIR/fmnist_cnn.onnx
(default DIR: examples/dl/model). The exported models are committed, so demos
and CI need not retrain; this script is kept for reproducibility.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import fmnist  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=os.path.join(HERE, "model"))
    ap.add_argument("--no-onnx", action="store_true", help="skip the ONNX export")
    a = ap.parse_args()
    if a.epochs < 1 or a.batch < 1 or a.threads < 1:
        sys.exit("train.py: --epochs, --batch and --threads must be >= 1")

    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.use_deterministic_algorithms(True)

    xtr, ytr = fmnist.load("train")
    xte, yte = fmnist.load("test")
    xtr, ytr = torch.from_numpy(xtr), torch.from_numpy(ytr)
    model = fmnist.make_model()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    lossf = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(a.seed)

    t0 = time.time()
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        nb = (len(xtr) + a.batch - 1) // a.batch
        for b in range(nb):
            idx = perm[b * a.batch:(b + 1) * a.batch]
            opt.zero_grad()
            loss = lossf(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            if b % 200 == 0 or b == nb - 1:
                print(f"epoch {epoch + 1}/{a.epochs} batch {b + 1}/{nb} "
                      f"loss {loss.item():.4f} ({time.time() - t0:.0f} s)", flush=True)

    model.eval()
    with torch.no_grad():
        pred = model(torch.from_numpy(xte)).argmax(1).numpy()
    acc = float((pred == yte).mean())
    print(f"test accuracy {acc:.4f} ({len(yte)} images), training {time.time() - t0:.0f} s")

    os.makedirs(a.out, exist_ok=True)
    example = torch.from_numpy(xte[:1])
    pt = os.path.join(a.out, "fmnist_cnn.pt")
    with torch.no_grad():
        torch.jit.trace(model, example).save(pt)
    print(f"wrote {pt} ({os.path.getsize(pt)} bytes)")
    if not a.no_onnx:
        onnx = os.path.join(a.out, "fmnist_cnn.onnx")
        torch.onnx.export(model, example, onnx, opset_version=11,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        print(f"wrote {onnx} ({os.path.getsize(onnx)} bytes)")


if __name__ == "__main__":
    main()
