#!/usr/bin/env python
"""Convert PKU-MMD phase I/II skeleton + label files to per-action clips in
an mmaction2 3D skeleton pickle with cross-subject / cross-view splits.

Example::

    python tools/data/pku_mmd_to_pkl.py \\
        --skeleton-dir data/pku_mmd/PKU_Skeleton_Renew \\
        --label-dir data/pku_mmd/Train_Label_PKU_final \\
        --xsub-split data/pku_mmd/cross-subject.txt \\
        --xview-split data/pku_mmd/cross-view.txt \\
        --phase 1 --out data/pku_mmd1_3d.pkl
"""
import argparse
import os.path as osp
import sys

try:
    import stars_mmaction  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..', '..')))

from stars_mmaction.datasets.converters.pku_mmd import convert_pku_mmd  # noqa: E402
from stars_mmaction.datasets.converters.summary import (  # noqa: E402
    convert_and_dump)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Convert PKU-MMD phase I/II skeleton and label files to '
        'per-action clips (keypoint[:, start:end+1], 0-based labels) in an '
        'mmaction2 3D skeleton pickle. Splits: xsub_train/xsub_val, '
        'xview_train/xview_val.')
    parser.add_argument('--skeleton-dir', required=True,
                        help='folder of <video>.txt skeleton files')
    parser.add_argument('--label-dir', required=True,
                        help='folder of <video>.txt label files '
                        '(label,start,end,confidence per line)')
    parser.add_argument('--xsub-split', default=None,
                        help='cross-subject split file (cross-subject.txt)')
    parser.add_argument('--xview-split', default=None,
                        help='cross-view split file (cross-view.txt)')
    parser.add_argument('--phase', type=int, choices=[1, 2], default=1,
                        help='PKU-MMD phase: 1 (51 classes) or 2 (41)')
    parser.add_argument('--num-classes', type=int, default=None,
                        help='override the number of classes of --phase')
    parser.add_argument('--out', required=True, help='output .pkl path')
    parser.add_argument('--no-progress', action='store_true',
                        help='hide the progress bar')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    return convert_and_dump(
        lambda: convert_pku_mmd(
            args.skeleton_dir, args.label_dir, xsub_split=args.xsub_split,
            xview_split=args.xview_split, phase=args.phase,
            num_classes=args.num_classes, progress=not args.no_progress),
        args.out)


if __name__ == '__main__':
    sys.exit(main())
