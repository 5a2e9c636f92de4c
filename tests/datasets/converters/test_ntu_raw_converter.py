"""NTU RGB+D raw .skeleton conversion on generated files in the official
format."""
import os.path as osp

import numpy as np
import pytest
from skeleton_fixtures import format_ntu_skeleton

from stars_mmaction.datasets.converters.ntu_raw import (
    NTU120_XSUB_TRAIN_SUBJECTS, NTU60_XSUB_TRAIN_SUBJECTS, convert_ntu_raw,
    load_missing_list, ntu_keypoint_from_frames, parse_ntu_name,
    read_ntu_skeleton)
from stars_mmaction.datasets.converters.summary import (ConversionError,
                                                        SampleSkipped)

ID_A = '72057594037931101'
ID_B = '72057594037931102'
ID_C = '72057594037931103'


def body(seed, scale):
    """(25, 3) joints; ``scale`` sets how much it moves between frames."""
    rng = np.random.default_rng(seed)
    return np.round(rng.uniform(-1, 1, (25, 3)) * scale + seed, 6)


def write(folder, name, frames):
    path = osp.join(str(folder), name + '.skeleton')
    with open(path, 'w') as f:
        f.write(format_ntu_skeleton(frames))
    return path


def by_name(data):
    return {a['frame_dir']: a for a in data['annotations']}


def test_official_split_constants():
    assert NTU60_XSUB_TRAIN_SUBJECTS == (1, 2, 4, 5, 8, 9, 13, 14, 15, 16,
                                         17, 18, 19, 25, 27, 28, 31, 34, 35,
                                         38)
    assert len(NTU120_XSUB_TRAIN_SUBJECTS) == 53
    assert NTU120_XSUB_TRAIN_SUBJECTS[-4:] == (97, 98, 100, 103)


def test_parse_name():
    assert parse_ntu_name('S017C003P020R002A060.skeleton') == dict(
        setup=17, camera=3, subject=20, replication=2, action=60)
    assert parse_ntu_name('S001C001P001R001A001')['action'] == 1
    for bad in ('S01C001P001R001A001.skeleton', 'foo.skeleton',
                'S001C001P001R001A001x'):
        with pytest.raises(SampleSkipped, match='does not match'):
            parse_ntu_name(bad)


def test_two_bodies_most_active_kept(tmp_path):
    # A barely moves, B moves a lot, C moves a little: keep B then C.
    frames = []
    a_seq, b_seq, c_seq = [], [], []
    for t in range(4):
        a = body(1, 0.001) + 0.0001 * t
        b = body(2, 1.0) + 0.5 * t
        c = body(3, 0.1) + 0.05 * t
        a_seq.append(a), b_seq.append(b), c_seq.append(c)
        frames.append([(ID_A, a), (ID_B, b), (ID_C, c)])
    write(tmp_path, 'S001C001P001R001A050', frames)
    data, summary = convert_ntu_raw([str(tmp_path)])
    ann = data['annotations'][0]
    assert ann['frame_dir'] == 'S001C001P001R001A050'
    assert ann['label'] == 49
    assert ann['total_frames'] == 4
    assert ann['keypoint'].dtype == np.float32
    expected = np.stack([np.stack(b_seq), np.stack(c_seq)]).astype(
        np.float32)
    assert ann['keypoint'].shape == (2, 4, 25, 3)
    np.testing.assert_array_equal(ann['keypoint'], expected)
    assert summary.written == 1 and summary.num_skipped == 0


def test_bodies_tracked_by_id_not_slot(tmp_path):
    # the two bodies swap slots in frame 1: ids, not slots, define persons
    b0, b1 = body(4, 1.0), body(5, 0.2)
    b0n, b1n = b0 + 1.0, b1 + 0.01
    frames = [[(ID_A, b0), (ID_B, b1)], [(ID_B, b1n), (ID_A, b0n)]]
    write(tmp_path, 'S001C001P001R001A001', frames)
    data, _ = convert_ntu_raw([str(tmp_path)])
    kp = data['annotations'][0]['keypoint']
    np.testing.assert_array_equal(kp[0], np.stack([b0, b0n]).astype('f4'))
    np.testing.assert_array_equal(kp[1], np.stack([b1, b1n]).astype('f4'))


def test_one_body(tmp_path):
    seq = [body(6, 0.3) + 0.1 * t for t in range(5)]
    write(tmp_path, 'S002C002P003R001A010', [[(ID_A, x)] for x in seq])
    data, _ = convert_ntu_raw([str(tmp_path)])
    ann = data['annotations'][0]
    assert ann['keypoint'].shape == (1, 5, 25, 3)
    assert ann['total_frames'] == 5 and ann['label'] == 9
    np.testing.assert_array_equal(ann['keypoint'][0],
                                  np.stack(seq).astype(np.float32))


def test_missing_frames(tmp_path):
    # frame 0, 3 and 6 have no body, B is absent in frame 4:
    # leading/trailing empty frames dropped, inner ones zero, absent body
    # zero
    a = [body(7, 1.0) + t for t in range(7)]
    b = [body(8, 0.1) + 0.01 * t for t in range(7)]
    frames = [[], [(ID_A, a[1]), (ID_B, b[1])], [(ID_A, a[2]), (ID_B, b[2])],
              [], [(ID_A, a[4])], [(ID_A, a[5]), (ID_B, b[5])], []]
    write(tmp_path, 'S003C001P004R002A005', frames)
    num_frames, parsed = read_ntu_skeleton(
        osp.join(str(tmp_path), 'S003C001P004R002A005.skeleton'))
    assert num_frames == 7 and [len(f) for f in parsed] == [0, 2, 2, 0, 1,
                                                            2, 0]
    data, _ = convert_ntu_raw([str(tmp_path)])
    ann = data['annotations'][0]
    assert ann['total_frames'] == 5
    exp = np.zeros((2, 5, 25, 3), np.float32)
    for t in (1, 2, 4, 5):
        exp[0, t - 1] = a[t]
    for t in (1, 2, 5):
        exp[1, t - 1] = b[t]
    np.testing.assert_array_equal(ann['keypoint'], exp)


def test_keypoint_from_frames_empty():
    assert ntu_keypoint_from_frames([[], []]).shape[0] == 0


def make_ntu60_set(folder):
    names = {
        # subject 1 train, camera 1 -> xview val
        'S001C001P001R001A001': 'xsub_train xview_val',
        # subject 3 val, camera 2 -> xview train
        'S001C002P003R001A002': 'xsub_val xview_train',
        # subject 38 train, camera 3 -> xview train
        'S005C003P038R002A060': 'xsub_train xview_train',
        # subject 40 val, camera 1
        'S017C001P040R002A003': 'xsub_val xview_val',
    }
    for i, name in enumerate(names):
        write(folder, name, [[(ID_A, body(10 + i, 0.5) + t)]
                             for t in range(3)])
    return names


def test_ntu60_splits_and_missing_list(tmp_path):
    names = make_ntu60_set(tmp_path)
    write(tmp_path, 'S001C001P002R001A004', [[(ID_A, body(20, 1))]])
    missing = tmp_path / 'missing.txt'
    missing.write_text('# official list\nS001C001P002R001A004\n'
                       'S009C002P015R001A033.skeleton\n\n')
    assert load_missing_list(str(missing)) == [
        'S001C001P002R001A004', 'S009C002P015R001A033']
    data, summary = convert_ntu_raw([str(tmp_path)],
                                    missing_list=str(missing))
    assert set(data['split']) == {'xsub_train', 'xsub_val', 'xview_train',
                                  'xview_val'}
    for name, where in names.items():
        for split in where.split():
            assert name in data['split'][split], (name, split)
        assert sum(name in v for v in data['split'].values()) == 2
    assert 'S001C001P002R001A004' not in by_name(data)
    assert summary.skipped['in missing-skeleton list'] == [
        f'S001C001P002R001A004: listed in {missing}']
    assert summary.written == 4
    assert 'benchmark ntu60' in summary.format()
    assert [a['label'] for a in data['annotations']] == [0, 1, 59, 2]


def test_ntu120_auto_and_xset(tmp_path):
    names = ['S001C001P045R001A061', 'S002C001P044R001A120',
             'S018C002P103R001A001', 'S031C003P106R002A100']
    for i, name in enumerate(names):
        write(tmp_path, name, [[(ID_A, body(30 + i, 0.5))]])
    data, summary = convert_ntu_raw([str(tmp_path)])
    sp = data['split']
    assert set(sp) == {'xsub_train', 'xsub_val', 'xset_train', 'xset_val'}
    assert sp['xsub_train'] == ['S001C001P045R001A061',
                                'S018C002P103R001A001']
    assert sp['xsub_val'] == ['S002C001P044R001A120',
                              'S031C003P106R002A100']
    assert sp['xset_train'] == ['S002C001P044R001A120',
                                'S018C002P103R001A001']
    assert sp['xset_val'] == ['S001C001P045R001A061',
                              'S031C003P106R002A100']
    assert by_name(data)['S002C001P044R001A120']['label'] == 119
    assert 'ntu120' in summary.format()


def test_ntu120_auto_from_setup_or_performer(tmp_path):
    # actions <= 60 but a setup (or performer) only NTU-120 has
    write(tmp_path, 'S018C001P008R001A001', [[(ID_A, body(50, 0.5))]])
    data, summary = convert_ntu_raw([str(tmp_path)])
    assert set(data['split']) == {'xsub_train', 'xsub_val', 'xset_train',
                                  'xset_val'}
    data, _ = convert_ntu_raw([str(tmp_path)], benchmark='ntu60')
    assert 'xview_train' in data['split']


def test_max_workers_same_result(tmp_path):
    make_ntu60_set(tmp_path)
    d1, _ = convert_ntu_raw([str(tmp_path)])
    d2, _ = convert_ntu_raw([str(tmp_path)], max_workers=2)
    assert d1['split'] == d2['split']
    for a1, a2 in zip(d1['annotations'], d2['annotations']):
        assert a1['frame_dir'] == a2['frame_dir']
        np.testing.assert_array_equal(a1['keypoint'], a2['keypoint'])


# ---------------------------------------------------------------- bad input

def good_frames():
    return [[(ID_A, body(40, 0.5) + t)] for t in range(3)]


def test_truncated_file_skipped_with_line(tmp_path):
    text = format_ntu_skeleton(good_frames())
    lines = text.splitlines()
    (tmp_path / 'S001C001P001R001A001.skeleton').write_text(
        '\n'.join(lines[:40]) + '\n')
    # cut in the middle of a joint line
    (tmp_path / 'S001C001P001R001A002.skeleton').write_text(
        '\n'.join(lines[:10] + [lines[10][:12]]) + '\n')
    write(tmp_path, 'S001C001P001R001A003', good_frames())
    data, summary = convert_ntu_raw([str(tmp_path)])
    assert [a['frame_dir'] for a in data['annotations']] == [
        'S001C001P001R001A003']
    msgs = summary.skipped['truncated file']
    assert len(msgs) == 2
    assert 'S001C001P001R001A001.skeleton' in msgs[0]
    assert 'line 41' in msgs[0]
    assert 'S001C001P001R001A002.skeleton' in msgs[1]
    assert 'only 11 lines' in msgs[1]
    assert 'truncated file' in summary.format()


def test_frame_count_larger_than_content(tmp_path):
    text = format_ntu_skeleton(good_frames())
    (tmp_path / 'S001C001P001R001A001.skeleton').write_text(
        '5' + text[1:])
    _, summary = convert_ntu_raw([str(tmp_path)])
    (msg,) = summary.skipped['truncated file']
    assert 'line 86' in msg and 'body count of frame 3' in msg


def test_label_out_of_range(tmp_path):
    write(tmp_path, 'S001C001P001R001A061', good_frames())
    write(tmp_path, 'S001C001P001R001A000', good_frames())
    write(tmp_path, 'S001C001P001R001A001', good_frames())
    data, summary = convert_ntu_raw([str(tmp_path)], benchmark='ntu60')
    assert summary.written == 1
    msgs = summary.skipped['label out of range']
    assert any('S001C001P001R001A061' in m and 'A061' in m for m in msgs)
    assert any('S001C001P001R001A000' in m for m in msgs)


def test_bad_file_name(tmp_path):
    write(tmp_path, 'S1C001P001R001A001', good_frames())
    write(tmp_path, 'S001C001P001R001A001', good_frames())
    (tmp_path / 'README.txt').write_text('not a skeleton')
    data, summary = convert_ntu_raw([str(tmp_path)])
    assert summary.written == 1
    (msg,) = summary.skipped['bad file name']
    assert 'S1C001P001R001A001.skeleton' in msg


def test_nan_skipped(tmp_path):
    frames = good_frames()
    bad = frames[1][0][1].copy()
    bad[3, 1] = np.nan
    frames[1] = [(ID_A, bad)]
    write(tmp_path, 'S001C001P001R001A001', frames)
    data, summary = convert_ntu_raw([str(tmp_path)])
    assert data['annotations'] == []
    (msg,) = summary.skipped['NaN values']
    # line 1 frame count, 28 lines per frame: frame 1 joint 3 -> line 36
    assert 'S001C001P001R001A001.skeleton' in msg and 'line 36' in msg


def test_malformed_and_empty(tmp_path):
    text = format_ntu_skeleton(good_frames()).replace('\n25\n', '\n24\n', 1)
    (tmp_path / 'S001C001P001R001A001.skeleton').write_text(text)
    write(tmp_path, 'S001C001P001R001A002', [[], []])
    _, summary = convert_ntu_raw([str(tmp_path)])
    assert 'expected 25 joints' in summary.skipped['malformed file'][0]
    assert 'no body' in summary.skipped['no body'][0]


def test_missing_inputs_are_errors(tmp_path):
    with pytest.raises(ConversionError, match='input not found'):
        convert_ntu_raw([str(tmp_path / 'nope')])
    with pytest.raises(ConversionError, match='missing-skeleton list'):
        convert_ntu_raw([str(tmp_path)], missing_list=str(tmp_path / 'x'))
