"""Checkpoints load with weights_only=True and the allow-list only."""
import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from stars_mmaction.engine.checkpoint import (ALLOWED_GLOBALS,
                                              UnsafeCheckpointError,
                                              set_trusted_checkpoints,
                                              torch_load_safely,
                                              safe_load, unsafe_globals)


class Payload:
    """Unpickling it calls ``print``: a stand-in for arbitrary code."""

    def __reduce__(self):
        return (print, ('payload ran', ))


@pytest.fixture(autouse=True)
def _trust_nothing():
    set_trusted_checkpoints([])
    yield
    set_trusted_checkpoints([])


def mmengine_like(path):
    torch.save(
        dict(state_dict={'w': torch.ones(2)},
             meta=dict(seed=np.int64(3), lr=np.float64(0.5),
                       shape=np.arange(3), dtype=np.dtype('float32')),
             message_hub=dict(log=HistoryBuffer([1.0, 2.0], [1, 1]))), path)


def test_mmengine_checkpoint_needs_exactly_the_allowed_globals(tmp_path):
    path = tmp_path / 'epoch_1.pth'
    mmengine_like(path)
    needed = set(torch.serialization.get_unsafe_globals_in_checkpoint(path))
    # measured with numpy 1.26 (constraints.txt): what the issue lists
    assert needed == {
        'numpy.core.multiarray._reconstruct', 'numpy.ndarray', 'numpy.dtype',
        'numpy.core.multiarray.scalar', 'builtins.getattr',
        'mmengine.logging.history_buffer.HistoryBuffer'
    }
    assert needed <= {f'{g.__module__}.{g.__qualname__}'
                      for g in ALLOWED_GLOBALS}
    assert unsafe_globals(str(path)) == []
    loaded = CheckpointLoader.load_checkpoint(str(path), map_location='cpu')
    assert loaded['meta']['seed'] == 3 and loaded['meta']['lr'] == 0.5
    assert isinstance(loaded['message_hub']['log'], HistoryBuffer)


def test_other_globals_are_refused_by_name_and_never_run(tmp_path, capsys):
    path = tmp_path / 'shared.pth'
    torch.save({'state_dict': {}, 'x': Payload()}, path)
    with pytest.raises(UnsafeCheckpointError) as err:
        CheckpointLoader.load_checkpoint(str(path))
    assert f'checkpoint {path} was refused' in str(err.value)
    assert "needs ['builtins.print']" in str(err.value)
    assert f'--trust-checkpoint {path}' in str(err.value)
    assert 'payload ran' not in capsys.readouterr().out


def test_full_unpickling_only_for_trusted_files_and_logged(
        tmp_path, capsys, monkeypatch):
    logged = []
    monkeypatch.setattr(safe_load, 'print_log',
                        lambda msg, **kwargs: logged.append(msg))
    path, other = tmp_path / 'mine.pth', tmp_path / 'other.pth'
    torch.save({'x': Payload()}, path)
    torch.save({'x': Payload()}, other)
    set_trusted_checkpoints([str(path)])
    torch_load_safely(str(path))
    assert 'payload ran' in capsys.readouterr().out
    assert logged[0].startswith(f'loading {path} with full unpickling')
    with pytest.raises(UnsafeCheckpointError):
        torch_load_safely(str(other))


def test_missing_and_damaged_files_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        CheckpointLoader.load_checkpoint(str(tmp_path / 'nope.pth'))
    (tmp_path / 'bad.pth').write_bytes(b'\x00garbage')
    with pytest.raises(ValueError, match='bad.pth is not a readable'):
        CheckpointLoader.load_checkpoint(str(tmp_path / 'bad.pth'))
