"""The session owns the studio's rules: the three scenarios of issue 12 without Qt."""

from __future__ import annotations

import subprocess
import sys

import torch

from nnstudio.core.network.presets import PRESETS
from nnstudio.core.session import Session


def _fake_weights(session: Session) -> dict[str, torch.Tensor]:
    return session.to_project().model(seed=0).state_dict()


def test_opens_on_the_default_preset() -> None:
    session = Session()
    assert session.spec == PRESETS["spiral-relu"].spec
    assert session.dataset == "spiral"
    assert session.config.dataset == "spiral"
    assert session.problems == ()
    assert not session.history.can_undo


def test_a_result_is_stale_after_a_preset_and_current_after_undo() -> None:
    session = Session()
    session.record_run(session.spec, session.config, _fake_weights(session), {"n": 1})
    assert session.trained_fingerprint == session.fingerprint
    assert session.weights is not None
    session.load_preset("spiral-linear")
    assert session.trained_fingerprint != session.fingerprint, "old result is stale"
    assert session.weights is None, "spiral-relu's weights do not fit spiral-linear"
    assert session.history.undo_name() == "Load preset spiral-linear"
    assert session.undo()
    assert session.trained_fingerprint == session.fingerprint, "undo makes it current"
    assert session.weights is not None
    assert session.runs == [{"n": 1}]


def test_changing_only_the_data_makes_results_stale() -> None:
    session = Session()
    session.record_run(session.spec, session.config, _fake_weights(session))
    session.choose_dataset("circles")  # same input width: the network is unchanged
    assert session.spec.input_shape == (2,)
    assert session.weights is not None, "the weights still fit the network"
    assert session.trained_fingerprint != session.fingerprint, "but not this data"


def test_a_failed_dataset_is_checked_against_nothing(shared_mnist) -> None:
    session = Session()
    session.load_preset("cnn-mnist")
    session.dataset_failed("mnist", "could not download MNIST")
    assert session.problems == ()
    blocker = session.train_blocker()
    assert blocker is not None and blocker.code == "data-failed"
    assert "could not download" in str(blocker)
    session.choose_dataset(str(shared_mnist))  # the folder, inspected (loaded)
    assert session.facts.status == "loaded" and session.facts.num_outputs == 10
    assert session.problems == (), [str(p) for p in session.problems]
    assert session.spec.input_shape == (1, 28, 28)
    assert session.train_blocker() is None


def test_the_previous_dataset_never_judges_the_network() -> None:
    session = Session()  # spiral: 3 classes
    session.load_preset("cnn-mnist")  # 10 outputs
    session.choose_dataset("/no/such/folder/anywhere")
    assert session.facts.status == "failed"
    codes = [p.code for p in session.problems]
    assert "output-width" not in codes and session.problems == ()
    assert session.train_blocker().code == "data-failed"


def test_choosing_a_dataset_is_one_undo_step() -> None:
    session = Session()
    before = (session.spec, session.config)
    session.choose_dataset("digits")
    assert session.spec.input_shape == (1, 8, 8)
    assert session.history.undo_name() == "Use dataset digits"
    session.undo()
    assert (session.spec, session.config) == before
    assert not session.history.can_undo


def test_a_background_load_joins_the_step_that_chose_it() -> None:
    from nnstudio.core.datasets import load_dataset

    session = Session()
    session.choose_dataset("some/folder", inspect=False)  # the window's way
    assert session.facts.status == "loading" and session.problems == ()
    data = load_dataset("moons", seed=0)  # stands in for the folder's data
    session.dataset_loaded(data, name="some/folder")
    assert len(session.history) == 1, "still one step"
    assert session.facts.num_outputs == 2
    assert [p.code for p in session.problems] == ["output-width"]
    session.undo()
    assert session.dataset == "spiral" and session.spec.input_shape == (2,)
    assert session.problems == ()


def test_output_width_fix_lives_in_the_core() -> None:
    session = Session()  # Linear 3 at the end
    session.choose_dataset("moons")  # 2 classes
    (problem,) = session.problems
    assert problem.code == "output-width" and problem.layer == 3
    assert problem.fix is not None and problem.fix.label["en"] == "Set outputs to 2"
    session.apply_fix(problem.fix)
    assert session.problems == ()
    assert session.spec.layers[-1].params["out_features"] == 2
    assert session.history.undo_name() == "Set outputs to 2"
    session.undo()
    assert session.spec.layers[-1].params["out_features"] == 3


def test_a_loss_of_the_other_task_is_swapped_in_the_same_step() -> None:
    session = Session()
    assert session.config.loss == "cross-entropy"
    session.choose_dataset("sincos")
    assert session.config.loss == "mse"
    session.undo()
    assert session.config.loss == "cross-entropy"


def test_train_blocker_follows_the_data_and_the_run() -> None:
    session = Session()
    assert session.train_blocker().code == "no-data"
    assert session.train_blocker(loading=True).code == "loading"
    session.load_data()
    assert session.train_blocker() is None
    assert session.train_blocker(running=True).code == "running"
    session.remove_layer(0)  # Linear 100 gone: ReLU on 2 inputs, Linear 3
    assert session.train_blocker() is None
    session.set_fields(device="cuda:7")
    if not torch.cuda.is_available():
        blocker = session.train_blocker()
        assert blocker.code == "device-absent" and blocker.data["name"] == "cuda:7"


def test_project_round_trip_keeps_weights_current(tmp_path) -> None:
    session = Session()
    session.record_run(session.spec, session.config, _fake_weights(session), {"n": 1})
    path = session.save(tmp_path / "p")
    assert path.suffix == ".nnstudio" and not session.dirty
    other = Session()
    other.load_preset("deep-sigmoid")
    other.open(path)
    assert other.spec == session.spec and other.runs == [{"n": 1}]
    assert other.trained_fingerprint == other.fingerprint, "restored = current"
    assert not other.history.can_undo


def test_listeners_hear_each_change_once_per_step() -> None:
    session = Session()
    heard: list[str] = []
    session.subscribe(heard.append)
    session.load_preset("spiral-linear")
    assert heard.count("state") == 1 and "title" in heard
    heard.clear()
    session.undo()
    assert heard.count("state") == 1


def test_session_imports_with_qt_blocked() -> None:
    code = (
        "import sys\n"
        "for name in ('PySide6', 'shiboken6', 'pyqtgraph'):\n"
        "    sys.modules[name] = None  # importing it now raises ImportError\n"
        "from nnstudio.core.session import Session\n"
        "s = Session(); s.load_preset('cnn-mnist'); s.undo()\n"
        "print(s.spec.input_shape)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=240
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "(2,)"


def test_options_that_change_the_shape_are_known_at_once() -> None:
    session = Session()
    session.choose_dataset("digits", {"upsample": True})
    assert session.spec.input_shape == (1, 28, 28)
    assert session.facts.status == "loaded" and session.data is not None
    assert len(session.history) == 1


def test_saved_weights_carry_their_data_info(tmp_path) -> None:
    from nnstudio.core.project.files import load_project

    session = Session()
    session.load_data()
    session.record_run(session.spec, session.config, _fake_weights(session))
    path = session.save(tmp_path / "p.nnstudio")
    info = load_project(path).data_info
    assert info["class_names"] == list(session.data.class_names)
    assert info["task"] == "classification"
    other = Session()
    other.open(path)  # its data not loaded: the file's data info is kept
    resaved = load_project(other.save(tmp_path / "q.nnstudio")).data_info
    assert resaved == info
