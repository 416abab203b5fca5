"""`nnstudio train NET --dataset D ...`: train from the command line.

Options not given fall back to the preset's (or project's) settings; bad values exit
2 with one line before any data is loaded.
"""

from __future__ import annotations

import argparse

NUMBER_OPTIONS = ("lr", "momentum", "weight_decay", "l1", "clip_norm")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a network and optionally save it")
    p.add_argument("net", help="a preset name, a spec .json or a .nnstudio project")
    p.add_argument("--dataset", help="dataset name or path (default: the preset's)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", help="learning rate")
    p.add_argument("--optimizer", help="sgd, adam, adamw, adagrad or rmsprop")
    p.add_argument("--momentum")
    p.add_argument("--nesterov", action="store_true", default=None)
    p.add_argument("--weight-decay", help="L2 penalty")
    p.add_argument("--l1", help="L1 penalty on the weights")
    p.add_argument("--clip-norm", help="clip the gradient norm to this (0 = off)")
    p.add_argument("--schedule", help="learning-rate schedule: none, step or cosine")
    p.add_argument("--patience", type=int, help="early stopping after N epochs "
                   "without a better validation loss (0 = off)")
    p.add_argument("--loss", help="cross-entropy, mse, bce-with-logits, l1, huber, half-sse")
    p.add_argument("--init", help="weight initialisation of the network")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--seed", type=int)
    p.add_argument("--probe-every", type=int, help="steps between probes (0 = by time)")
    p.add_argument("--no-probes", action="store_true")
    p.add_argument("--mirror", help="download mirror URL for the dataset")
    p.add_argument("--resume", action="store_true",
                   help="continue from the weights of the project given as NET")
    p.add_argument("--save", metavar="FILE.nnstudio", help="save the trained project")
    p.add_argument("--json", action="store_true", help="last line of stdout: one JSON object")


def run(args: argparse.Namespace) -> int:
    from nnstudio.cli import say

    say("nnstudio: train is not ready yet")
    return 1
