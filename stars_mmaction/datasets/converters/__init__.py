"""Converters from public skeleton data-set formats to the mmaction2 3D
skeleton annotation pickle (see ``tools/data/*_to_pkl.py`` for the
command-line tools)."""
from .ctrgcn_npz import (convert_ctrgcn_npz, ctrgcn_sample_to_keypoint,
                         load_ctrgcn_npz)
from .ntu_raw import (convert_ntu_raw, load_missing_list,
                      ntu_keypoint_from_frames)
from .ntu_skeleton_file import parse_ntu_name, read_ntu_skeleton
from .pku_mmd import convert_pku_mmd, parse_pku_split_file, read_pku_skeleton
from .summary import (ConversionError, ConversionSummary, SampleSkipped,
                      build_pickle, convert_and_dump, dump_pickle,
                      load_pickle)

__all__ = [
    'ConversionError', 'ConversionSummary', 'SampleSkipped', 'build_pickle',
    'convert_and_dump', 'dump_pickle', 'load_pickle', 'convert_ntu_raw',
    'load_missing_list', 'ntu_keypoint_from_frames', 'parse_ntu_name',
    'read_ntu_skeleton', 'convert_ctrgcn_npz',
    'ctrgcn_sample_to_keypoint', 'load_ctrgcn_npz', 'convert_pku_mmd',
    'parse_pku_split_file', 'read_pku_skeleton'
]
