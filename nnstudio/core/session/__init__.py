"""The studio's state and rules, with no Qt: one owner the window and scripts share.

`Session` (session.py) holds the network spec, the training settings, the chosen
dataset and what is known about it, the trained weights with the network and data
they were trained on, the run history and a plain-Python undo history (undo.py);
facts.py has the small frozen types it hands out, text.py its words in both
languages. The window's `ui/document.py` only turns its change notices into Qt
signals.

    from nnstudio.core.session import Session
    session = Session()                 # spiral-relu on spiral
    session.load_preset("cnn-mnist")    # one undo step
    session.choose_dataset("/data/mnist")
    session.problems                    # the stack against the chosen dataset
    session.undo()
"""

from nnstudio.core.session.facts import (
    Blocker,
    DatasetFacts,
    SessionProblem,
    State,
    Trained,
)
from nnstudio.core.session.session import Session

__all__ = ["Blocker", "DatasetFacts", "Session", "SessionProblem", "State", "Trained"]
