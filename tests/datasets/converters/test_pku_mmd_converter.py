"""PKU-MMD skeleton + label conversion to per-action clips."""
import numpy as np
import pytest

from stars_mmaction.datasets.converters.pku_mmd import (convert_pku_mmd,
                                                        parse_pku_split_file)
from stars_mmaction.datasets.converters.summary import ConversionError

OFFICIAL_SPLIT = """Training videos: 
0002-L, 0002-M, 0002-R, 0003-L
Validataion videos: 
0291-L, 0291-M, 
"""  # noqa: W291 (the official files have trailing spaces)


def write_skeleton(path, skel):
    with open(path, 'w') as f:
        for row in skel:
            f.write(' '.join(repr(float(v)) for v in row) + '\n')


def make_video(rng, num_frames, second_from=None):
    skel = np.round(rng.normal(size=(num_frames, 150)), 6)
    skel[:, 75:] = 0
    if second_from is not None:
        skel[second_from:, 75:] = np.round(
            rng.normal(size=(num_frames - second_from, 75)), 6)
    return skel


@pytest.fixture
def pku(tmp_path):
    rng = np.random.default_rng(0)
    skel_dir, label_dir = tmp_path / 'skeleton', tmp_path / 'label'
    skel_dir.mkdir(), label_dir.mkdir()
    videos = {'0002-L': make_video(rng, 60, second_from=30),
              '0003-L': make_video(rng, 40),
              '0291-M': make_video(rng, 50, second_from=0)}
    for name, skel in videos.items():
        write_skeleton(skel_dir / f'{name}.txt', skel)
    (label_dir / '0002-L.txt').write_text('5,0,9,1\n12,20,39,2\n51,59,59,1\n')
    (label_dir / '0003-L.txt').write_text('1,10,19,1\n\n')
    (label_dir / '0291-M.txt').write_text('33,5,14,1\n')
    (tmp_path / 'cross-subject.txt').write_text(OFFICIAL_SPLIT)
    (tmp_path / 'cross-view.txt').write_text(
        'train: 0002-M, 0003-L, 0291-M\nval: 0002-L\n')
    return tmp_path, videos


def test_parse_split_formats(tmp_path):
    p = tmp_path / 'official.txt'
    p.write_text(OFFICIAL_SPLIT)
    assert parse_pku_split_file(str(p)) == (
        ['0002-L', '0002-M', '0002-R', '0003-L'], ['0291-L', '0291-M'])
    p.write_text('train: a, b,c\nval: d\n')
    assert parse_pku_split_file(str(p)) == (['a', 'b', 'c'], ['d'])
    p.write_text('train: a\nval: a\n')
    with pytest.raises(ConversionError, match='both'):
        parse_pku_split_file(str(p))
    p.write_text('a, b\ntrain: c\nval: d\n')
    with pytest.raises(ConversionError, match='before'):
        parse_pku_split_file(str(p))
    p.write_text('train: a\nfoo: b\n')
    with pytest.raises(ConversionError, match='unknown section'):
        parse_pku_split_file(str(p))


def test_clips_cut_right_frames(pku):
    root, videos = pku
    data, summary = convert_pku_mmd(
        str(root / 'skeleton'), str(root / 'label'),
        xsub_split=str(root / 'cross-subject.txt'),
        xview_split=str(root / 'cross-view.txt'))
    anns = {a['frame_dir']: a for a in data['annotations']}
    assert list(anns) == ['0002-L_000', '0002-L_001', '0002-L_002',
                          '0003-L_000', '0291-M_000']
    expected = {'0002-L_000': ('0002-L', 4, 0, 9),
                '0002-L_001': ('0002-L', 11, 20, 39),
                '0002-L_002': ('0002-L', 50, 59, 59),
                '0003-L_000': ('0003-L', 0, 10, 19),
                '0291-M_000': ('0291-M', 32, 5, 14)}
    for name, (video, label, start, end) in expected.items():
        a = anns[name]
        assert a['label'] == label
        assert a['total_frames'] == end - start + 1
        clip = videos[video][start:end + 1].reshape(-1, 2, 25, 3)
        clip = clip.transpose(1, 0, 2, 3).astype(np.float32)
        if not clip[1].any():
            clip = clip[:1]
        np.testing.assert_array_equal(a['keypoint'], clip)
    # second person absent in frames 0..9 of 0002-L, present in 20..39
    assert anns['0002-L_000']['keypoint'].shape == (1, 10, 25, 3)
    assert anns['0002-L_001']['keypoint'].shape == (2, 20, 25, 3)
    assert data['split'] == {
        'xsub_train': ['0002-L_000', '0002-L_001', '0002-L_002',
                       '0003-L_000'],
        'xsub_val': ['0291-M_000'],
        'xview_train': ['0003-L_000', '0291-M_000'],
        'xview_val': ['0002-L_000', '0002-L_001', '0002-L_002']}
    assert summary.written == 5 and summary.num_skipped == 0


def test_bad_labels_and_frames(pku):
    root, _ = pku
    (root / 'label' / '0003-L.txt').write_text(
        '52,0,5,1\n0,0,5,1\n3,30,45,1\nx,1,2,1\n2,5,4,1\n4,0,3,1\n')
    data, summary = convert_pku_mmd(str(root / 'skeleton'),
                                    str(root / 'label'))
    names = [a['frame_dir'] for a in data['annotations']]
    assert '0003-L_005' in names
    assert not any(n.startswith('0003-L') and n != '0003-L_005'
                   for n in names)
    out = summary.skipped['label out of range']
    assert '0003-L_000' in out[0] and 'label 52' in out[0]
    assert 'line 1' in out[0] and '0003-L.txt' in out[0]
    assert '0003-L_001' in out[1] and 'label 0' in out[1]
    oob = summary.skipped['frame range out of bounds']
    assert '0003-L_002' in oob[0] and '0003-L_004' in oob[1]
    assert 'line 4' in summary.skipped['malformed label line'][0]
    assert 'no split file' in summary.format()


def test_phase2_classes(pku):
    root, _ = pku
    _, summary = convert_pku_mmd(str(root / 'skeleton'), str(root / 'label'),
                                 phase=2)
    out = summary.skipped['label out of range']
    assert len(out) == 1 and 'label 51' in out[0] and '1..41' in out[0]


def test_bad_skeleton_files(pku):
    root, videos = pku
    lines = (root / 'skeleton' / '0003-L.txt').read_text().splitlines()
    lines[7] = ' '.join(lines[7].split()[:100])
    (root / 'skeleton' / '0003-L.txt').write_text('\n'.join(lines))
    (root / 'skeleton' / '0291-M.txt').unlink()
    skel = videos['0002-L'].copy()
    skel[25, 3] = np.nan
    write_skeleton(root / 'skeleton' / '0002-L.txt', skel)
    data, summary = convert_pku_mmd(str(root / 'skeleton'),
                                    str(root / 'label'))
    assert [a['frame_dir'] for a in data['annotations']] == [
        '0002-L_000', '0002-L_002']
    assert '0002-L_001' in summary.skipped['NaN values'][0]
    (msg,) = summary.skipped['malformed skeleton file']
    assert '0003-L.txt' in msg and 'line 8' in msg and 'got 100' in msg
    assert '0291-M' in summary.skipped['no skeleton file'][0]
