"""stars_mmaction.configs: finding the shipped configs and tools."""
from pathlib import Path

import pytest

from stars_mmaction import configs

ROOT = Path(__file__).parents[1]
MAMP = 'stars/mamp_1xb32-40e_demo-xsub-keypoint-3d.py'


def test_checkout_paths():
    # an editable install (this test run) reads the checkout's folders
    assert configs.resource_root() == str(ROOT)
    assert configs.config_path(MAMP) == str(ROOT / 'configs' / MAMP)
    assert configs.config_path('configs/' + MAMP) == str(
        ROOT / 'configs' / MAMP)
    assert configs.tool_path('train.py') == str(ROOT / 'tools' / 'train.py')


def test_installed_layout_is_preferred(tmp_path, monkeypatch):
    package = tmp_path / 'site-packages' / 'stars_mmaction'
    (package / '.mim' / 'configs' / 'stars').mkdir(parents=True)
    (package / '.mim' / 'configs' / MAMP).write_text('')
    monkeypatch.setattr(configs, 'PACKAGE_DIR', str(package))
    assert configs.config_path(MAMP) == str(package / '.mim' / 'configs' /
                                            MAMP)
    (package / '.mim' / 'configs').rename(package / '.mim' / 'gone')
    with pytest.raises(FileNotFoundError, match=r'\.mim.*reinstall'):
        configs.resource_root()


def test_unknown_name_suggests_close_ones():
    with pytest.raises(FileNotFoundError,
                       match=r"no config 'stars/mamp_demo.py'.*did you mean"):
        configs.config_path('stars/mamp_demo.py')
    with pytest.raises(FileNotFoundError, match="no tool 'trian.py'"):
        configs.tool_path('trian.py')


def test_list_and_command_line(capsys):
    demo = configs.list_configs('mamp_1xb32')
    assert demo == [MAMP]
    assert not any(c.startswith('_base_') for c in configs.list_configs())
    assert configs.main(['path', MAMP]) == 0
    assert capsys.readouterr().out == str(ROOT / 'configs' / MAMP) + '\n'
    assert configs.main(['tool', 'nope.py']) == 1
    assert 'error: no tool' in capsys.readouterr().err
