"""nnstudio: build, train and look inside neural networks with real PyTorch."""

__version__ = "0.1.0"
