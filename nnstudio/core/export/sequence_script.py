"""The sequence parts of an exported script: layer constructors, the module sources
they need, the data code of the generated sequence sets, per-step loss and accuracy.

script.py and data.py call in here, so the sequence additions stay in one place.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from nnstudio.core.network import modules as M
from nnstudio.core.training.sequence_probes import PerStepLoss

Shape = tuple[int, ...]


def _recurrent(cls: str) -> Callable[[Shape, Mapping[str, Any]], str]:
    def code(s: Shape, p: Mapping[str, Any]) -> str:
        extra = (f", nonlinearity={p['nonlinearity']!r}"
                 if p.get("nonlinearity", "tanh") != "tanh" else "")
        return (f"{cls}({s[-1]}, {p['hidden_size']}, {p['num_layers']}, "
                f"batch_first=True{extra})")

    return code


SEQUENCE_LAYER_CODE: dict[str, Callable[[Shape, Mapping[str, Any]], str]] = {
    "Embedding": lambda s, p: f"nn.Embedding({p['num_embeddings']}, "
                              f"{p['embedding_dim']})",
    "RNN": _recurrent("SequenceRNN"),
    "LSTM": _recurrent("SequenceLSTM"),
    "GRU": _recurrent("SequenceGRU"),
    "MultiheadAttention": lambda s, p: f"SelfAttention({s[-1]}, {p['num_heads']}, "
                                       f"causal={bool(p['causal'])})",
    "PositionalEncoding": lambda s, p: f"PositionalEncoding({s[0]}, {s[-1]}, "
                                       f"{p['kind']!r})",
    "TransformerEncoderLayer": lambda s, p: (
        f"nn.TransformerEncoderLayer({s[-1]}, {p['num_heads']}, "
        f"{p['dim_feedforward']}, {p['dropout']!r}, batch_first=True)"),
    "LastStep": lambda s, p: "LastStep()",
    "MeanOverTime": lambda s, p: "MeanOverTime()",
}

# the module sources each kind needs in the script, in dependency order
_SOURCES: dict[str, tuple[Any, ...]] = {
    "RNN": (M.SequenceRNN,),
    "LSTM": (M.SequenceLSTM,),
    "GRU": (M.SequenceGRU,),
    "MultiheadAttention": (M.causal_mask, M.SelfAttention),
    "PositionalEncoding": (M.sinusoidal_table, M.PositionalEncoding),
    "LastStep": (M.LastStep,),
    "MeanOverTime": (M.MeanOverTime,),
}


def sequence_sources(kinds: set[str]) -> list[str]:
    """Source of the custom sequence modules the network uses (each once)."""
    seen: list[Any] = []
    for kind, objects in _SOURCES.items():
        if kind in kinds:
            seen += [o for o in objects if o not in seen]
    return [inspect.getsource(o) for o in seen]


def per_step_loss_source() -> str:
    return inspect.getsource(PerStepLoss)


PER_STEP_PREDICT = '''\
def predict(out: torch.Tensor) -> torch.Tensor:
    """The class at every time step: the largest output."""
    return out.argmax(-1)
'''

# each sample's share of right tokens, summed (accuracy counts tokens)
PER_STEP_QUALITY = "(predict(out) == y).float().mean(dim=1).sum().item()"

SEQUENCES = '''\
def sequences(x, y, seed: int, task: str) -> Data:
    """Split 80/20 as nnstudio does; token ids stay int64, values become float32,
    nothing is standardized."""
    train, val = split_indices(len(x), seed)
    tokens = np.issubdtype(np.asarray(x).dtype, np.integer)
    x = torch.from_numpy(np.ascontiguousarray(x, np.int64 if tokens else np.float32))
    kind = np.int64 if task == "classification" else np.float32
    y = torch.from_numpy(np.ascontiguousarray(y, dtype=kind))
    train, val = torch.from_numpy(train), torch.from_numpy(val)
    return Data(x[train], y[train], x[val], y[val])
'''


def load_code(name: str, make: Callable, kwargs: str, task: str) -> str:
    return f'''\
def load_data(args) -> Data:
    """{name}: the same generator and seed as nnstudio, so the same sequences."""
    rng = np.random.default_rng(DATA_SEED)
    x, y = {make.__name__}(SIZE, NOISE, rng{kwargs})
    return sequences(x, y, DATA_SEED, "{task}")
'''
