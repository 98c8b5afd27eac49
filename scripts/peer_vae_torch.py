#!/usr/bin/env python3
"""The PyTorch reference that chapter 06 (chapters/06-vae.md) quotes: the chapter's VAE trained
the chapter's way in PyTorch, over several seeds.

Same as the chapter:
  - data: Fashion-MNIST from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist,
    or LATENT_FASHION_MNIST_DIR), pixels byte/255;
  - binarization: dynamic for training (each time an image is used, each pixel is drawn as
    Bernoulli(intensity)); the test set binarized once per run, by a generator seeded from the
    run's seed (so the spread over seeds includes that of the test binarization, as it would
    between the chapter and one of these runs);
  - model: encoder 784-400 (ReLU)-[20 means | 20 log-variances], decoder 20-400 (ReLU)-784
    Bernoulli logits, nn.Linear's default initialisation (uniform within ±1/sqrt(fan-in) for
    weights and biases, as the chapter's Dense layers);
  - loss: the negative SGVB estimate of the ELBO with one sample z = mu + sigma * eps per image,
    binary cross-entropy from logits plus the closed-form KL, summed over the minibatch;
  - optimiser: Adam, learning rate 1e-3 (betas 0.9, 0.999, eps 1e-8), minibatches of 128 in a
    fresh random order every epoch (the last, smaller batch kept), 10 epochs;
  - the number reported: the test set's -ELBO per image (one sample of eps per image) after
    epoch 10, in nats.

Not run in CI. Pinned versions (CPU build of torch; Python 3.11):

    pip install "torch==2.13.0+cpu" "numpy==2.4.6"

Run (one thread: the results do not depend on it, and on a busy 2-core machine two OpenMP
threads are many times slower):

    python3 scripts/peer_vae_torch.py --seeds 1 2 3 4 5 --threads 1

It prints one line per seed and epoch, then the mean and sample standard deviation over the
seeds; chapter 06 states them with this script's name, the versions and the seeds. The run
the chapter quotes (torch 2.13.0+cpu, numpy 2.4.6, Python 3.11.7, 1 thread, about 5 s per
epoch on a 2-core x86-64 machine) ended with:

    seeds: 1 2 3 4 5
    test -ELBO after epoch 10: 242.43 242.59 242.44 242.30 242.88
    mean 242.53, sample standard deviation 0.22, range 242.30 to 242.88 nats per image
"""

import argparse
import gzip
import os
import platform
import statistics
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def load(split, directory):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), "rb") as f:
        raw = f.read()
    # IDX: magic (4 bytes), count, rows, cols (big-endian int32), then the bytes.
    n, rows, cols = (int.from_bytes(raw[4 * k : 4 * k + 4], "big") for k in (1, 2, 3))
    pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)
    return torch.from_numpy(pixels.astype(np.float32) / 255.0)


class VAE(nn.Module):
    def __init__(self, d=784, h=400, z=20):
        super().__init__()
        self.encoder_hidden = nn.Linear(d, h)
        self.encoder_gaussian = nn.Linear(h, 2 * z)  # [means | log-variances]
        self.decoder_hidden = nn.Linear(z, h)
        self.decoder_logits = nn.Linear(h, d)
        self.z = z

    def negative_elbo(self, x):
        """Per-example -ELBO (one reparameterised sample) of a binary batch x."""
        g = self.encoder_gaussian(F.relu(self.encoder_hidden(x)))
        mu, log_var = g[:, : self.z], g[:, self.z :]
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        logits = self.decoder_logits(F.relu(self.decoder_hidden(z)))
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=1)
        kl = 0.5 * (torch.exp(log_var) + mu * mu - 1 - log_var).sum(dim=1)
        return bce + kl


def test_negative_elbo(model, test_bits):
    with torch.no_grad():
        return torch.cat([model.negative_elbo(b) for b in test_bits.split(2000)]).mean().item()


def run(seed, train, test, epochs, batch_size):
    # The test set binarized once for this run, by a generator of its own.
    test_bits = torch.bernoulli(test, generator=torch.Generator().manual_seed(10_000 + seed))
    torch.manual_seed(seed)
    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = train.shape[0]
    curve = []
    for epoch in range(1, epochs + 1):
        start = time.time()
        total = 0.0
        for idx in torch.randperm(n).split(batch_size):
            x = torch.bernoulli(train[idx])  # dynamic binarization
            loss = model.negative_elbo(x).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        curve.append(test_negative_elbo(model, test_bits))
        print(
            f"seed {seed} epoch {epoch:2d}: training -ELBO {total / n:7.2f}, "
            f"test -ELBO {curve[-1]:7.2f} nats per image ({time.time() - start:.1f} s)",
            flush=True,
        )
    return curve[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--data", default=os.environ.get("LATENT_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(
        f"torch {torch.__version__}, numpy {np.__version__}, Python {platform.python_version()}, "
        f"{torch.get_num_threads()} thread(s)"
    )
    train, test = load("train", args.data), load("test", args.data)
    finals = [run(s, train, test, args.epochs, args.batch_size) for s in args.seeds]
    print("seeds:", " ".join(str(s) for s in args.seeds))
    print("test -ELBO after epoch %d:" % args.epochs, " ".join(f"{v:.2f}" for v in finals))
    if len(finals) > 1:
        print(
            f"mean {statistics.mean(finals):.2f}, sample standard deviation {statistics.stdev(finals):.2f}, "
            f"range {min(finals):.2f} to {max(finals):.2f} nats per image"
        )


if __name__ == "__main__":
    main()
