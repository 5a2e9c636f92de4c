#!/usr/bin/env python
"""Convert NTU RGB+D 60/120 raw ``.skeleton`` files to an mmaction2 3D
skeleton pickle with the official splits.

Example::

    python tools/data/ntu_skeleton_to_pkl.py data/nturgb+d_skeletons \\
        --missing-list data/NTU_RGBD_samples_with_missing_skeletons.txt \\
        --benchmark ntu60 --out data/ntu60_3d.pkl
"""
import argparse
import os.path as osp
import sys

try:
    import stars_mmaction  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from stars_mmaction.datasets.converters.ntu_raw import convert_ntu_raw  # noqa: E402
from stars_mmaction.datasets.converters.summary import (  # noqa: E402
    convert_and_dump)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert NTU RGB+D 60/120 raw .skeleton files to an '
        'mmaction2 3D skeleton pickle. Splits: xsub_train/xsub_val and '
        'xview_train/xview_val (NTU-60) or xset_train/xset_val (NTU-120). '
        'The two most active bodies are kept; leading/trailing frames '
        'without them are dropped.')
    parser.add_argument(
        'sources', nargs='+',
        help='folders holding .skeleton files (not recursive) or single '
        '.skeleton files')
    parser.add_argument('--out', required=True, help='output .pkl path')
    parser.add_argument(
        '--benchmark', choices=['ntu60', 'ntu120', 'auto'], default='auto',
        help='ntu60 (xsub, xview) or ntu120 (xsub, xset); auto: ntu120 when '
        'an action id exceeds 60, a setup id 17 or a performer id 40 '
        '(default: auto)')
    parser.add_argument(
        '--missing-list', default=None,
        help='official list of samples with missing skeletons (one name '
        'per line, with or without .skeleton); they are excluded')
    parser.add_argument('--max-workers', type=int, default=1,
                        help='processes used to parse files (default: 1)')
    parser.add_argument('--no-progress', action='store_true',
                        help='hide the progress bar')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    return convert_and_dump(
        lambda: convert_ntu_raw(
            args.sources,
            benchmark=None if args.benchmark == 'auto' else args.benchmark,
            missing_list=args.missing_list,
            max_workers=args.max_workers,
            progress=not args.no_progress),
        args.out)


if __name__ == '__main__':
    sys.exit(main())
